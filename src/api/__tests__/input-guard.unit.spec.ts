import { hostileInputProblem, hostileQueryProblem, MAX_INPUT_DEPTH } from "../input-guard"

/** Issue 17: what the admin-route fuzzer found Medusa answering with a 500, refused up front (400). */
describe("hostile input guard", () => {
  it("refuses nesting deeper than the limit, naming the path, without recursing itself", () => {
    const deep = JSON.parse("[".repeat(100_000) + "]".repeat(100_000))
    expect(hostileInputProblem(deep)).toMatchObject({ field: "body" + "[0]".repeat(MAX_INPUT_DEPTH) })
    const objects = JSON.parse('{"a":'.repeat(50_000) + "1" + "}".repeat(50_000))
    expect(hostileInputProblem(objects)?.message).toMatch(/nested deeper than 32 levels/)
    let ok: any = 1
    for (let i = 0; i < MAX_INPUT_DEPTH - 1; i++) ok = { a: ok }
    expect(hostileInputProblem(ok)).toBeNull()
  })

  it("refuses prototype and Object.prototype keys anywhere, as JSON.parse makes them (own keys)", () => {
    for (const key of ["__proto__", "constructor", "prototype", "hasOwnProperty", "toString", "valueOf", "isPrototypeOf"]) {
      const body = JSON.parse(`{"settings":{"carrier_mapping":[{"${key}":1}]}}`)
      expect(hostileInputProblem(body)).toEqual({
        field: `body.settings.carrier_mapping[0].${key}`,
        message: `body.settings.carrier_mapping[0].${key}: "${key}" is a reserved key and is not accepted`,
      })
    }
    expect(hostileInputProblem(JSON.parse('{"name":"constructor","tags":["__proto__","toString"]}'))).toBeNull()
    expect(hostileInputProblem({ a: "<script>alert(1)</script>", b: "\u202E", c: -1e308, d: null })).toBeNull()
  })

  it("refuses query values that are objects (a[b][c]=…) or reserved keys; strings and lists pass", () => {
    expect(hostileQueryProblem({ limit: "10", state: ["a", "b"] })).toBeNull()
    expect(hostileQueryProblem({ fields: { a: { b: "c" } } })).toMatchObject({ field: "query.fields" })
    expect(hostileQueryProblem({ state: ["a", { b: "c" }] })).toMatchObject({ field: "query.state" })
    expect(hostileQueryProblem(JSON.parse('{"__proto__":"x"}'))).toMatchObject({ field: "query.__proto__" })
  })
})
