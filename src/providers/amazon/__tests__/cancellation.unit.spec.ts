import { ChannelProviderError } from "../../../modules/channel/errors"
import { AmazonSimulator, makeOrder, SIM_FEED_RESULTS } from "../../../../integration-tests/simulators/amazon"
import { validateResponse, SPECS } from "../../../../integration-tests/simulators/openapi"
import { AmazonProviderError } from "../errors"
import { parseProcessingReport } from "../processing-report"
import { AmazonChannelProvider } from "../service"
import { amazonChannel, amazonProvider } from "./channel"

// getFeedDocument publishes 0.0222 requests/s: a high multiplier keeps a dozen reports within the bucket.
const MULTIPLIER = 500

describe("Amazon provider: the result of a cancellation feed", () => {
  let sim: AmazonSimulator
  const provider = amazonProvider({ rate_limit_multiplier: MULTIPLIER, cancellation_result_poll_ms: 5 })

  beforeAll(async () => {
    sim = await new AmazonSimulator({ rateLimitMultiplier: MULTIPLIER }).start()
  })
  afterAll(() => sim.stop())
  afterEach(() => {
    sim.clearFaults()
    expect(sim.specViolations).toEqual([])
  })

  function unshipped() {
    const raw = makeOrder({ items: [{}, {}] })
    sim.addOrders(raw)
    return raw
  }
  const cancel = (raw: any) =>
    provider.cancelOrder(amazonChannel(sim, { settings: { seller_id: "A1SIMSELLER" } }), {
      external_order_id: raw.orderId,
      reason: "no inventory",
      raw_order: raw,
    })
  const lastFeedId = () => (sim.requestsFor("createFeed").at(-1)!.response as { feedId: string }).feedId
  const getFeedsOf = (feedId: string) => sim.requestsFor("getFeed").filter((r) => r.path.endsWith(`/${feedId}`))
  const statusOf = (raw: any) => sim.order(raw.orderId)!.fulfillment!.fulfillmentStatus

  it("reads getFeed, getFeedDocument and the processing report: 'confirmed' when the report shows no error", async () => {
    const raw = unshipped()
    const result = await cancel(raw)
    const feedId = lastFeedId()
    expect(result).toMatchObject({
      state: "confirmed",
      external_reference: feedId,
      response: {
        feed_id: feedId,
        feed_type: "POST_ORDER_ACKNOWLEDGEMENT_DATA",
        processing_status: "DONE",
        result_feed_document_id: expect.any(String),
        report: { status_code: "Complete", messages_processed: 1, messages_successful: 1, messages_with_error: 0, errors: [], warnings: [] },
      },
    })
    expect(getFeedsOf(feedId)).toHaveLength(1)
    const doc = sim.requestsFor("getFeedDocument").at(-1)!
    expect(doc.path).toBe(`/feeds/2021-06-30/documents/${encodeURIComponent(result.response.result_feed_document_id as string)}`)
    expect(validateResponse(SPECS.amazonFeeds, "getFeedDocument", 200, doc.response).valid).toBe(true)
    expect(validateResponse(SPECS.amazonFeeds, "getFeed", 200, getFeedsOf(feedId)[0].response).valid).toBe(true)
    // The report comes from the pre-signed URL, without an SP-API token.
    const download = sim.requestsFor("downloadFeedDocument").at(-1)!
    expect(download.accessToken).toBeUndefined()
    expect(download.status).toBe(200)
    expect(statusOf(raw)).toBe("CANCELLED")
  })

  it("reads a gzip-compressed report and keeps its warnings", async () => {
    const raw = unshipped()
    sim.queueFeedOutcome({ gzip: true, warning: { code: "90010", description: "Simulated warning" } })
    const result = await cancel(raw)
    expect(sim.requestsFor("getFeedDocument").at(-1)!.response).toMatchObject({ compressionAlgorithm: "GZIP" })
    expect(result.state).toBe("confirmed")
    expect(result.response.report).toMatchObject({
      messages_with_warning: 1,
      warnings: [{ result_code: "Warning", code: "90010", description: "Simulated warning", amazon_order_id: raw.orderId }],
    })
  })

  it("a report with an error is a non-retryable cancellation_rejected with Amazon's result code and text", async () => {
    const raw = unshipped()
    sim.queueFeedOutcome({ result: "rejected", code: "12345", description: "Order cannot be cancelled <now> & here" })
    const err = await cancel(raw).catch((e) => e)
    expect(err).toBeInstanceOf(AmazonProviderError)
    expect(err).toBeInstanceOf(ChannelProviderError)
    expect(err).toMatchObject({
      code: "cancellation_rejected",
      retryable: false,
      marketplace_code: "12345",
      marketplace_message: "Order cannot be cancelled <now> & here",
    })
    expect(err.message).toContain(raw.orderId)
    expect(err.message).toContain(lastFeedId())
    expect(err.data).toMatchObject({
      feed_id: lastFeedId(),
      processing_status: "DONE",
      report: { messages_with_error: 1, errors: [{ message_id: "1", code: "12345", amazon_order_id: raw.orderId }] },
    })
    expect(statusOf(raw)).not.toBe("CANCELLED")
  })

  it("an order that already shipped comes back rejected by the report", async () => {
    const raw = unshipped()
    sim.updateOrder(raw.orderId, { status: "SHIPPED" })
    const err = await cancel(raw).catch((e) => e)
    expect(err).toMatchObject({
      code: "cancellation_rejected",
      retryable: false,
      marketplace_code: SIM_FEED_RESULTS.shipped.code,
      marketplace_message: SIM_FEED_RESULTS.shipped.description,
    })
  })

  it("still in progress after the quick reads: 'sent' with the feedId; readCancellationResult finishes it later", async () => {
    const raw = unshipped()
    sim.queueFeedOutcome({ pendingPolls: Infinity })
    const result = await cancel(raw)
    const feedId = lastFeedId()
    expect(result).toEqual({
      state: "sent",
      external_reference: feedId,
      response: { feed_id: feedId, feed_type: "POST_ORDER_ACKNOWLEDGEMENT_DATA", processing_status: "IN_PROGRESS", polls: 3 },
    })
    expect(getFeedsOf(feedId).map((r) => (r.response as any).processingStatus)).toEqual(["IN_QUEUE", "IN_PROGRESS", "IN_PROGRESS"])
    expect(statusOf(raw)).not.toBe("CANCELLED")

    const ctx = amazonChannel(sim)
    expect((await provider.readCancellationResult(ctx, feedId)).state).toBe("sent")
    expect(getFeedsOf(feedId)).toHaveLength(4)

    sim.finishFeed(feedId)
    const later = await provider.readCancellationResult(ctx, feedId)
    expect(later).toMatchObject({ state: "confirmed", external_reference: feedId, response: { processing_status: "DONE" } })
    expect(statusOf(raw)).toBe("CANCELLED")
    // Only one feed was ever submitted.
    expect(sim.requestsFor("createFeed").filter((r) => (r.response as any)?.feedId === feedId)).toHaveLength(1)
  })

  it("a later read of a feed Amazon ends up rejecting throws the rejection", async () => {
    const raw = unshipped()
    sim.queueFeedOutcome({ pendingPolls: 4, result: "rejected" })
    const result = await cancel(raw)
    expect(result.state).toBe("sent")
    const err = await provider.readCancellationResult(amazonChannel(sim), result.external_reference, { polls: 3 }).catch((e) => e)
    expect(err).toMatchObject({ code: "cancellation_rejected", retryable: false, marketplace_code: SIM_FEED_RESULTS.rejected.code })
    expect(getFeedsOf(result.external_reference)).toHaveLength(5)
  })

  it("FATAL: rejected with the report's error, or feed_fatal without a report", async () => {
    sim.queueFeedOutcome({ result: "fatal" })
    const withReport = await cancel(unshipped()).catch((e) => e)
    expect(withReport).toMatchObject({ code: "cancellation_rejected", retryable: false, marketplace_code: SIM_FEED_RESULTS.fatal.code })
    expect(withReport.data.processing_status).toBe("FATAL")

    sim.queueFeedOutcome({ result: "fatal", noReport: true })
    const bare = await cancel(unshipped()).catch((e) => e)
    expect(bare).toBeInstanceOf(AmazonProviderError)
    expect(bare).toMatchObject({ code: "feed_fatal", retryable: false })
  })

  it("a feed Amazon cancelled before processing is a retryable feed_cancelled: nothing was applied", async () => {
    const raw = unshipped()
    sim.queueFeedOutcome({ result: "cancelled" })
    const err = await cancel(raw).catch((e) => e)
    expect(err).toBeInstanceOf(AmazonProviderError)
    expect(err).toMatchObject({ code: "feed_cancelled", retryable: true, data: { processing_status: "CANCELLED" } })
    expect(statusOf(raw)).not.toBe("CANCELLED")
  })

  it("DONE without a readable report stays 'sent' (the order read-back decides)", async () => {
    sim.queueFeedOutcome({ noReport: true })
    const none = await cancel(unshipped())
    expect(none).toMatchObject({ state: "sent", response: { processing_status: "DONE", report_unreadable: "no result document" } })

    sim.queueFeedOutcome({ reportContent: "feed-id\tstatus\nsomething else" })
    const odd = await cancel(unshipped())
    expect(odd).toMatchObject({ state: "sent", response: { processing_status: "DONE", report_unreadable: "not a processing report" } })
  })

  it("a failed read after the feed was created returns 'sent' with the feedId, never an error that would resend the feed", async () => {
    const raw = unshipped()
    sim.injectFault({ kind: "server_error", operation: "getFeed", status: 503, count: 20 })
    const result = await cancel(raw)
    const feedId = lastFeedId()
    expect(result).toMatchObject({ state: "sent", external_reference: feedId, response: { feed_id: feedId, processing_status: null } })
    expect(result.response.read_error).toMatch(/503/)

    // A later read during the outage throws the transient error; after it, the result is read.
    const transient = await provider.readCancellationResult(amazonChannel(sim), feedId).catch((e) => e)
    expect(transient).toBeInstanceOf(ChannelProviderError)
    expect(transient.retryable).toBe(true)
    sim.clearFaults()
    expect((await provider.readCancellationResult(amazonChannel(sim), feedId)).state).toBe("confirmed")
  })

  it("refuses poll settings that make no sense", () => {
    expect(() => new AmazonChannelProvider({}, { cancellation_result_polls: 0 })).toThrow(/cancellation_result_polls/)
    expect(() => new AmazonChannelProvider({}, { cancellation_result_poll_ms: -1 })).toThrow(/cancellation_result_poll_ms/)
  })
})

