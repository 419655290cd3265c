import { MedusaError } from "@medusajs/framework/utils"

export class TransferAlreadyRunningError extends MedusaError {
  constructor(id: string) {
    super(MedusaError.Types.CONFLICT, `A run of ${id} is already in progress`)
  }
}

/** How long a run may hold its configuration's lock (renewed between files / pages). */
export const TRANSFER_LOCK_SECONDS = 15 * 60
export const transferLockKey = (configurationId: string) => `order-transfer:${configurationId}`

/** A caller-facing reason: a FileTransferError's code when there is one. */
export function errorCodeOf(e: any): string | null {
  return typeof e?.code === "string" ? e.code : null
}
