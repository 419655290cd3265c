/**
 * Issue 17: the admin renders hostile strings as text. Orders whose buyer names, notes, SKUs, tags and
 * titles are `<script>`, `<img src=x onerror=…>`, an RTL override or 5,000 characters long are imported
 * (one imports, one is refused for its unknown SKU), then every plugin page that shows them is opened:
 * no script runs (no dialog, no flag set by an injected handler), no injected element appears in the
 * DOM, and the strings are shown literally. Runs after admin.e2e.js (signed in, channels configured).
 */

const XSS_IMG = '<img src=x onerror="window.__hostile=1;alert(1)">'
const XSS_SCRIPT = "<script>window.__hostile=2;alert(2)</script>"
const RTL = "\u202Egnp.exe\u202C"
const LONG = "W".repeat(5000)

function hostileOrder(id, sku) {
  const address = {
    first_name: XSS_IMG,
    last_name: `${XSS_SCRIPT} ${RTL}`,
    address_1: `${LONG.slice(0, 200)} 1`,
    city: "Berlin",
    postal_code: "10115",
    country_code: "de",
    phone: "+49 30 123456",
  }
  return {
    external_id: id,
    status: "paid",
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    currency_code: "eur",
    email: `buyer.${id.toLowerCase()}@buyers.example`,
    customer: { first_name: address.first_name, last_name: address.last_name, phone: address.phone },
    shipping_address: address,
    billing_address: address,
    items: [{ external_id: `${id}-L1`, sku, title: `${XSS_IMG} ${LONG}`, quantity: 1, unit_price: 19.9, tax_total: 0, discount_total: 0 }],
    shipping: { service_code: "standard", name: XSS_SCRIPT, price: 4.9 },
    fulfilled_by_marketplace: false,
    payment_status: "paid",
    notes: `${XSS_SCRIPT} ${XSS_IMG} ${RTL} ${LONG}`,
    gift_message: XSS_IMG,
    custom_fields: { [XSS_IMG]: XSS_SCRIPT },
  }
}

/** Nothing injected ran or landed in the DOM on the current page. */
async function assertInert(page, expect, dialogs, where) {
  await page.waitForTimeout(800)
  const flag = await page.evaluate(() => window.__hostile ?? null)
  expect.that(flag === null, `${where}: an injected handler ran (window.__hostile = ${flag})`)
  expect.that(dialogs.length === 0, `${where}: a dialog fired: ${dialogs.join(" | ")}`)
  const injected = await page.locator('img[src="x"], script:has-text("__hostile")').count()
  expect.that(injected === 0, `${where}: ${injected} injected element(s) in the DOM`)
  // The layout holds: 5,000-character strings wrap or are cut, the page never scrolls sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  expect.that(overflow <= 1, `${where}: the page overflows horizontally by ${overflow} px`)
  return overflow
}

const tests = [
  {
    name: "hostile strings from a marketplace render as text on every plugin page",
    async fn({ page, expect, shot, api, state, log }) {
      const dialogs = []
      const onDialog = (d) => {
        dialogs.push(`${d.type()}: ${d.message()}`)
        d.dismiss().catch(() => {})
      }
      page.on("dialog", onDialog)
      try {
        const channelId = state.channelId ?? state.seededId
        expect.that(!!channelId, "no channel from the admin flows")
        await api("POST", `/admin/channels/${channelId}/sandbox/orders`, {
          orders: [hostileOrder("E2E-XSS-1", "TSHIRT-M"), hostileOrder("E2E-XSS-2", `${XSS_IMG}${RTL}`)],
        })
        await api("POST", `/admin/channels/${channelId}/import`, {}).catch(() => null)
        // A tag with markup, set by hand through the API, as an import rule could.
        const list = await api("GET", `/admin/channel-orders?channel_id=${channelId}&external_id=E2E-XSS-1&external_id=E2E-XSS-2`)
        const imported = list.channel_orders.find((o) => o.external_id === "E2E-XSS-1" && o.order_id)
        const refused = list.channel_orders.find((o) => o.external_id === "E2E-XSS-2")
        expect.that(!!imported, `E2E-XSS-1 was not imported: ${JSON.stringify(list.channel_orders.map((o) => [o.external_id, o.state, o.error_code]))}`)
        expect.that(!!refused, "E2E-XSS-2 was not staged")
        await api("POST", `/admin/orders/${imported.order_id}/tags`, { tags: ["<b>bold</b><img src=x onerror=alert(3)>"] })

        const overflows = {}
        // The order page's marketplace panel, holds, tags and timeline.
        await page.goto(`/app/orders/${imported.order_id}`)
        await expect.visible(page.getByRole("region", { name: "Marketplace" }), { timeout: 45_000 })
        await expect.visible(page.getByText("<b>bold</b><img src=x onerror=alert(3)>", { exact: false }).first())
        overflows.order = await assertInert(page, expect, dialogs, "order page")
        await shot("hostile-order-page", { fullPage: true })

        // The problems page lists the refused order and its unknown SKU, literally.
        await page.goto("/app/settings/channel-orders/problems")
        await expect.visible(page.getByText("E2E-XSS-2").first(), { timeout: 45_000 })
        overflows.problems = await assertInert(page, expect, dialogs, "problems page")
        await shot("hostile-problems-page", { fullPage: true })

        // The channel page's order list and the orders list with the banner.
        await page.goto(`/app/settings/channels/${channelId}`)
        await expect.visible(page.getByRole("region", { name: "Orders", exact: true }), { timeout: 45_000 })
        overflows.channel = await assertInert(page, expect, dialogs, "channel page")
        await page.goto("/app/orders")
        await expect.visible(page.getByRole("heading", { name: "Orders" }), { timeout: 45_000 })
        overflows.orders = await assertInert(page, expect, dialogs, "orders list")
        log(`  horizontal overflow (px) per page: ${JSON.stringify(overflows)}`)
      } finally {
        page.off("dialog", onDialog)
      }
    },
  },
]

module.exports = { tests }
