import { ORDER_EXPORTS, runsHandler } from "../../handlers"

export const GET = runsHandler(ORDER_EXPORTS)
