import { ModuleProvider } from "@medusajs/framework/utils"
import { EbayChannelProvider } from "./service"

export { EbayChannelProvider } from "./service"
export type { EbayProviderOptions } from "./client"

export default ModuleProvider("channel", { services: [EbayChannelProvider] })
