import { deleteHandler, ORDER_EXPORTS, retrieveHandler, updateHandler } from "../handlers"

export const GET = retrieveHandler(ORDER_EXPORTS)
export const POST = updateHandler(ORDER_EXPORTS)
export const DELETE = deleteHandler(ORDER_EXPORTS)
