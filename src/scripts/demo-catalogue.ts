/**
 * The demo store's catalogue, without imports so the demo marketplaces (demo/marketplaces.ts) can
 * sell the same SKUs at the same prices: each family in three sizes, plus the seed-002 tutorial's
 * V789 ("Bulk Widget", 9.50).
 */
export const FAMILIES = [
  ["Classic T-Shirt", "TSHIRT", 19.9],
  ["Hooded Sweatshirt", "HOODIE", 49.0],
  ["Running Shorts", "SHORTS", 24.5],
  ["Merino Socks", "SOCKS", 12.0],
  ["Rain Jacket", "JACKET", 89.0],
  ["Canvas Tote Bag", "TOTE", 15.0],
  ["Wool Beanie", "BEANIE", 18.0],
  ["Linen Shirt", "LINEN", 39.0],
  ["Yoga Leggings", "LEGGINGS", 45.0],
  ["Trail Cap", "CAP", 22.0],
  ["Travel Backpack", "BACKPACK", 79.0],
  ["Denim Jeans", "JEANS", 69.0],
] as const
export const SIZES = ["S", "M", "L"] as const

export const TUTORIAL_SKU = { sku: "V789", title: "Bulk Widget", price: 9.5 } as const

/** Every SKU the demo store sells, with its title and EUR price. */
export function demoCatalogue(): Array<{ sku: string; title: string; price: number }> {
  return [
    ...FAMILIES.flatMap(([title, code, price]) => SIZES.map((size) => ({ sku: `${code}-${size}`, title: `${title} ${size}`, price }))),
    { ...TUTORIAL_SKU },
  ]
}
