import { ORDER_EXPORTS, runHandler } from "../../handlers"

/** Runs the export now: `{ run }` with `status`, `file`, `exported`, `failed` (409 while it runs elsewhere). */
export const POST = runHandler(ORDER_EXPORTS)