describe("parseProcessingReport", () => {
  it("reads summary counts and results, unescaping text, and refuses what is not a processing report", () => {
    const xml = `<?xml version="1.0"?><AmazonEnvelope><MessageType>ProcessingReport</MessageType><Message><MessageID>1</MessageID>
      <ProcessingReport><DocumentTransactionID>1</DocumentTransactionID><StatusCode>Complete</StatusCode>
      <ProcessingSummary><MessagesProcessed>2</MessagesProcessed><MessagesSuccessful>1</MessagesSuccessful>
      <MessagesWithError>1</MessagesWithError><MessagesWithWarning>0</MessagesWithWarning></ProcessingSummary>
      <Result><MessageID>2</MessageID><ResultCode>Error</ResultCode><ResultMessageCode>42</ResultMessageCode>
      <ResultDescription>Bad &amp; worse &#233;</ResultDescription><AdditionalInfo><AmazonOrderID>111-1</AmazonOrderID></AdditionalInfo></Result>
      </ProcessingReport></Message></AmazonEnvelope>`
    expect(parseProcessingReport(xml)).toEqual({
      status_code: "Complete",
      messages_processed: 2,
      messages_successful: 1,
      messages_with_error: 1,
      messages_with_warning: 0,
      errors: [{ message_id: "2", result_code: "Error", code: "42", description: "Bad & worse é", amazon_order_id: "111-1" }],
      warnings: [],
    })
    expect(parseProcessingReport("<AmazonEnvelope><Message/></AmazonEnvelope>")).toBeNull()
    expect(parseProcessingReport("<ProcessingReport><StatusCode>Complete</StatusCode></ProcessingReport>")).toBeNull()
  })
})
