import { ModuleProvider } from "@medusajs/framework/utils"
import { AmazonChannelProvider } from "./service"

export { AmazonChannelProvider }
export type { AmazonProviderOptions } from "./service"

export default ModuleProvider("channel", { services: [AmazonChannelProvider] })
