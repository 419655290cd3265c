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

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl,
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
        encryption_key: process.env.CHANNEL_ORDERS_ENCRYPTION_KEY || "dev-only-channel-orders-key",
        providers: [
          { resolve: "./src/providers/sandbox", id: "sandbox" },
          { resolve: "./src/providers/amazon", id: "amazon", options: { rate_limit_multiplier: rateScale } },
          { resolve: "./src/providers/ebay", id: "ebay", options: { rate_limit_multiplier: rateScale } },
          { resolve: "./src/providers/mirakl", id: "mirakl", options: { rate_limit_multiplier: rateScale } },
        ],
      },
    },
    // The admin's notification feed, where import-rule alerts appear.
    {
      resolve: "@medusajs/medusa/notification",
      options: {
        providers: [{ resolve: "@medusajs/medusa/notification-local", id: "local", options: { channels: ["feed"] } }],
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
