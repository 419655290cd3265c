import { deleteHandler, retrieveHandler, STATUS_IMPORTS, updateHandler } from "../../order-exports/handlers"

export const GET = retrieveHandler(STATUS_IMPORTS)
export const POST = updateHandler(STATUS_IMPORTS)
export const DELETE = deleteHandler(STATUS_IMPORTS)
