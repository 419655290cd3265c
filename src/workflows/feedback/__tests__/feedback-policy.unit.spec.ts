import { ChannelProviderError } from "../../../modules/channel/errors"
import { buildShipmentFeedback } from "../build-feedback"
import { buildCancelFeedback } from "../record-cancel-feedback"
import {
  backoffDelayMs,
  BACKOFF_MAX_MS,
  decideFailure,
  mapFulfillmentItems,
  MAX_ATTEMPTS,
  resolveCarrier,
} from "../policy"
import { readBack, supportsReadBack } from "../read-back"
import type { ShipmentFeedbackContext } from "../steps/load-shipment-feedback-context"
import { PROVIDERS } from "./providers"


const NOW = new Date("2026-11-22T12:00:00.000Z")

describe("carrier mapping", () => {
  it("prefers the shipping option, then the fulfillment provider, and splits code|name", () => {
    const mapping = { so_1: "DHL", manual_manual: "Other|Hermes Germany" }
    expect(resolveCarrier(mapping, { shipping_option_id: "so_1", provider_id: "manual_manual" })).toEqual({
      carrier_code: "DHL",
      carrier_name: null,
      mapped_from: "so_1",
    })
    expect(resolveCarrier(mapping, { shipping_option_id: "so_2", provider_id: "manual_manual" })).toEqual({
      carrier_code: "Other",
      carrier_name: "Hermes Germany",
      mapped_from: "manual_manual",
    })
    expect(resolveCarrier(mapping, { shipping_option_id: "so_2", provider_id: "other" })).toBeNull()
    expect(resolveCarrier({ so_1: "  " }, { shipping_option_id: "so_1" })).toBeNull()
  })
})

describe("fulfillment items → marketplace lines", () => {
  it("maps line ids, sums per marketplace line and reports lines that are not the marketplace's", () => {
    const { items, unmapped_line_item_ids } = mapFulfillmentItems(
      {
        id: "ful_1",
        items: [
          { line_item_id: "li_1", quantity: 1 },
          { line_item_id: "li_1", quantity: 1 },
          { line_item_id: "li_2", quantity: 3 },
          { line_item_id: "li_3", quantity: 1 },
          { line_item_id: "li_4", quantity: 0 },
        ],
      },
      [
        { id: "li_1", metadata: { external_item_id: "A-1" } },
        { id: "li_2", metadata: { external_item_id: "A-2" } },
        { id: "li_3", metadata: {} },
        { id: "li_4", metadata: { external_item_id: "A-4" } },
      ]
    )
    expect(items).toEqual([
      { external_item_id: "A-1", quantity: 2, line_item_ids: ["li_1"] },
      { external_item_id: "A-2", quantity: 3, line_item_ids: ["li_2"] },
    ])
    expect(unmapped_line_item_ids).toEqual(["li_3"])
  })
})

const context = (over: Partial<ShipmentFeedbackContext> = {}): ShipmentFeedbackContext => ({
  skip: null,
  trigger: "shipment_created",
  order_id: "order_1",
  channel_order: { id: "chord_1", channel_id: "ch_1", external_id: "X-1", action: "import_as_valid" },
  carrier_mapping: { so_std: "UPS" },
  shipped_when: "shipment_created",
  order_items: [
    { id: "li_1", metadata: { external_item_id: "L1" } },
    { id: "li_2", metadata: { external_item_id: "L2" } },
  ],
  fulfillments: [
    {
      id: "ful_1",
      shipped_at: "2026-11-22T10:00:00.000Z",
      shipping_option_id: "so_std",
      provider_id: "manual_manual",
      labels: [{ tracking_number: "1Z1" }, { tracking_number: "1Z1" }, { tracking_number: " 1Z2 " }],
      items: [{ line_item_id: "li_2", quantity: 1 }],
    },
  ],
  ...over,
})

describe("shipment feedback rows", () => {
  it("one pending row per shipped fulfillment with its lines, carrier, tracking and ship date", () => {
    const { rows } = buildShipmentFeedback(context(), NOW)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      channel_id: "ch_1",
      channel_order_id: "chord_1",
      order_id: "order_1",
      fulfillment_id: "ful_1",
      kind: "shipment",
      state: "pending",
      items: [{ external_item_id: "L2", quantity: 1 }],
      carrier_code: "UPS",
      tracking_numbers: ["1Z1", "1Z2"],
      next_attempt_at: NOW,
    })
    expect(new Date(rows[0].shipped_at as any).toISOString()).toBe("2026-11-22T10:00:00.000Z")
  })

  it("records an unmapped carrier as a pending row without carrier (delivery fails it before any call)", () => {
    const { rows } = buildShipmentFeedback(context({ carrier_mapping: {} }), NOW)
    expect(rows[0]).toMatchObject({ state: "pending", carrier_code: null })
  })

  it("skips import fulfillments, unshipped and canceled ones, other triggers and history imports", () => {
    const base = context().fulfillments[0]
    const built = buildShipmentFeedback(
      context({
        fulfillments: [
          { ...base, id: "f_import", metadata: { source: "channel_import" } },
          { ...base, id: "f_sync", metadata: { source: "channel_status_sync" } },
          { ...base, id: "f_unshipped", shipped_at: null },
          { ...base, id: "f_canceled", canceled_at: NOW },
        ],
      }),
      NOW
    )
    expect(built.rows).toEqual([])
    expect(built.skipped.map((s) => s.reason)).toEqual(["import_fulfillment", "import_fulfillment", "not_shipped", "canceled"])
    expect(buildShipmentFeedback(context({ shipped_when: "order_completed" }), NOW).rows).toEqual([])
    expect(
      buildShipmentFeedback(context({ channel_order: { ...context().channel_order!, action: "import_and_complete" } }), NOW).rows
    ).toEqual([])
    expect(buildShipmentFeedback({ ...context(), skip: "not_a_channel_order" }, NOW).rows).toEqual([])
  })

  it("a shipment of lines that are not the marketplace's is recorded failed, not dropped", () => {
    const { rows } = buildShipmentFeedback(context({ order_items: [{ id: "li_2", metadata: {} }] }), NOW)
    expect(rows[0]).toMatchObject({ state: "failed", error_code: "unmapped_items" })
  })
})

