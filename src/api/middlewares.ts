import { defineMiddlewares, validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import { ListChannelOrdersQuery } from "./admin/channel-orders/validators"
import { channelFeedbackRoutes } from "./admin/channel-feedback/middlewares"
import { PostOrderHold, PostOrderTags, ReleaseOrderHold } from "./admin/orders/validators"
import { blockFulfillmentWhileOnHold } from "./admin/orders/block-fulfillment-on-hold"
import { PostSkuMapping } from "./admin/channels/validators"
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
    ...channelFeedbackRoutes,
    { matcher: "/admin/channels/:id/sku-mappings", methods: ["POST"], middlewares: [validateAndTransformBody(PostSkuMapping)] },
    { matcher: "/admin/orders/:id/tags", methods: ["POST"], middlewares: [validateAndTransformBody(PostOrderTags)] },
    { matcher: "/admin/orders/:id/holds", methods: ["POST"], middlewares: [validateAndTransformBody(PostOrderHold)] },
    { matcher: "/admin/orders/:id/holds/:hold_id/release", methods: ["POST"], middlewares: [validateAndTransformBody(ReleaseOrderHold)] },
    { matcher: "/admin/orders/:id/fulfillments", methods: ["POST"], middlewares: [blockFulfillmentWhileOnHold] },
  ],
})
