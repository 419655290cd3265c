import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { CHANNEL_MODULE } from "../../src/modules/channel"
import { seedStore, type SeededStore } from "../../src/scripts/seed-store"
import { ImportAlreadyRunningError, runChannelImport } from "../../src/workflows/import-orders/run-channel-import"
import { AmazonSimulator, makeOrder as makeAmazonOrder, SIM_CLIENT_ID, SIM_CLIENT_SECRET, SIM_REFRESH_TOKEN } from "../simulators/amazon"
import { EbaySimulator, makeOrder as makeEbayOrder, simOrderId } from "../simulators/ebay"
import { MiraklSimulator, makeOrder as makeMiraklOrder } from "../simulators/mirakl"
import { FAULT_KINDS, FaultSchedule, seededRandom, type FaultEvent, type FaultKind } from "../simulators/faults"
import { adminHeaders } from "../helpers/admin"
import { channelOrders, createChannel, medusaOrdersOf, patchProviderOptions, regionFor, useRateLimitMultiplier, wellStockedSkus, type Auth } from "../helpers/marketplace"

/**
 * Marketplace faults, end to end (issue 16): for each of Amazon, eBay and Mirakl, a channel pulls
 * from its simulator 20 times while a seeded fault schedule (../simulators/faults.ts) breaks the
 * listing calls: 429 with and without Retry-After, 500, 503, timeouts (before the headers and in
 * the middle of a body), connection resets (before the headers and in the middle of a body),
 * truncated JSON, refused ("expired") page tokens and orders whose status flips between two pages. Between
 * runs the marketplace moves on (new orders, payments clearing). Then the faults stop and the channel
 * pulls twice more. What must hold:
 *   - every order ends as its final marketplace status says under the channel's default rules:
 *     imported (exactly one Medusa order), waiting or ignored (none); an order imported while it
 *     could be and canceled later stays imported once, its Medusa order canceled;
 *   - no external order has two Medusa orders and no channel order failed;
 *   - nothing fails silently: a run in which a call failed for good (its faults outlasted the
 *     retries) ended `failed` with that failure in its error, and a run that failed did so because
 *     of an injected fault. Faults the retries absorbed left the run `succeeded`.
 * FAULT_SEED=<n> replays one schedule (the seed in use is printed with the measurements).
 */
const MULTIPLIER = useRateLimitMultiplier(1000)
const SEED = Number(process.env.FAULT_SEED || 16_2026)
const RUNS = 20
/** The provider's per-attempt timeout here, and how long a `timeout` fault holds a request. */
const TIMEOUT_MS = 1_500
const HOLD_MS = 3_500
/** Fast backoff; three attempts per call, so a fault persisting over three attempts fails the call. */
const RETRY = { maxAttempts: 3, baseDelayMs: 40, maxDelayMs: 300 }
/** The test clock moves this much before each run, so Amazon's 2-minute listing lag never hides a change. */
const STEP_MS = 3 * 60_000
const MIN = 60_000
/**
 * Small pages, so every run reads several. eBay's provider starts each page after the first 10
 * orders early (PAGE_OVERLAP) and only asks for a non-zero offset past that: its pages hold 11.
 */
const PAGE_SIZE = { amazon: 5, ebay: 11, mirakl: 5 }
const INITIAL_ORDERS = 24
/** New orders per run: eBay's larger pages need more to span two. */
const NEW_PER_RUN = { amazon: 4, ebay: 7, mirakl: 4 }

jest.setTimeout(600_000)

type Role = "import" | "wait" | "ignore" | "history"

/** One marketplace behind the same test. */
type Market = {
  name: "amazon" | "ebay" | "mirakl"
  listing: string
  schedule: FaultSchedule
  start(): Promise<void>
  stop(): Promise<void>
  channelSettings(): Record<string, unknown>
  credentials: Record<string, unknown>
  /** Adds an order of the given role, updated at `at`. */
  add(k: number, role: Role, at: number): void
  /** Moves one waiting order on (payment cleared, debited); false if none waits. */
  progress(random: () => number, at: number): boolean
  /** Every order the marketplace holds now. */
  stored(): unknown[]
  /** The orders a normally answered listing request handed out. */
  listed(record: unknown): unknown[]
  /** HTTP status the simulator gave a request (0: none). */
  status(record: unknown): number
}

