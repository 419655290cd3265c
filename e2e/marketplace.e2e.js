/**
 * The marketplace desk (issue 20), after admin.e2e.js (same signed-in page, its "E2E Marketplace" channel):
 *   1. the Marketplace page from the main sidebar, every tab;
 *   2. On hold: the reasons with counts, a tag filter, a bulk release with a note;
 *   3. the orders-list widget and its links to the tabs.
 * Fixtures (the rule, the marketplace's orders) go through the admin API.
 */

const TAG = "Desk Review"

function sandboxOrder(id, sku = "V789") {
  // Each buyer at their own address, so duplicate protection does not hold them for that.
  const n = Number(id.replace(/\D/g, "")) || 0
  const address = { first_name: "Erika", last_name: `Desk${id}`, address_1: `Deskstraße ${n + 1}`, city: "Berlin", postal_code: "10115", country_code: "de", phone: "+49 30 123456" }
  return {
    external_id: id,
    status: "paid",
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    currency_code: "eur",
    email: `desk-e2e.${id.toLowerCase()}@buyers.example`,
    customer: { first_name: address.first_name, last_name: address.last_name, phone: address.phone },
    shipping_address: address,
    billing_address: address,
    items: [{ external_id: `${id}-L1`, sku, title: sku, quantity: 1, unit_price: 19.9, tax_total: 0, discount_total: 0 }],
    shipping: { service_code: "standard", name: "Standard", price: 4.9 },
    fulfilled_by_marketplace: false,
    payment_status: "paid",
    notes: null,
    gift_message: null,
    custom_fields: {},
  }
}

/** Imports now through the API, waiting out a scheduled run that holds the channel. */
async function importNow(api, channelId) {
  const deadline = Date.now() + 60_000
  for (;;) {
    try {
      return (await api("POST", `/admin/channels/${channelId}/import`)).run
    } catch (e) {
      if (!String(e.message).includes("409") || Date.now() > deadline) throw e
      await new Promise((r) => setTimeout(r, 1000))
    }
  }
}

