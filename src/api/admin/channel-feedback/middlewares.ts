import { validateAndTransformBody, validateAndTransformQuery, type MiddlewareRoute } from "@medusajs/framework/http"
import { ListChannelFeedbackQuery, PostChannelFeedbackRetry } from "./validators"

/** Validators of the channel feedback routes (spread into src/api/middlewares.ts). */
export const channelFeedbackRoutes: MiddlewareRoute[] = [
  { matcher: "/admin/channel-feedback", methods: ["GET"], middlewares: [validateAndTransformQuery(ListChannelFeedbackQuery, {})] },
  { matcher: "/admin/channel-feedback/:id/retry", methods: ["POST"], middlewares: [validateAndTransformBody(PostChannelFeedbackRetry)] },
]