describe("cancel feedback", () => {
  const cctx = (over: any = {}) => ({
    skip: null,
    order_id: "order_1",
    channel_order: { id: "chord_1", channel_id: "ch_1", external_id: "X-1", action: "import_as_valid", external_status: "UNSHIPPED" },
    provider_id: "amazon",
    can_cancel: true,
    canceled_on_marketplace: false,
    ...over,
  })
  it("queues a cancel where the marketplace has a cancel API, flags it for a human otherwise", () => {
    expect(buildCancelFeedback(cctx(), NOW).row).toMatchObject({ kind: "cancel", state: "pending", fulfillment_id: null })
    expect(buildCancelFeedback(cctx({ can_cancel: false, provider_id: "ebay" }), NOW).row).toMatchObject({
      state: "failed",
      error_code: "manual_cancel_required",
    })
  })
  it("sends nothing for orders imported canceled or canceled by the marketplace itself", () => {
    expect(buildCancelFeedback(cctx({ channel_order: { ...cctx().channel_order, action: "import_and_cancel" } }), NOW)).toEqual({
      row: null,
      skip: "imported_as_import_and_cancel",
    })
    expect(buildCancelFeedback(cctx({ canceled_on_marketplace: true }), NOW).skip).toBe(
      "canceled_on_marketplace"
    )
  })
})

describe("retries", () => {
  it("backs off exponentially from one minute up to an hour", () => {
    const none = () => 0
    expect([1, 2, 3, 4, 7, 20].map((n) => backoffDelayMs(n, none))).toEqual([60_000, 120_000, 240_000, 480_000, 3_600_000, BACKOFF_MAX_MS])
    expect(backoffDelayMs(1, () => 1)).toBe(66_000)
  })

  it("transient errors go back to pending until the last attempt; refusals fail at once with the marketplace's words", () => {
    const transient = new ChannelProviderError("marketplace_unavailable", "HTTP 503", { retryable: true, status: 503 })
    const d1 = decideFailure(transient, 1, NOW, () => 0)
    expect(d1).toMatchObject({ state: "pending", error_code: "marketplace_unavailable" })
    expect(d1.next_attempt_at!.getTime() - NOW.getTime()).toBe(60_000)
    const last = decideFailure(transient, MAX_ATTEMPTS, NOW)
    expect(last).toMatchObject({ state: "failed", next_attempt_at: null })
    expect(last.error_message).toMatch(/Gave up after 8 attempts/)

    const refusal = new ChannelProviderError("marketplace_rejected", "Refused", {
      status: 400,
      marketplace_code: "InvalidInput",
      marketplace_message: "Invalid carrierCode: Foo.",
    })
    expect(decideFailure(refusal, 1, NOW)).toMatchObject({
      state: "failed",
      error_code: "marketplace_rejected",
      error_message: "Refused: Invalid carrierCode: Foo.",
      details: { marketplace_code: "InvalidInput", status: 400 },
    })
    expect(decideFailure(new Error("boom"), 1, NOW)).toMatchObject({ state: "pending", error_code: "internal_error" })
  })
})

describe("read-back", () => {
  const ship = { kind: "shipment" as const, items: [{ external_item_id: "L1", quantity: 1 }], tracking_numbers: ["1Z 999"] }
  it("Amazon: a package with our tracking number", () => {
    expect(readBack(PROVIDERS.amazon, { packages: [{ trackingNumber: "1Z999" }] }, ship)).toBe("confirmed")
    expect(readBack(PROVIDERS.amazon, { packages: [] }, ship)).toBe("missing")
    expect(readBack(PROVIDERS.amazon, { fulfillment: { fulfillmentStatus: "CANCELLED" } }, { ...ship, kind: "cancel" })).toBe("confirmed")
  })
  it("eBay: a shipping fulfillment named after the tracking number", () => {
    expect(readBack(PROVIDERS.ebay, { fulfillmentHrefs: ["http://x/order/1/shipping_fulfillment/1Z999"] }, ship)).toBe("confirmed")
    expect(readBack(PROVIDERS.ebay, { fulfillmentHrefs: [] }, ship)).toBe("missing")
    expect(readBack(PROVIDERS.ebay, {}, { ...ship, kind: "cancel" })).toBe("unsupported")
  })
  it("Mirakl: shipped with our tracking", () => {
    expect(readBack(PROVIDERS.mirakl, { order_state: "SHIPPED", shipping_tracking: "1Z999" }, ship)).toBe("confirmed")
    expect(readBack(PROVIDERS.mirakl, { order_state: "SHIPPING", shipping_tracking: "1Z999" }, ship)).toBe("missing")
    expect(readBack(PROVIDERS.mirakl, { order_state: "CANCELED" }, { ...ship, kind: "cancel" })).toBe("confirmed")
    // The provider's own reading, whatever id a store registered it under; one without it cannot read back.
    expect(supportsReadBack(PROVIDERS.ebay, "cancel")).toBe(false)
    expect(supportsReadBack({}, "shipment")).toBe(false)
    expect(readBack({} as any, { status: "shipped" }, ship)).toBe("unsupported")
  })
})