const tests = [
  {
    name: "marketplace desk: sidebar entry and every tab",
    async fn({ page, expect, api, shot, state }) {
      const { channels } = await api("GET", "/admin/channels")
      const channel = channels.find((c) => c.id === state.channelId) ?? channels.find((c) => c.provider === "sandbox")
      expect.that(channel, "a sandbox channel should exist")
      state.deskChannelId = channel.id
      await api("POST", "/admin/import-rules", {
        name: "Desk e2e review",
        priority: 50,
        conditions: { all: [{ field: "email", operator: "starts_with", value: "desk-e2e." }] },
        actions: [{ type: "add_tags", tags: [TAG] }, { type: "hold", detail: "Desk e2e" }],
      })
      await api("POST", `/admin/channels/${channel.id}/sandbox/orders`, { orders: ["DESK-E2E-1", "DESK-E2E-2", "DESK-E2E-3"].map((id) => sandboxOrder(id)) })
      await importNow(api, channel.id)
      for (const ext of ["DESK-E2E-1", "DESK-E2E-2", "DESK-E2E-3"]) {
        const { channel_orders } = await api("GET", `/admin/channel-orders?channel_id=${channel.id}&external_id=${ext}`)
        const co = channel_orders[0]
        expect.that(co?.state === "imported", `${ext} should be imported: ${JSON.stringify(co && { state: co.state, error_code: co.error_code, error_message: co.error_message })}`)
      }

      await page.goto("/app/orders")
      await page.getByRole("link", { name: "Marketplace", exact: true }).first().click()
      await page.waitForURL(/\/app\/marketplace/)
      await expect.visible(page.getByRole("heading", { level: 1, name: "Marketplace" }))
      const tabs = page.getByRole("tablist", { name: "Marketplace views" })
      await expect.visible(tabs.getByRole("tab", { name: /All imported \(\d+\)/ }))
      await expect.visible(page.getByRole("row").filter({ hasText: "DESK-E2E-1" }).first(), { timeout: 30_000 })
      await shot("marketplace-all", { doc: "marketplace" })

      await tabs.getByRole("tab", { name: /^Problems/ }).click()
      await expect.visible(page.getByRole("heading", { name: "Import problems" }))
      await tabs.getByRole("tab", { name: /^Waiting/ }).click()
      await page.waitForURL(/tab=waiting/)
      await tabs.getByRole("tab", { name: /^Feedback/ }).click()
      await expect.visible(page.getByRole("tablist", { name: "Which feedback to show" }))
      await expect.named(page.locator("main"), "marketplace page")
    },
  },
  {
    name: "marketplace desk: on hold by reason, tag filter, bulk release with a note",
    async fn({ page, expect, shot }) {
      const tabs = page.getByRole("tablist", { name: "Marketplace views" })
      await tabs.getByRole("tab", { name: /^On hold/ }).click()
      await page.waitForURL(/tab=on_hold/)
      const reasons = page.getByTestId("holds-by-reason")
      await expect.visible(reasons.getByRole("button", { name: /All reasons \(\d+\)/ }))
      await expect.visible(reasons.getByRole("button").nth(1))

      await page.getByLabel("Tag", { exact: true }).fill(TAG)
      await page.getByLabel("Tag", { exact: true }).press("Enter")
      await page.waitForURL(/tag=Desk/)
      for (const id of ["DESK-E2E-1", "DESK-E2E-2", "DESK-E2E-3"]) {
        const row = page.getByRole("row").filter({ hasText: id })
        await expect.visible(row, { timeout: 30_000 })
        await expect.visible(row.getByText(TAG))
      }
      await expect.text(page.getByText(/\d+ orders? match/), "3 orders match")
      await shot("marketplace-on-hold", { doc: "marketplace-on-hold" })

      await page.getByRole("checkbox", { name: "Select all orders on this page" }).click()
      await page.getByRole("button", { name: "Release holds" }).first().click()
      const dialog = page.getByRole("alertdialog").or(page.getByRole("dialog")).first()
      await dialog.getByLabel("Note (optional)").fill("Checked at the desk")
      await dialog.getByRole("button", { name: "Release holds" }).click()
      await expect.toast("Release holds: 3 orders done")
      await expect.visible(page.getByText("No order on hold"), { timeout: 30_000 })
    },
  },
  {
    name: "live run progress: Run now returns at once and the bar's counts grow during a 2,000-order run",
    async fn({ page, expect, api, shot, state }) {
      const id = state.deskChannelId
      // Small pages so the run lasts; an unknown SKU so each order is decided quickly (refused).
      await api("POST", `/admin/channels/${id}`, { settings: { page_size: 25 } })
      for (let batch = 0; batch < 40; batch++) {
        const orders = Array.from({ length: 50 }, (_, i) => sandboxOrder(`DESK-RUN-${batch * 50 + i}`, "DESK-NO-SUCH-SKU"))
        await api("POST", `/admin/channels/${id}/sandbox/orders`, { orders })
      }
      await page.goto(`/app/settings/channels/${id}`)
      await page.getByRole("button", { name: "Run now" }).click()
      const counts = page.getByTestId("run-progress-counts")
      const first = await expect.text(counts, /Page [1-9]\d* · \d+ fetched/, { timeout: 60_000 })
      await shot("run-progress", { doc: "run-progress" })
      const fetched = (t) => Number(/(\d+) fetched/.exec(t)?.[1] ?? 0)
      let later = first
      for (const deadline = Date.now() + 30_000; fetched(later) <= fetched(first) && Date.now() < deadline; ) {
        await page.waitForTimeout(1000)
        later = ((await counts.first().textContent().catch(() => "")) ?? "").replace(/\s+/g, " ").trim()
      }
      expect.that(fetched(later) > fetched(first), `the fetched count should grow: "${first}" → "${later}"`)
      // The Marketplace page shows the same run while it goes.
      await page.goto("/app/marketplace")
      await expect.visible(page.getByTestId("desk-running-runs").getByRole("progressbar"), { timeout: 30_000 })
      await shot("marketplace-run-progress")
    },
  },
  {
    name: "import health: the charts render with data",
    async fn({ page, expect, shot }) {
      await page.goto("/app/marketplace?tab=health")
      const health = page.getByTestId("import-health")
      await expect.visible(health, { timeout: 30_000 })
      const label = await health.getByRole("img", { name: /Orders imported per hour/ }).getAttribute("aria-label")
      expect.that(/: [1-9]\d* in total/.test(label ?? ""), `the imported chart should have data: ${label}`)
      await expect.visible(health.getByRole("region", { name: "Failures by reason" }))
      await expect.visible(health.getByRole("region", { name: "Feedback time to confirmation" }))
      await shot("marketplace-health", { doc: "marketplace-health" })
    },
  },
  {
    name: "orders list widget: counts link to the Marketplace tabs",
    async fn({ page, expect, shot }) {
      for (const [label, tab] of [
        [/on hold/, "on_hold"],
        [/with problems/, "problems"],
        [/waiting/, "waiting"],
      ]) {
        await page.goto("/app/orders")
        const widget = page.getByTestId("marketplace-counts")
        await expect.visible(widget, { timeout: 60_000 })
        if (tab === "on_hold") await shot("orders-marketplace-widget")
        await widget.getByRole("link", { name: label }).click()
        await page.waitForURL(new RegExp(`/marketplace\\?tab=${tab}`))
        await expect.visible(page.getByRole("heading", { level: 1, name: "Marketplace" }))
      }
    },
  },
]

module.exports = { tests }
