import { Module } from "@medusajs/framework/utils"
import ChannelModuleService from "./service"
import channelProvidersLoader from "./loaders/providers"
import encryptionKeyLoader from "./loaders/encryption-key"

export const CHANNEL_MODULE = "channel"

export default Module(CHANNEL_MODULE, {
  service: ChannelModuleService,
  loaders: [encryptionKeyLoader, channelProvidersLoader],
})

export { ChannelModuleService }
export * from "./types/provider"
export * from "./types/canonical-order"
export * from "./errors"
export * from "./types/states"
