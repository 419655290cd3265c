import { ModuleProvider } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../modules/channel"
import { SandboxChannelProvider } from "./service"

export default ModuleProvider(CHANNEL_MODULE, { services: [SandboxChannelProvider] })
export { SandboxChannelProvider }
