import { Module } from "@medusajs/framework/utils"
import ChannelAlertModuleService from "./service"

/** Alert destinations, raised alerts and their outbox (issue 22). Registered beside the channel module. */
export const CHANNEL_ALERT_MODULE = "channel_alert"

export default Module(CHANNEL_ALERT_MODULE, { service: ChannelAlertModuleService })

export { ChannelAlertModuleService }
export * from "./policy"
