import { validateAndTransformBody, validateAndTransformQuery, type MiddlewareRoute } from "@medusajs/framework/http"
import { ListTransfersQuery, PostOrderExport, PostStatusImport, UpdateOrderExport, UpdateStatusImport } from "./validators"

/** Validators of the order export and status import routes (spread into src/api/middlewares.ts). */
export const orderTransferRoutes: MiddlewareRoute[] = [
  { matcher: "/admin/order-exports", methods: ["GET"], middlewares: [validateAndTransformQuery(ListTransfersQuery, {})] },
  { matcher: "/admin/order-exports", methods: ["POST"], middlewares: [validateAndTransformBody(PostOrderExport)] },
  { matcher: "/admin/order-exports/:id", methods: ["POST"], middlewares: [validateAndTransformBody(UpdateOrderExport)] },
  { matcher: "/admin/order-exports/:id/runs", methods: ["GET"], middlewares: [validateAndTransformQuery(ListTransfersQuery, {})] },
  { matcher: "/admin/status-imports", methods: ["GET"], middlewares: [validateAndTransformQuery(ListTransfersQuery, {})] },
  { matcher: "/admin/status-imports", methods: ["POST"], middlewares: [validateAndTransformBody(PostStatusImport)] },
  { matcher: "/admin/status-imports/:id", methods: ["POST"], middlewares: [validateAndTransformBody(UpdateStatusImport)] },
  { matcher: "/admin/status-imports/:id/runs", methods: ["GET"], middlewares: [validateAndTransformQuery(ListTransfersQuery, {})] },
]
