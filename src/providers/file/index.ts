import { ModuleProvider } from "@medusajs/framework/utils"
import { CHANNEL_MODULE } from "../../modules/channel"
import { FileChannelProvider } from "./service"

export default ModuleProvider(CHANNEL_MODULE, { services: [FileChannelProvider] })
export { FileChannelProvider }
