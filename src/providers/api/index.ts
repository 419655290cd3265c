import { ModuleProvider } from "@medusajs/framework/utils"
import { ApiChannelProvider } from "./service"

export { ApiChannelProvider } from "./service"

export default ModuleProvider("channel", { services: [ApiChannelProvider] })
