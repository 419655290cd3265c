import { ModuleProvider } from "@medusajs/framework/utils"
import { MiraklChannelProvider } from "./service"

export { MiraklChannelProvider } from "./service"
export type { MiraklProviderOptions } from "./settings"

export default ModuleProvider("channel", { services: [MiraklChannelProvider] })
