import { model } from "@medusajs/framework/utils"

/**
 * How far a safety-net sweep has read (by name, e.g. `feedback`). The next sweep starts there, less a
 * small overlap, instead of re-reading a whole day of shipments every minute.
 */
export const ChannelSweep = model.define("channel_sweep", {
  id: model.text().primaryKey(),
  watermark: model.dateTime(),
})
