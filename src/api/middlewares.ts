import { defineMiddlewares, validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import { ListChannelOrdersQuery, PostChannelOrdersBulk } from "./admin/channel-orders/validators"
import { channelFeedbackRoutes } from "./admin/channel-feedback/middlewares"
import { alertRoutes } from "./admin/alert-destinations/middlewares"
import { orderTransferRoutes } from "./admin/order-exports/middlewares"
import { channelApiRoutes } from "./channel-api/middlewares"
import { PostOrderHold, PostOrderTags, ReleaseOrderHold } from "./admin/orders/validators"
import { blockFulfillmentWhileOnHold } from "./admin/orders/block-fulfillment-on-hold"
import { PostSkuMapping } from "./admin/channels/validators"
import { refuseUnknownChannelKeys } from "./admin/channels/known-keys"
import { PostImportRuleDryRun } from "./admin/import-rules/validators"
import { routePolicies } from "./admin/policies"
import { inputGuardRoutes } from "./input-guard"
import { ListQuery, PostChannel, PutStatusRules, SandboxOrders, SandboxStatus, UpdateChannel } from "./admin/channels/validators"

export default defineMiddlewares({
  routes: [
    // Hostile input (too deep, prototype keys, object query values) is a 400 before any validator (issue 17).
    ...inputGuardRoutes,
    // RBAC: which policy each plugin admin route needs (inert unless the store turns RBAC on).
    ...routePolicies,
    { matcher: "/admin/channels", methods: ["GET"], middlewares: [validateAndTransformQuery(ListQuery, {})] },
    { matcher: "/admin/channels", methods: ["POST"], middlewares: [validateAndTransformBody(PostChannel), refuseUnknownChannelKeys] },
    { matcher: "/admin/channels/:id", methods: ["POST"], middlewares: [validateAndTransformBody(UpdateChannel), refuseUnknownChannelKeys] },
    { matcher: "/admin/channels/:id/status-rules", methods: ["PUT"], middlewares: [validateAndTransformBody(PutStatusRules)] },
    { matcher: "/admin/channels/:id/runs", methods: ["GET"], middlewares: [validateAndTransformQuery(ListQuery, {})] },
    { matcher: "/admin/channels/:id/sandbox/orders", methods: ["POST"], middlewares: [validateAndTransformBody(SandboxOrders)] },
    {
      matcher: "/admin/channels/:id/sandbox/orders/:external_id",
      methods: ["POST"],
      middlewares: [validateAndTransformBody(SandboxStatus)],
    },
    { matcher: "/admin/channel-orders", methods: ["GET"], middlewares: [validateAndTransformQuery(ListChannelOrdersQuery, {})] },
    { matcher: "/admin/channel-orders/bulk", methods: ["POST"], middlewares: [validateAndTransformBody(PostChannelOrdersBulk)] },
    ...channelFeedbackRoutes,
    ...alertRoutes,
    ...orderTransferRoutes,
    ...channelApiRoutes,
    { matcher: "/admin/channels/:id/sku-mappings", methods: ["POST"], middlewares: [validateAndTransformBody(PostSkuMapping)] },
    { matcher: "/admin/import-rules/dry-run", methods: ["POST"], middlewares: [validateAndTransformBody(PostImportRuleDryRun)] },
    { matcher: "/admin/orders/:id/tags", methods: ["POST"], middlewares: [validateAndTransformBody(PostOrderTags)] },
    { matcher: "/admin/orders/:id/holds", methods: ["POST"], middlewares: [validateAndTransformBody(PostOrderHold)] },
    { matcher: "/admin/orders/:id/holds/:hold_id/release", methods: ["POST"], middlewares: [validateAndTransformBody(ReleaseOrderHold)] },
    { matcher: "/admin/orders/:id/fulfillments", methods: ["POST"], middlewares: [blockFulfillmentWhileOnHold] },
    { matcher: "/admin/orders/:id/fulfillments/:fulfillment_id/shipments", methods: ["POST"], middlewares: [blockFulfillmentWhileOnHold] },
    { matcher: "/admin/orders/:id/complete", methods: ["POST"], middlewares: [blockFulfillmentWhileOnHold] },
  ],
})
