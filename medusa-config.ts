import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

/**
 * The dev store that lives in the plugin's own repo. It registers the plugin's module and
 * providers by path, so the test runners, `medusa db:migrate` and `medusa develop` all run the
 * plugin from source. A store that installs the package uses `plugins: [...]` instead (README).
 */
const redisUrl = process.env.REDIS_URL
/** Tests and benchmarks run marketplace rate limits faster than real life; production leaves this at 1. */
const rateScale = Number(process.env.CHANNEL_RATE_LIMIT_MULTIPLIER || 1)
const production = process.env.NODE_ENV === "production"
/**
 * Hosts a channel's base_url / auth_url may point at besides the marketplaces' published ones
 * (src/modules/channel/hosts.ts). The test simulators and benchmarks listen on 127.0.0.1 over http,
 * which the plugin accepts for these hosts outside production only. `CHANNEL_ORDERS_ALLOWED_HOSTS`
 * replaces the list: `localhost,127.0.0.1` (every provider) or `mirakl=a.example;ebay=b.example`.
 */
const allowedHostsEnv = process.env.CHANNEL_ORDERS_ALLOWED_HOSTS
const allowedHosts = allowedHostsEnv
  ? Object.fromEntries(
      allowedHostsEnv.split(";").map((part) => {
        const [k, v] = part.includes("=") ? part.split("=", 2) : ["*", part]
        return [k.trim() || "*", v.split(",").map((h) => h.trim()).filter(Boolean)]
      })
    )
  : production
    ? undefined
    : { "*": ["localhost", "127.0.0.1"] }

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl,
    // "shared" (default), "worker" or "server": scheduled jobs and subscribers run on shared and worker instances.
    workerMode: process.env.MEDUSA_WORKER_MODE as "shared" | "worker" | "server" | undefined,
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000,http://localhost:5173",
      authCors: process.env.AUTH_CORS || "http://localhost:9000,http://localhost:5173",
      jwtSecret: process.env.JWT_SECRET || "dev-jwt-secret",
      cookieSecret: process.env.COOKIE_SECRET || "dev-cookie-secret",
    },
  },
  admin: {
    disable: process.env.DISABLE_MEDUSA_ADMIN === "true",
  },
  modules: [
    {
      resolve: "./src/modules/channel",
      options: {
        // Required in production (the module refuses to start without it); a dev key elsewhere.
        encryption_key: process.env.CHANNEL_ORDERS_ENCRYPTION_KEY || (production ? undefined : "dev-only-channel-orders-key"),
        allowed_hosts: allowedHosts,
        providers: [
          { resolve: "./src/providers/sandbox", id: "sandbox" },
          { resolve: "./src/providers/amazon", id: "amazon", options: { rate_limit_multiplier: rateScale } },
          { resolve: "./src/providers/ebay", id: "ebay", options: { rate_limit_multiplier: rateScale } },
          { resolve: "./src/providers/mirakl", id: "mirakl", options: { rate_limit_multiplier: rateScale } },
          { resolve: "./src/providers/api", id: "api" },
          { resolve: "./src/providers/file", id: "file" },
        ],
      },
    },
    // Order exports and status imports (issue 19); their locations' secrets are sealed with the channel module's key.
    { resolve: "./src/modules/order-transfer" },
    // Alert destinations, raised alerts and the alert outbox (issue 22); webhook URLs and secrets use the same key.
    {
      resolve: "./src/modules/channel-alert",
      options: {
        encryption_key: process.env.CHANNEL_ORDERS_ENCRYPTION_KEY || (production ? undefined : "dev-only-channel-orders-key"),
        allowed_hosts: allowedHosts,
      },
    },
    // The admin's notification feed, where import-rule alerts appear, and the dev store's e-mail channel:
    // a recorder that logs each alert e-mail instead of sending it (a store registers SendGrid, Resend…).
    {
      resolve: "@medusajs/medusa/notification",
      options: {
        providers: [
          { resolve: "@medusajs/medusa/notification-local", id: "local", options: { channels: ["feed"] } },
          // Absolute: a "./" path would be read under src/.
          { resolve: `${process.cwd()}/integration-tests/notification-recorder`, id: "recorder", options: { channels: ["email"] } },
        ],
      },
    },
    // With REDIS_URL set, the dev store runs like a production multi-instance setup.
    ...(redisUrl
      ? [
          { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl } },
          { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl } } },
          {
            resolve: "@medusajs/medusa/locking",
            options: {
              providers: [
                { resolve: "@medusajs/medusa/locking-redis", id: "locking-redis", is_default: true, options: { redisUrl } },
              ],
            },
          },
        ]
      : []),
  ],
})
