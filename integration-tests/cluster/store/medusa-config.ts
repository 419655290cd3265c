import { defineConfig } from "@medusajs/framework/utils"

/**
 * The store of the cluster suite (scripts/cluster.js copies this folder to .medusa/cluster/store,
 * runs `medusa build` there and starts `.medusa/server` three times). It installs the plugin as a
 * store would, from its built package (`medusa-channel-orders`, linked to this repository), with
 * Medusa's Redis modules, so one `server` and two `worker` processes share jobs, events and locks.
 */
const redisUrl = process.env.REDIS_URL
if (!redisUrl) throw new Error("REDIS_URL is required: the cluster store runs on Redis")
const rateScale = Number(process.env.CHANNEL_RATE_LIMIT_MULTIPLIER || 1)

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl,
    workerMode: process.env.MEDUSA_WORKER_MODE as "shared" | "worker" | "server",
    http: {
      storeCors: "*",
      adminCors: "*",
      authCors: "*",
      jwtSecret: process.env.JWT_SECRET || "cluster-jwt-secret",
      cookieSecret: process.env.COOKIE_SECRET || "cluster-cookie-secret",
    },
  },
  admin: { disable: true },
  plugins: [
    {
      resolve: "medusa-channel-orders",
      options: {
        encryption_key: process.env.CHANNEL_ORDERS_ENCRYPTION_KEY || "cluster-channel-orders-key",
        // The marketplace simulators listen on 127.0.0.1 over plain http, which the plugin accepts
        // for hosts listed here when NODE_ENV is not "production" (the cluster runs as "development").
        allowed_hosts: { "*": ["127.0.0.1", "localhost"] },
        providers: [
          { resolve: "medusa-channel-orders/providers/sandbox", id: "sandbox" },
          { resolve: "medusa-channel-orders/providers/amazon", id: "amazon", options: { rate_limit_multiplier: rateScale } },
          { resolve: "medusa-channel-orders/providers/ebay", id: "ebay", options: { rate_limit_multiplier: rateScale } },
          { resolve: "medusa-channel-orders/providers/mirakl", id: "mirakl", options: { rate_limit_multiplier: rateScale } },
        ],
      },
    },
  ],
  modules: [
    { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl } },
    { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl } } },
    {
      resolve: "@medusajs/medusa/locking",
      options: {
        providers: [{ resolve: "@medusajs/medusa/locking-redis", id: "locking-redis", is_default: true, options: { redisUrl } }],
      },
    },
  ],
})
