import { Module } from "@medusajs/framework/utils"
import OrderTransferModuleService from "./service"

export const ORDER_TRANSFER_MODULE = "order_transfer"

export default Module(ORDER_TRANSFER_MODULE, {
  service: OrderTransferModuleService,
})

export { OrderTransferModuleService }
