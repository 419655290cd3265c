import { apiRateLimitOf, apiTokenMatches, bearerToken, generateApiToken, hashApiToken, parseApiToken, requestHash, stableJson } from "../api-keys"
import { signWebhookBody, verifyWebhookSignature } from "../../../providers/api/webhook"

describe("channel API keys", () => {
  it("a token is cok_<prefix>_<secret>; only its SHA-256 is kept and it matches in constant time", () => {
    const { token, prefix, token_hash } = generateApiToken()
    expect(token).toMatch(/^cok_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
    expect(parseApiToken(token)).toEqual({ prefix })
    expect(token_hash).toBe(hashApiToken(token))
    expect(token_hash).not.toContain(token.split("_")[2])
    expect(apiTokenMatches(token, token_hash)).toBe(true)
    expect(apiTokenMatches(token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"), token_hash)).toBe(false)
    expect(apiTokenMatches(token, "not-hex")).toBe(false)
    expect(generateApiToken().token).not.toBe(token)
  })

  it("refuses malformed tokens and headers", () => {
    for (const t of ["", "cok_", "cok_123_abc", "sk_live_x", `cok_${"g".repeat(12)}_${"A".repeat(43)}`, null, undefined]) expect(parseApiToken(t as any)).toBeNull()
    expect(bearerToken("Bearer abc")).toBe("abc")
    expect(bearerToken("bearer  abc ")).toBe("abc")
    expect(bearerToken("Basic abc")).toBeNull()
    expect(bearerToken(undefined)).toBeNull()
  })

  it("the same JSON in another key order or spacing is the same request", () => {
    expect(stableJson({ b: 1, a: [{ y: 2, x: 1 }] })).toBe('{"a":[{"x":1,"y":2}],"b":1}')
    expect(requestHash(JSON.parse('{"orders":[{"a":1,"b":"x"}]}'))).toBe(requestHash({ orders: [{ b: "x", a: 1 }] }))
    expect(requestHash({ orders: [1] })).not.toBe(requestHash({ orders: [2] }))
  })

  it("rate limit: 10/s burst 20 unless the channel says otherwise", () => {
    expect(apiRateLimitOf({})).toEqual({ rate: 10, burst: 20 })
    expect(apiRateLimitOf({ api_rate_limit: { rate: 2, burst: 5 } })).toEqual({ rate: 2, burst: 5 })
    expect(apiRateLimitOf({ api_rate_limit: { rate: -1, burst: 0 } })).toEqual({ rate: 10, burst: 20 })
  })

  it("webhook signatures: hex HMAC-SHA256 of the body", () => {
    const body = '{"event":"shipment.created"}'
    const sig = signWebhookBody("s3cret-s3cret-s3cret", body)
    expect(sig).toMatch(/^[0-9a-f]{64}$/)
    expect(verifyWebhookSignature("s3cret-s3cret-s3cret", body, sig)).toBe(true)
    expect(verifyWebhookSignature("s3cret-s3cret-s3cret", body, `sha256=${sig}`)).toBe(true)
    expect(verifyWebhookSignature("other", body, sig)).toBe(false)
    expect(verifyWebhookSignature("s3cret-s3cret-s3cret", body + " ", sig)).toBe(false)
    expect(verifyWebhookSignature("s3cret-s3cret-s3cret", body, undefined)).toBe(false)
  })
})
