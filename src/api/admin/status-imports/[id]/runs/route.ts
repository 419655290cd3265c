import { runsHandler, STATUS_IMPORTS } from "../../../order-exports/handlers"

export const GET = runsHandler(STATUS_IMPORTS)
