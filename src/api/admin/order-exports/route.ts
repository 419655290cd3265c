import { createHandler, listHandler, ORDER_EXPORTS } from "./handlers"

export const GET = listHandler(ORDER_EXPORTS)
export const POST = createHandler(ORDER_EXPORTS)
