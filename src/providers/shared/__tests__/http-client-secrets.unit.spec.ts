import { requestMarketplace, requestSecrets } from "../http-client"
import { forgetRememberedSecrets } from "../../../modules/channel/scrub"

/** Issue 17, item 1: the shared client's errors never carry the request's credentials. */
describe("requestMarketplace scrubs credentials from its errors", () => {
  afterEach(() => forgetRememberedSecrets())

  it("a key with a newline: fetch's invalid-header error leaves without the key", async () => {
    const key = "mirakl-key-1234\nsecond-half-5678"
    let error: any
    try {
      await requestMarketplace({ method: "GET", url: "http://127.0.0.1:9/api/orders", headers: { authorization: key }, retry: { maxAttempts: 1 }, sleep: async () => {} })
    } catch (e) {
      error = e
    }
    expect(error).toBeDefined()
    expect(error.code).toBe("network_error")
    expect(error.message).toMatch(/invalid header value/)
    for (const part of ["mirakl-key-1234", "second-half-5678"]) {
      expect(error.message).not.toContain(part)
      expect(String(error.stack)).not.toContain(part)
      expect(JSON.stringify(error)).not.toContain(part)
    }
    expect(error.cause).toBeUndefined()
  })

  it("collects auth header values (Basic decoded) and form values, not content negotiation", () => {
    const basic = Buffer.from("client-id-1:client-secret-2").toString("base64")
    const secrets = requestSecrets({
      headers: { authorization: `Basic ${basic}`, accept: "application/json", "x-amz-access-token": "Atza|token-3" },
      body: "grant_type=refresh_token&refresh_token=rt-4&client_secret=cs-5",
    })
    expect(secrets).toEqual(expect.arrayContaining([`Basic ${basic}`, basic, "client-id-1", "client-secret-2", "Atza|token-3", "rt-4", "cs-5"]))
    expect(secrets).not.toContain("application/json")
    expect(secrets).not.toContain("refresh_token")
  })
})
