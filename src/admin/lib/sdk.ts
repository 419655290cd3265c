import Medusa from "@medusajs/js-sdk"

/** The admin's session-authenticated client; in a plugin the backend URL comes from __BACKEND_URL__. */
export const sdk = new Medusa({
  baseUrl: (typeof __BACKEND_URL__ !== "undefined" && __BACKEND_URL__) || "/",
  auth: { type: "session" },
})
