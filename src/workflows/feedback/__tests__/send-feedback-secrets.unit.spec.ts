import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { CHANNEL_MODULE } from "../../../modules/channel"
import { ChannelProviderError } from "../../../modules/channel/errors"
import { forgetRememberedSecrets } from "../../../modules/channel/scrub"
import { sendChannelFeedback } from "../steps/send-channel-feedback"
import type { ClaimedFeedback } from "../steps/claim-channel-feedback"

/** Issue 17, item 1: a provider whose error quotes the credentials leaks them neither to the outbox nor to the timeline. */
const NOW = new Date("2026-11-22T12:00:00.000Z")
const KEY = "feedback-key-31337\nsecond-line-4242"

function container(error: Error): MedusaContainer {
  const provider = {
    confirmShipment: async () => {
      throw error
    },
    statuses: () => [],
  }
  const channels = {
    getChannelContext: async () => ({ channel: { enabled: true, provider: "custom" }, provider, ctx: { channel_id: "ch_1", credentials: { api_key: KEY }, settings: {} } }),
    retrieveChannelOrder: async () => ({ id: "co_1", external_id: "EXT-1", raw: {} }),
    rateLimiterFor: () => ({ acquire: async () => undefined }),
  }
  const query = { graph: async () => ({ data: [{ labels: [] }] }) }
  return { resolve: (key: string) => (key === CHANNEL_MODULE ? channels : key === ContainerRegistrationKeys.QUERY ? query : undefined) } as unknown as MedusaContainer
}

const row = (): ClaimedFeedback =>
  ({
    id: "cfb_1",
    channel_id: "ch_1",
    channel_order_id: "co_1",
    order_id: "order_1",
    fulfillment_id: "ful_1",
    kind: "shipment",
    state: "sending",
    items: [{ external_item_id: "EXT-1-1", quantity: 1 }],
    carrier_code: "DHL",
    carrier_name: "DHL",
    tracking_numbers: ["T1"],
    shipped_at: NOW.toISOString(),
    attempts: 1,
    next_attempt_at: null,
    error_code: null,
    error_message: null,
    response: null,
    previous_state: "pending",
    claim: { state: "sending", attempts: 1, lease_until: NOW.toISOString() },
  }) as any

describe("feedback errors are scrubbed", () => {
  afterEach(() => forgetRememberedSecrets())

  it.each([
    ["a refusal", new ChannelProviderError("marketplace_rejected", `Refused key ${KEY}`, { marketplace_message: `bad key ${encodeURIComponent(KEY)}` })],
    ["a network error", new ChannelProviderError("network_error", `Headers.append: "${KEY}" is an invalid header value.`, { retryable: true })],
    ["a plain error", new TypeError(`Headers.append: "${KEY}" is an invalid header value.`)],
  ])("%s: neither the outcome nor the timeline event carries the key", async (_label, error) => {
    const outcome = await sendChannelFeedback(container(error), row(), NOW)
    const text = JSON.stringify(outcome)
    expect(text).not.toContain("feedback-key-31337")
    expect(text).not.toContain("second-line-4242")
    expect(text).toContain("[redacted]")
  })
})
