import { createHandler, listHandler, STATUS_IMPORTS } from "../order-exports/handlers"

export const GET = listHandler(STATUS_IMPORTS)
export const POST = createHandler(STATUS_IMPORTS)
