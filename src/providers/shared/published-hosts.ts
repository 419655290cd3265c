/**
 * The hosts each marketplace publishes for its API and its token endpoint: a channel's
 * credentials are only sent there (plus what the plugin option `allowed_hosts` adds; see
 * src/modules/channel/hosts.ts). Sources: docs/marketplace-apis reference (SP-API developer guide,
 * eBay Sell Fulfillment and OAuth docs, Mirakl seller API).
 */

/** SP-API regional endpoints and their sandboxes, and the Login with Amazon token endpoints. */
export const AMAZON_HOSTS = [
  "sellingpartnerapi-na.amazon.com",
  "sellingpartnerapi-eu.amazon.com",
  "sellingpartnerapi-fe.amazon.com",
  "sandbox.sellingpartnerapi-na.amazon.com",
  "sandbox.sellingpartnerapi-eu.amazon.com",
  "sandbox.sellingpartnerapi-fe.amazon.com",
  "api.amazon.com",
  "api.amazon.co.uk",
  "api.amazon.co.jp",
] as const

/** Production and sandbox API hosts (the OAuth token endpoint lives on the same hosts). */
export const EBAY_HOSTS = ["api.ebay.com", "apiz.ebay.com", "api.sandbox.ebay.com", "apiz.sandbox.ebay.com"] as const

/** Mirakl runs one instance per operator, always under mirakl.net (`https://<operator>-prod.mirakl.net`). */
export const MIRAKL_HOSTS = ["*.mirakl.net"] as const
