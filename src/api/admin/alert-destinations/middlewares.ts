import { validateAndTransformBody, validateAndTransformQuery, type MiddlewareRoute } from "@medusajs/framework/http"
import {
  ListAlertDeliveriesQuery,
  ListQuery,
  ListRaisedAlertsQuery,
  PostAlertDestination,
  PostAlertDestinationTest,
  UpdateAlertDestination,
} from "./validators"

/** Validators of the alert routes (spread into src/api/middlewares.ts). */
export const alertRoutes: MiddlewareRoute[] = [
  { matcher: "/admin/alert-destinations", methods: ["GET"], middlewares: [validateAndTransformQuery(ListQuery, {})] },
  { matcher: "/admin/alert-destinations", methods: ["POST"], middlewares: [validateAndTransformBody(PostAlertDestination)] },
  { matcher: "/admin/alert-destinations/:id", methods: ["POST"], middlewares: [validateAndTransformBody(UpdateAlertDestination)] },
  { matcher: "/admin/alert-destinations/:id/test", methods: ["POST"], middlewares: [validateAndTransformBody(PostAlertDestinationTest)] },
  { matcher: "/admin/alerts", methods: ["GET"], middlewares: [validateAndTransformQuery(ListAlertDeliveriesQuery, {})] },
  { matcher: "/admin/alerts/raised", methods: ["GET"], middlewares: [validateAndTransformQuery(ListRaisedAlertsQuery, {})] },
]
