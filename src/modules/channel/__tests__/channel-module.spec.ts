import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import path from "node:path"
import { CHANNEL_MODULE } from ".."
import ChannelModuleService from "../service"

jest.setTimeout(60_000)

moduleIntegrationTestRunner<ChannelModuleService>({
  moduleName: CHANNEL_MODULE,
  resolve: "./src/modules/channel",
  // Run the committed migrations rather than building the schema from the models, so they are tested too.
  pathToMigrations: path.join(__dirname, "../migrations"),
  moduleOptions: {
    encryption_key: "module-test-key",
    providers: [{ resolve: "./src/providers/sandbox", id: "sandbox" }],
  },
  testSuite: ({ service }) => {
    describe("channel module", () => {
      it("stores credentials encrypted and opens them again", async () => {
        const sealed = service.sealCredentials({ api_key: "s3cr3t-key" })!
        expect(sealed).not.toContain("s3cr3t")
        const channel = await service.createChannels({ name: "A", provider: "sandbox", credentials_encrypted: sealed, settings: {} })
        const stored = await service.retrieveChannel(channel.id)
        expect(stored.credentials_encrypted).not.toContain("s3cr3t")
        expect(service.openCredentials(stored.credentials_encrypted)).toEqual({ api_key: "s3cr3t-key" })
      })

      it("stages a page idempotently on (channel, external id) and never lets an older payload win", async () => {
        const channel = await service.createChannels({ name: "A", provider: "sandbox", settings: {} })
        const row = (id: string, status: string, at: string) => ({
          external_id: id,
          external_status: status,
          external_updated_at: at,
          raw: { id, status },
        })
        await service.stageChannelOrders(channel.id, [row("X-1", "paid", "2026-01-01T10:00:00Z"), row("X-2", "pending", "2026-01-01T10:00:00Z")])
        await service.stageChannelOrders(channel.id, [row("X-1", "shipped", "2026-01-01T11:00:00Z")])
        await service.stageChannelOrders(channel.id, [row("X-1", "paid", "2026-01-01T09:00:00Z")])
        const staged = await service.listChannelOrders({ channel_id: channel.id }, { order: { external_id: "ASC" } })
        expect(staged.map((o) => [o.external_id, o.external_status, o.state])).toEqual([
          ["X-1", "shipped", "pending"],
          ["X-2", "pending", "pending"],
        ])
        expect(staged[0].raw).toEqual({ id: "X-1", status: "shipped" })
      })

      it("stages the same new order from many transactions at once without a unique violation", async () => {
        // (account_key, external_id) arbitrates ON CONFLICT; (channel_id, external_id) is a second
        // unique index, which two simultaneous first stagings can hit (a push racing a pull).
        const channel = await service.createChannels({ name: "Race", provider: "sandbox", settings: {} })
        for (let round = 0; round < 15; round++) {
          const id = `RACE-${round}`
          const results = await Promise.allSettled(
            Array.from({ length: 8 }, (_, i) =>
              service.stageChannelOrders(channel.id, [{ external_id: id, external_status: "paid", external_updated_at: "2026-01-01T10:00:00Z", raw: { id, i } }])
            )
          )
          expect(results.filter((r) => r.status === "rejected").map((r: any) => String(r.reason?.message ?? r.reason))).toEqual([])
          expect(await service.listChannelOrders({ channel_id: channel.id, external_id: id })).toHaveLength(1)
        }
      })

      it("a rate-limit wait that would outlast its deadline fails the call as retryable rate_limited instead of sleeping", async () => {
        const limit = { rate: 0.01, burst: 1 }
        const op = `deadline-test-${Date.now()}`
        const bounded = service.rateLimiterFor("chan_x", { deadline: Date.now() + 5_000 })
        await bounded.acquire(op, limit)
        const started = Date.now()
        const error: any = await bounded.acquire(op, limit).then(() => null, (e) => e)
        expect(Date.now() - started).toBeLessThan(2_000)
        expect(error).toMatchObject({ code: "rate_limited", retryable: true })
        expect(error.retry_after_ms).toBeGreaterThan(5_000)
      })

      it("the feedback sweep's watermark only moves forward", async () => {
        expect(await service.sweepWatermark("test-sweep")).toBeNull()
        await service.advanceSweepWatermark("test-sweep", new Date("2026-12-01T10:00:00Z"))
        await service.advanceSweepWatermark("test-sweep", new Date("2026-12-01T09:00:00Z"))
        expect((await service.sweepWatermark("test-sweep"))!.toISOString()).toBe("2026-12-01T10:00:00.000Z")
      })

      it("enforces the unique index in the database, not by a read-then-write", async () => {
        const channel = await service.createChannels({ name: "A", provider: "sandbox", settings: {} })
        await service.createChannelOrders({ channel_id: channel.id, external_id: "DUP-1" })
        await expect(service.createChannelOrders({ channel_id: channel.id, external_id: "DUP-1" })).rejects.toThrow()
      })

      it("lets exactly one claimant link a Medusa order to a channel order", async () => {
        const channel = await service.createChannels({ name: "A", provider: "sandbox", settings: {} })
        const co = await service.createChannelOrders({ channel_id: channel.id, external_id: "C-1" })
        const results = await Promise.all([
          service.claimChannelOrder(co.id, "order_a", { action: "import_as_valid", external_status: "paid" }),
          service.claimChannelOrder(co.id, "order_b", { action: "import_as_valid", external_status: "paid" }),
        ])
        expect(results.filter(Boolean)).toHaveLength(1)
        const after = await service.retrieveChannelOrder(co.id)
        expect(after.state).toBe("imported")
        expect(["order_a", "order_b"]).toContain(after.order_id)
      })

      it("shares a token bucket through the database", async () => {
        const limit = { rate: 1, burst: 3 }
        const waits: number[] = []
        for (let i = 0; i < 4; i++) waits.push(await service.tryTakeRateToken("chan_x:op", limit))
        expect(waits.slice(0, 3)).toEqual([0, 0, 0])
        expect(waits[3]).toBeGreaterThan(0)
        expect(waits[3]).toBeLessThanOrEqual(1000)
      })

      it("keeps provider cache entries encrypted and honours their expiry", async () => {
        const cache = service.providerCacheFor("chan_y")
        await cache.set("token", { access_token: "tok-123" }, 60)
        expect(await cache.get("token")).toEqual({ access_token: "tok-123" })
        const [row] = await service.listChannelProviderCaches({ id: "chan_y:token" })
        expect(row.value_encrypted).not.toContain("tok-123")
        await cache.set("token", { access_token: "old" }, -1)
        expect(await cache.get("token")).toBeUndefined()
      })

      it("registers the sandbox provider through the module's providers option", async () => {
        expect(service.listProviderIds()).toEqual(["sandbox"])
        expect(service.getProvider("sandbox").statuses().map((s) => s.external_status)).toContain("paid")
        expect(() => service.getProvider("nope")).toThrow(/Unknown channel provider/)
      })
    })
  },
})