/** The part of an error message the shared HTTP client writes for each fault, when it makes a call fail. */
const ERROR_OF: Record<Exclude<FaultKind, "status_flip">, RegExp> = {
  throttle_retry_after: /throttled the call/,
  throttle: /throttled the call/,
  server_500: /HTTP 500/,
  server_503: /HTTP 503/,
  timeout: /No answer from the marketplace within/,
  reset: /Network error/,
  truncated: /not valid JSON/,
  cut_off: /connection broke while the answer \(HTTP 200\) was being read/,
  stalled: /No answer from the marketplace within \d+ ms \(the body of its HTTP 200 stopped arriving\)/,
  expired_page: /HTTP 400/,
}

/** Kinds whose error text another kind's pattern also matches, matched to a run's errors before it. */
const MATCH_FIRST: FaultKind[] = ["cut_off", "stalled"]

let offset = 0
const clock = () => Date.now() + offset

medusaIntegrationTestRunner({
  testSuite: ({ getContainer, api }) => {
    let store: SeededStore
    let auth: Auth
    let skus: string[]
    const measured: Record<string, unknown> = { seed: SEED, runs_per_marketplace: RUNS }
    const started = Date.now()

    beforeAll(async () => {
      store = await seedStore(getContainer(), { withAdmin: true })
      skus = wellStockedSkus(store)
    })

    beforeEach(async () => {
      auth = await adminHeaders(api, getContainer())
    })

    afterAll(() => {
      measured.wall_seconds = Math.round((Date.now() - started) / 100) / 10
      // eslint-disable-next-line no-console
      console.log(`MARKETPLACE FAULTS ${JSON.stringify(measured)}`)
    })

    const channels = () => getContainer().resolve(CHANNEL_MODULE) as any

    /** One pull on the test clock; a scheduled pull holding the lock is waited for. */
    async function pull(channelId: string) {
      for (let attempt = 0; ; attempt++) {
        try {
          return await runChannelImport(getContainer(), { channel_id: channelId, trigger: "manual", now: new Date(clock()) })
        } catch (e) {
          if (!(e instanceof ImportAlreadyRunningError) || attempt > 30) throw e
          await new Promise((r) => setTimeout(r, 1_000))
        }
      }
    }

    async function exercise(market: Market) {
      const container = getContainer()
      const world = seededRandom(SEED ^ 0x5eed)
      const roles: Role[] = ["import", "import", "import", "import", "wait", "wait", "ignore", "history"]
      const role = () => roles[Math.floor(world() * roles.length)]
      let k = 0
      offset += STEP_MS
      for (let i = 0; i < INITIAL_ORDERS; i++) market.add(k++, role(), clock() - 30 * MIN + i * 30_000)

      await market.start()
      const provider = channels().getProvider(market.name)
      // Amazon's and eBay's providers end a window no later than their own clock says (Amazon: minus
      // 2 minutes): they run on the test clock, as the windows and the simulators do.
      const restore = patchProviderOptions(container, market.name, { timeout_ms: TIMEOUT_MS, retry: RETRY, ...(market.name === "ebay" ? { now: clock } : {}) })
      const ownClock = provider.now
      if (market.name === "amazon") provider.now = clock
      try {
        const channel = await createChannel(api, auth, {
          name: `Faults ${market.name}`,
          provider: market.name,
          enabled: false,
          credentials: market.credentials,
          settings: { lookback_hours: 24, pull_interval_minutes: 1440, page_size: PAGE_SIZE[market.name], ...market.channelSettings() },
        })
        await api.post(`/admin/channels/${channel.id}`, { enabled: true }, auth)

        const runs: any[] = []
        market.schedule.resume()
        for (let r = 0; r < RUNS; r++) {
          if (r > 0) {
            for (let i = 0; i < NEW_PER_RUN[market.name]; i++) market.add(k++, role(), clock())
            if (world() < 0.6) market.progress(world, clock())
          }
          offset += STEP_MS
          runs.push(await pull(channel.id))
        }
        market.schedule.pause()
        offset += STEP_MS
        const clean = await pull(channel.id)
        offset += STEP_MS
        const settle = await pull(channel.id)
        expect([clean.status, clean.error, settle.status, settle.error]).toEqual(["succeeded", null, "succeeded", null])

        await checkRuns(market, channel.id)
        await checkOrders(market, channel.id, provider)
        const counts = market.schedule.counts()
        // Every kind of fault was injected at least once.
        expect(FAULT_KINDS.filter((kind) => !counts[kind])).toEqual([])
        measured[market.name] = {
          ...(measured[market.name] as object),
          orders: market.stored().length,
          runs: runs.length + 2,
          failed_runs: runs.filter((x) => x.status === "failed").length,
          listing_requests: market.schedule.log.length,
          faults: Object.fromEntries(FAULT_KINDS.map((kind) => [kind, counts[kind]])),
          faults_total: Object.values(counts).reduce((a, b) => a + b, 0),
        }
      } finally {
        restore()
        provider.now = ownClock
        await market.stop()
      }
    }

    /**
     * Splits the schedule's log by run. A faulted request is absorbed when the same call was answered
     * normally later in the run (for a refused page token: when the run read its window again from
     * the first page); a run with an unabsorbed fault must have failed with that fault's error, and a
     * failed run must hold one.
     */
    async function checkRuns(market: Market, channelId: string) {
      const runs = await channels().listChannelImportRuns({ channel_id: channelId }, { order: { started_at: "ASC" }, take: 1000 })
      const log = market.schedule.log
      const problems: string[] = []
      const byRun = new Map<string, FaultEvent[]>()
      for (const e of log) {
        const run = runs.find((x: any) => e.at >= new Date(x.started_at).getTime() && e.at <= new Date(x.finished_at ?? Date.now()).getTime())
        if (!run) {
          problems.push(`request #${e.n} (${e.kind ?? "ok"}) outside any run`)
          continue
        }
        byRun.set(run.id, [...(byRun.get(run.id) ?? []), e])
      }
      let absorbed = 0
      let surfaced = 0
      let recordedCalls = 0
      const surfacedByKind: Record<string, number> = {}
      for (const [index, run] of runs.entries()) {
        const events = byRun.get(run.id) ?? []
        const ok = (e: FaultEvent) => !e.kind || e.kind === "status_flip"
        const answered = (e: FaultEvent) => ok(e) && market.status(e.record) >= 200 && market.status(e.record) < 300
        const unresolved = events.filter((e, i) => {
          if (ok(e)) return false
          const later = events.slice(i + 1)
          const settled = e.kind === "expired_page" ? later.some((x) => !x.paged && answered(x)) : later.some((x) => x.key === e.key && answered(x))
          if (settled) absorbed++
          return !settled
        })
        const label = `run ${index + 1} (${run.status}${run.error ? `: ${run.error}` : ""})`
        // Every failed call is visible in the run's errors: each injected HTTP fault, absorbed by a
        // retry or not, has an entry of its own with the text the client writes for that fault.
        // The narrower texts are matched first (a stalled body also reads "No answer…", a cut-off one
        // also "Network error…").
        const injected = events
          .filter((e) => !ok(e))
          .sort((a, b) => MATCH_FIRST.indexOf(b.kind!) - MATCH_FIRST.indexOf(a.kind!))
        const recorded: Array<{ message: string; code: string; operation: string }> = [...(run.errors ?? [])]
        const dropped = Number(run.errors_dropped ?? 0)
        recordedCalls += recorded.length + dropped
        for (const e of injected) {
          const i = recorded.findIndex((x) => ERROR_OF[e.kind as keyof typeof ERROR_OF].test(x.message) && !!x.code && !!x.operation)
          if (i >= 0) recorded.splice(i, 1)
          else if (!dropped) problems.push(`${label}: the ${e.kind} injected at #${e.n} is not in the run's errors (${(run.errors ?? []).map((x: any) => x.message).join(" | ") || "none"})`)
        }
        if (dropped && injected.length > (run.errors?.length ?? 0) + dropped) {
          problems.push(`${label}: ${injected.length} faults injected, only ${(run.errors?.length ?? 0) + dropped} failed calls recorded`)
        }
        if (unresolved.length) {
          surfaced++
          const last = unresolved[unresolved.length - 1]
          surfacedByKind[last.kind!] = (surfacedByKind[last.kind!] ?? 0) + 1
          if (run.status !== "failed") problems.push(`${label}: ${unresolved.map((e) => `#${e.n} ${e.kind}`).join(", ")} failed a call, yet the run did not fail`)
          else if (!ERROR_OF[last.kind as keyof typeof ERROR_OF].test(run.error ?? "")) problems.push(`${label}: the error does not tell of the ${last.kind} at #${last.n}`)
        } else if (run.status !== "succeeded") {
          problems.push(`${label} failed without an injected fault making a call fail (requests ${events.map((e) => `#${e.n}:${e.kind ?? market.status(e.record)}`).join(" ")})`)
        }
      }
      measured[market.name] = { absorbed_faults: absorbed, failed_calls_surfaced: surfaced, surfaced_by_kind: surfacedByKind, failed_calls_recorded: recordedCalls }
      expect(problems).toEqual([])
    }

    async function checkOrders(market: Market, channelId: string, provider: any) {
      const rules = new Map<string, { action: string; retry: boolean }>(provider.defaultStatusRules().map((r: any) => [r.external_status, r]))
      const kinds = new Map<string, string>(provider.statuses().map((s: any) => [s.external_status, s.kind]))
      const importable = (status: string) => (rules.get(status)?.action ?? "do_not_import") !== "do_not_import"
      // What the channel could have seen: every order a normally answered listing request handed out.
      const seenImportable = new Set<string>()
      for (const e of market.schedule.log) {
        if (e.kind && e.kind !== "status_flip") continue
        for (const raw of market.listed(e.record)) {
          const id = provider.identify(raw)
          if (importable(id.status)) seenImportable.add(id.external_id)
        }
      }
      const medusa = await medusaOrdersOf(getContainer(), channelId)
      const cos = await channelOrders(api, auth, channelId)
      const coById = new Map(cos.map((c) => [c.external_id, c]))
      const problems: string[] = []
      const tally: Record<string, number> = {}
      for (const raw of market.stored()) {
        const { external_id: id, status } = provider.identify(raw)
        const rule = rules.get(status) ?? { action: "do_not_import", retry: true }
        const orders = medusa.get(id) ?? []
        const co = coById.get(id)
        const where = `${id} (${status}): channel order ${co?.state ?? "none"}, ${orders.length} Medusa order(s)`
        if (orders.length > 1) problems.push(`${where}: imported twice`)
        if (!co) {
          problems.push(`${where}: never staged`)
          continue
        }
        if (co.state === "failed") problems.push(`${where}: failed ${co.error_code}: ${co.error_message}`)
        let outcome: string
        if (rule.action !== "do_not_import") {
          outcome = "imported"
          if (co.state !== "imported" || orders.length !== 1 || co.order_id !== orders[0]?.id) problems.push(`${where}: should be imported once`)
        } else if (orders.length) {
          // Imported while it could be, then changed on the marketplace.
          outcome = "imported, then changed"
          if (co.state !== "imported" || co.order_id !== orders[0].id) problems.push(`${where}: the Medusa order is not the channel order's`)
          if (!seenImportable.has(id)) problems.push(`${where}: imported, but no listing ever showed it importable`)
          if (kinds.get(status) === "canceled" && orders[0].status !== "canceled") problems.push(`${where}: its Medusa order is ${orders[0].status}, not canceled`)
        } else {
          outcome = rule.retry ? "waiting" : "ignored"
          if (co.state !== outcome) problems.push(`${where}: should be ${outcome}`)
          if (seenImportable.has(id)) problems.push(`${where}: a listing showed it importable, yet it was never imported`)
        }
        tally[outcome] = (tally[outcome] ?? 0) + 1
      }
      const extra = [...medusa.keys()].filter((id) => !coById.has(id))
      if (extra.length) problems.push(`Medusa orders for unknown external ids ${extra.join(", ")}`)
      measured[market.name] = { ...(measured[market.name] as object), outcomes: tally }
      expect(problems).toEqual([])
    }

    const scheduleFor = (name: string, operation: string, salt: number) =>
      new FaultSchedule({
        seed: SEED + salt,
        rate: 0.3,
        persistence: 0.25,
        attempts: RETRY.maxAttempts,
        retryAfterSeconds: 1,
        timeoutHoldMs: HOLD_MS,
        operations: [operation],
        active: false,
        // Dealt from a shuffled deck, so every kind comes up. Page faults only hit requests for a
        // later page, which are fewer: two cards each.
        weights: { expired_page: 2, status_flip: 2 },
      })

    // ------------------------------------------------------------------------------------ Amazon
    it("Amazon: 20 pulls under a seeded fault schedule lose nothing, double nothing and hide no failure", async () => {
      const MARKETPLACE = "ATVPDKIKX0DER"
      const usRegion = await regionFor(getContainer(), "usd")
      let sim: AmazonSimulator
      const built = new Map<number, { id: string; created: Date; role: Role }>()
      const schedule = scheduleFor("amazon", "searchOrders", 1)
      const build = (k: number, status: string, at: number) => {
        const first = built.get(k)
        const created = first?.created ?? new Date(at - 60 * MIN)
        const order = makeAmazonOrder({
          ...(first ? { id: first.id } : {}),
          status: status as any,
          marketplaceId: MARKETPLACE,
          createdTime: created,
          lastUpdatedTime: new Date(at),
          serviceLevel: "STANDARD",
          buyerName: `Fault Buyer ${k}`,
          buyerEmail: `fault${k}@marketplace.amazon.com`,
          address: { addressLine1: `${100 + k} Pine Street`, city: "Seattle", stateOrRegion: "WA", postalCode: "98101" },
          items: [{ sku: skus[k % skus.length], title: `Fault ${k}`, quantity: 1, unitPrice: 20 + (k % 7), tax: 1.6, shipping: 4.99 }],
        })
        return { order, created }
      }
      const market: Market = {
        name: "amazon",
        listing: "searchOrders",
        schedule,
        credentials: { client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET, refresh_token: SIM_REFRESH_TOKEN },
        async start() {
          sim = new AmazonSimulator({
            rateLimitMultiplier: MULTIPLIER,
            now: clock,
            accessTokenTtlSeconds: 2 * 86_400,
            restrictedDataTokenTtlSeconds: 2 * 86_400,
            faults: schedule,
          })
          await sim.start()
          for (const { order } of pendingAdds.splice(0)) sim.addOrders(order)
        },
        stop: async () => sim?.stop(),
        channelSettings: () => ({
          sales_channel_id: store.sales_channel_id,
          region_id: usRegion,
          stock_location_id: store.stock_location_id,
          default_shipping_option_id: store.shipping_options.standard,
          marketplace_ids: [MARKETPLACE],
          seller_id: "A2FAULTSELLER",
          base_url: sim.baseUrl,
          auth_url: sim.authUrl,
        }),
        add(k, role, at) {
          const status = { import: "UNSHIPPED", wait: "PENDING", ignore: "CANCELLED", history: "SHIPPED" }[role]
          const { order, created } = build(k, status, at)
          built.set(k, { id: order.orderId, created, role })
          if (sim) sim.addOrders(order)
          else pendingAdds.push({ order })
        },
        progress(random, at) {
          const waiting = [...built.entries()].filter(([, b]) => sim.order(b.id)?.fulfillment?.fulfillmentStatus === "PENDING")
          if (!waiting.length) return false
          const [k] = waiting[Math.floor(random() * waiting.length)]
          sim.addOrders(build(k, "UNSHIPPED", at).order)
          return true
        },
        stored: () => sim.orderIds().map((id) => sim.order(id)),
        listed: (record: any) => (record?.status === 200 && Array.isArray(record.response?.orders) ? record.response.orders : []),
        status: (record: any) => record?.status ?? 0,
      }
      const pendingAdds: { order: any }[] = []
      await exercise(market)
    })

    // -------------------------------------------------------------------------------------- eBay
    it("eBay: 20 pulls under a seeded fault schedule lose nothing, double nothing and hide no failure", async () => {
      const gbRegion = await regionFor(getContainer(), "gbp")
      const CREDENTIALS = { client_id: "SimApp-PRD-0123456789-abcdef", client_secret: "PRD-sim-client-secret", refresh_token: "v^1.1#i^1#r^1#sim-refresh-token" }
      const schedule = scheduleFor("ebay", "getOrders", 2)
      const sim = new EbaySimulator({
        clientId: CREDENTIALS.client_id,
        clientSecret: CREDENTIALS.client_secret,
        refreshTokens: [CREDENTIALS.refresh_token],
        rateLimitMultiplier: MULTIPLIER,
        accessTokenTtlSeconds: 2 * 86_400,
        now: clock,
        faults: schedule,
      })
      const created = new Map<number, string>()
      const build = (k: number, role: Role | "paid", at: number) => {
        const seq = 700 + k
        if (!created.has(k)) created.set(k, new Date(at - 60 * MIN).toISOString())
        return makeEbayOrder({
          seq,
          currency: "GBP",
          status: role === "history" ? "FULFILLED" : "NOT_STARTED",
          paymentStatus: role === "wait" ? "PENDING" : "PAID",
          cancelState: role === "ignore" ? "CANCELED" : "NONE_REQUESTED",
          creationDate: created.get(k),
          lastModifiedDate: new Date(at).toISOString(),
          shippingServiceCode: "UK_RoyalMailFirstClassStandard",
          shippingCarrierCode: "RoyalMail",
          buyer: { fullName: `Fault Buyer ${k}`, email: `fault${k}@example.co.uk`, addressLine1: `${k} High Street`, city: "London", postalCode: "SW1A 1AA", countryCode: "GB" },
          shipTo: { fullName: `Fault Buyer ${k}`, email: `fault${k}@example.co.uk`, addressLine1: `${k} High Street`, city: "London", postalCode: "SW1A 1AA", countryCode: "GB" },
          lineItems: [{ sku: skus[k % skus.length], title: `Fault ${k}`, quantity: 1, unitPrice: 12 + (k % 9), tax: 2.4 }],
        })
      }
      const market: Market = {
        name: "ebay",
        listing: "getOrders",
        schedule,
        credentials: CREDENTIALS,
        start: async () => void (await sim.start()),
        stop: () => sim.stop(),
        channelSettings: () => ({
          sales_channel_id: store.sales_channel_id,
          region_id: gbRegion,
          stock_location_id: store.stock_location_id,
          shipping_mapping: { UK_RoyalMailFirstClassStandard: store.shipping_options.standard },
          default_shipping_option_id: store.shipping_options.standard,
          email_policy: "placeholder",
          marketplace_id: "EBAY_GB",
          base_url: sim.url,
          auth_url: sim.authUrl,
        }),
        add: (k, role, at) => sim.addOrders(build(k, role, at)),
        progress(random, at) {
          const waiting = [...created.keys()].filter((k) => sim.getStoredOrder(simOrderId(700 + k))?.orderPaymentStatus === "PENDING")
          if (!waiting.length) return false
          const k = waiting[Math.floor(random() * waiting.length)]
          sim.addOrders(build(k, "paid", at))
          return true
        },
        stored: () => sim.orderIds().map((id) => sim.getStoredOrder(id)),
        listed: (record: any) => {
          if (record?.status !== 200) return []
          const res = sim.responses.find((x) => x.seq === record.seq)
          return Array.isArray((res?.body as any)?.orders) ? (res!.body as any).orders : []
        },
        status: (record: any) => record?.status ?? 0,
      }
      await exercise(market)
    })

    // ------------------------------------------------------------------------------------ Mirakl
    it("Mirakl: 20 pulls under a seeded fault schedule lose nothing, double nothing and hide no failure", async () => {
      const API_KEY = "faults-sim-shop-key"
      const schedule = scheduleFor("mirakl", "OR11", 3)
      const sim = new MiraklSimulator({ apiKey: API_KEY, rateLimitMultiplier: MULTIPLIER, debitAfterMs: "manual", now: clock, faults: schedule })
      const market: Market = {
        name: "mirakl",
        listing: "OR11",
        schedule,
        credentials: { api_key: API_KEY },
        start: async () => void (await sim.start()),
        stop: () => sim.stop(),
        channelSettings: () => ({
          sales_channel_id: store.sales_channel_id,
          region_id: store.region_id,
          stock_location_id: store.stock_location_id,
          shipping_mapping: { STD: store.shipping_options.standard },
          base_url: sim.url,
        }),
        add(k, role, at) {
          // Waiting: half still to accept (the channel accepts them, OR21), half accepted and not yet debited.
          const state = { import: "SHIPPING", wait: k % 2 ? "WAITING_ACCEPTANCE" : "WAITING_DEBIT_PAYMENT", ignore: k % 2 ? "CANCELED" : "REFUSED", history: "SHIPPED" }[role]
          sim.addOrder(
            makeMiraklOrder({
              id: `FLT${String(k).padStart(4, "0")}-A`,
              state,
              createdAt: new Date(at - 60 * MIN + k * 1000),
              lastUpdated: new Date(at),
              currency: "EUR",
              shippingCountry: "FRA",
              billingCountry: "FRA",
              firstname: "Camille",
              lastname: `Faute${k}`,
              shippingTypeCode: "STD",
              shippingTypeLabel: "Standard",
              fulfillmentCenter: "SHOP-WAREHOUSE",
              lines: [{ sku: skus[k % skus.length], quantity: 1, unitPrice: 15 + (k % 11), shippingPrice: 3.9, taxRate: 20 }],
            })
          )
        },
        progress(random) {
          const waiting = sim.allOrders().filter((o) => o.order_state === "WAITING_DEBIT_PAYMENT")
          if (!waiting.length) return false
          sim.debit(waiting[Math.floor(random() * waiting.length)].order_id)
          return true
        },
        stored: () => sim.allOrders(),
        listed: (record: any) => (record?.response?.status === 200 && Array.isArray(record.response.body?.orders) ? record.response.body.orders : []),
        status: (record: any) => record?.response?.status ?? 0,
      }
      await exercise(market)
    })
  },
})
