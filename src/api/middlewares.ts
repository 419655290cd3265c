import { defineMiddlewares, validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import { ListChannelOrdersQuery } from "./admin/channel-orders/validators"
import { ListQuery, PostChannel, PutStatusRules, SandboxOrders, SandboxStatus, UpdateChannel } from "./admin/channels/validators"

export default defineMiddlewares({
  routes: [
    { matcher: "/admin/channels", methods: ["GET"], middlewares: [validateAndTransformQuery(ListQuery, {})] },
    { matcher: "/admin/channels", methods: ["POST"], middlewares: [validateAndTransformBody(PostChannel)] },
    { matcher: "/admin/channels/:id", methods: ["POST"], middlewares: [validateAndTransformBody(UpdateChannel)] },
    { matcher: "/admin/channels/:id/status-rules", methods: ["PUT"], middlewares: [validateAndTransformBody(PutStatusRules)] },
    { matcher: "/admin/channels/:id/runs", methods: ["GET"], middlewares: [validateAndTransformQuery(ListQuery, {})] },
    { matcher: "/admin/channels/:id/sandbox/orders", methods: ["POST"], middlewares: [validateAndTransformBody(SandboxOrders)] },
    {
      matcher: "/admin/channels/:id/sandbox/orders/:external_id",
      methods: ["POST"],
      middlewares: [validateAndTransformBody(SandboxStatus)],
    },
    { matcher: "/admin/channel-orders", methods: ["GET"], middlewares: [validateAndTransformQuery(ListChannelOrdersQuery, {})] },
  ],
})
