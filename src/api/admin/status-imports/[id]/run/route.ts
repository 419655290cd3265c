import { runHandler, STATUS_IMPORTS } from "../../../order-exports/handlers"

/** Runs the status import now: `{ run }` with its files, rows applied and failed, and each row's error. */
export const POST = runHandler(STATUS_IMPORTS)
