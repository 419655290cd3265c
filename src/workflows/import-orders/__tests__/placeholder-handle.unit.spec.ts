import { isValidHandle } from "@medusajs/framework/utils"
import { placeholderHandle } from "../prepare-imports"

describe("placeholderHandle: a handle Medusa accepts for any marketplace SKU", () => {
  it.each(["ABC-123", "ABC-", "-abc", "(NEW) Mug", "Café crème", "!!!", "a--b"])("%s", (sku) => {
    const handle = placeholderHandle(sku, 1_700_000_000_000)
    expect(isValidHandle(handle)).toBe(true)
    expect(handle).toMatch(/^fba-/)
  })
})
