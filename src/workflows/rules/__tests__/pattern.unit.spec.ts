import { checkPattern, matchesPattern, MAX_MATCH_INPUT_LENGTH, MAX_PATTERN_LENGTH } from "../pattern"

describe("checkPattern", () => {
  it.each([
    "^AMZ-\\d+$",
    "^AMZ-\\d+-\\d+$",
    "gift.*wrap",
    "(express|priority)",
    "^[A-Z]{2}\\d{6}$",
    "(\\d{3}-){2}\\d{4}",
    "^\\w{1,30}@\\w{1,30}\\.\\w{1,10}$",
    "@example\\.com$",
    "[(a+)+]", // inside a class these are plain characters
  ])("accepts %s", (pattern) => {
    expect(checkPattern(pattern)).toBeNull()
  })

  it.each(["(a+)+", "(a*)*b", "(\\w*\\s?)*$", "(a|ab)*c", "^(x+x+)+y"])("refuses the nested repetition %s", (p) => {
    expect(checkPattern(p)).toMatch(/repeats a group/)
  })

  it.each(["a*a*b", "\\w*\\w*\\w*x", "^.*.*.*=.*", "a?".repeat(20) + "a".repeat(20), "a{0,9}".repeat(8)])(
    "refuses the polynomial blow-up %s",
    (p) => {
      expect(checkPattern(p)).toMatch(/too slow/)
    }
  )

  it("refuses back-references, invalid and over-long patterns", () => {
    expect(checkPattern("(a)\\1")).toMatch(/back-references/)
    expect(checkPattern("(?<y>\\d)\\k<y>")).toMatch(/back-references/)
    expect(checkPattern("(unclosed")).toMatch(/invalid pattern/)
    expect(checkPattern("")).toMatch(/empty/)
    expect(checkPattern("a".repeat(MAX_PATTERN_LENGTH + 1))).toMatch(/too long/)
  })
})

describe("matchesPattern", () => {
  it("ignores case", () => {
    expect(matchesPattern("^amz-", "AMZ-1")).toBe(true)
  })

  it("only tests the first MAX_MATCH_INPUT_LENGTH characters", () => {
    const long = "a".repeat(MAX_MATCH_INPUT_LENGTH) + "NEEDLE"
    expect(matchesPattern("needle", long)).toBe(false)
    expect(matchesPattern("needle", "a".repeat(10) + "needle")).toBe(true)
  })

  it("stays fast on the worst input an accepted pattern can get", () => {
    const input = "a".repeat(50_000)
    const started = Date.now()
    for (const p of ["^a*a*b", "a*b", "^\\w{1,30}@\\w{1,30}\\.\\w{1,10}$", "^.*a.*b$"]) {
      expect(checkPattern(p)).toBeNull()
      expect(matchesPattern(p, input)).toBe(false)
    }
    expect(Date.now() - started).toBeLessThan(500)
  })

  it("never runs a refused pattern", () => {
    expect(matchesPattern("(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")).toBe(false)
  })
})
