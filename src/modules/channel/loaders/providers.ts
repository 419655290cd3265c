import { moduleProviderLoader } from "@medusajs/framework/modules-sdk"
import { asFunction, asValue, Lifetime } from "@medusajs/framework/awilix"
import type { LoaderOptions, ModuleProvider } from "@medusajs/framework/types"

export const PROVIDER_PREFIX = "chp_"
export const PROVIDER_IDS_KEY = "channel_provider_ids"

/**
 * Registers every entry of the module's `providers` option (Medusa's module-provider pattern, as the
 * fulfillment and notification modules do), so a store can add its own marketplace.
 */
export default async function channelProvidersLoader({
  container,
  options,
}: LoaderOptions<{ providers?: ModuleProvider[] }>) {
  // Seed the list with registerAdd; a plain register() first would hide later additions.
  container.registerAdd(PROVIDER_IDS_KEY, asValue(undefined))
  await moduleProviderLoader({
    container,
    providers: options?.providers ?? [],
    registerServiceFn: async (klass, c, moduleDetails) => {
      const id = moduleDetails.id
      c.register({
        [PROVIDER_PREFIX + id]: asFunction((cradle) => new klass(cradle, moduleDetails.options ?? {}), {
          lifetime: klass.LIFE_TIME || Lifetime.SINGLETON,
        }),
      })
      c.registerAdd(PROVIDER_IDS_KEY, asValue(id))
    },
  })
}
