/**
 * The flows an admin goes through, in order, on the seeded dev store:
 *   1. sign in;
 *   2. create a channel and set its order import settings table;
 *   3. run imports;
 *   4. see the red banner, open the problems page, map the unknown SKU, retry, see the count drop;
 *   5. create an import rule and dry-run it;
 *   6. import a matching order and see its tag, hold and timeline on the order page;
 *   7. release the hold (fulfilment is refused before), tag and hold by hand, create a fulfillment.
 * Marketplace-side fixtures (orders placed by buyers) go through the sandbox API, as a marketplace would.
 */

const E2E_CHANNEL = "E2E Marketplace"
const SEEDED_CHANNEL = "Sandbox Marketplace"

function sandboxOrder(id, status, lines) {
  const address = {
    first_name: "Erika",
    last_name: "Mustermann",
    address_1: "Hauptstraße 5",
    city: "Berlin",
    postal_code: "10115",
    country_code: "de",
    phone: "+49 30 123456",
  }
  return {
    external_id: id,
    status,
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    currency_code: "eur",
    email: `buyer.${id.toLowerCase()}@buyers.example`,
    customer: { first_name: address.first_name, last_name: address.last_name, phone: address.phone },
    shipping_address: address,
    billing_address: address,
    items: lines.map(([sku, quantity], i) => ({
      external_id: `${id}-L${i + 1}`,
      sku,
      title: sku,
      quantity,
      unit_price: 19.9,
      tax_total: 0,
      discount_total: 0,
    })),
    shipping: { service_code: "standard", name: "Standard", price: 4.9 },
    fulfilled_by_marketplace: false,
    payment_status: status === "pending" ? "pending" : "paid",
    notes: null,
    gift_message: null,
    custom_fields: {},
  }
}

/** Opens a Radix select by its accessible name and picks an option. */
async function choose(page, comboboxName, option, scope = page) {
  await scope.getByRole("combobox", { name: comboboxName, exact: true }).click()
  await page.getByRole("option", { name: option, exact: true }).click()
}

async function tall(page, height, fn) {
  await page.setViewportSize({ width: 1440, height })
  try {
    return await fn()
  } finally {
    await page.setViewportSize({ width: 1440, height: 900 })
  }
}

/** Runs the channel now from its page and returns the toast text (tolerating a scheduled run that got there first). */
async function runNow(page, expect) {
  await page.getByRole("button", { name: "Run now" }).click()
  const text = await expect.toast(/Import finished|already running/, { timeout: 90_000 })
  return text
}

/** The store's own "Create fulfillment" form: wait for the items, pick the location and shipping method. */
async function fillFulfillmentForm(page, expect) {
  const modal = page.getByRole("dialog")
  await expect.visible(modal.getByRole("spinbutton").first(), { timeout: 30_000 })
  const selects = modal.getByRole("combobox")
  await selects.nth(0).click()
  await page.getByRole("option", { name: "Main Warehouse" }).click()
  await selects.nth(1).click()
  await page.getByRole("option", { name: "Standard Shipping" }).click()
}

const tests = [
  {
    name: "signs in to the admin",
    critical: true,
    async fn({ page, expect, api, state }) {
      // The first load compiles the dashboard's modules; don't wait for every one to load.
      await page.goto("/app/login", { waitUntil: "domcontentloaded", timeout: 180_000 })
      await expect.visible(page.getByPlaceholder("Email"), { timeout: 150_000 })
      await page.getByPlaceholder("Email").fill("admin@channel-orders.test")
      await page.getByPlaceholder("Password").fill("supersecret")
      await page.getByRole("button", { name: "Continue with Email" }).click()
      await page.waitForURL(/\/app\/orders/, { timeout: 60_000 })
      await expect.visible(page.getByRole("heading", { name: "Orders" }), { timeout: 60_000 })

      // Fixture: the seeded sandbox should not invent orders while the flows count them.
      const { channels } = await api("GET", "/admin/channels")
      const seeded = channels.find((c) => c.name === SEEDED_CHANNEL)
      expect.that(seeded, `the seed should create the "${SEEDED_CHANNEL}" channel`)
      state.seededId = seeded.id
      await api("POST", `/admin/channels/${seeded.id}`, { settings: { generate_orders_per_minute: 0 } })
    },
  },
  {
    name: "creates a channel and sets its order import settings table",
    async fn({ page, expect, shot, state }) {
      await page.getByRole("link", { name: "Settings", exact: true }).click()
      await page.getByRole("link", { name: "Channels", exact: true }).click()
      await expect.visible(page.getByRole("heading", { name: "Channels", exact: true }))
      await expect.visible(page.getByRole("row").filter({ hasText: SEEDED_CHANNEL }))
      await expect.named(page.locator("main"), "channels list")
      await shot("channels-list")

      await page.getByRole("button", { name: "Create channel" }).click()
      const drawer = page.getByRole("dialog")
      await expect.visible(drawer.getByRole("heading", { name: "Create channel" }))
      await drawer.getByLabel("Name", { exact: true }).fill(E2E_CHANNEL)
      await choose(page, "Marketplace", "Sandbox", drawer)
      await shot("create-channel-drawer")
      await drawer.getByRole("button", { name: "Create", exact: true }).click()
      await expect.toast("Channel created")
      await page.waitForURL(/\/settings\/channels\/chan_/)
      state.channelId = page.url().split("/settings/channels/")[1].split(/[?#]/)[0]
      await expect.visible(page.getByRole("heading", { level: 1, name: E2E_CHANNEL }))
      await expect.visible(page.getByText("Disabled").first())

      // Where orders go: sales channel, region, stock location.
      const settings = page.getByRole("region", { name: "Import settings", exact: true })
      await settings.getByRole("button", { name: "Edit" }).click()
      const sd = page.getByRole("dialog")
      await choose(page, "Sales channel", "Default Sales Channel", sd)
      await choose(page, "Region", "Europe (EUR)", sd)
      await choose(page, "Stock location", "Main Warehouse", sd)
      await sd.getByRole("button", { name: "Save" }).click()
      await expect.toast("Import settings saved")
      await expect.visible(settings.getByText("Main Warehouse"))

      // Marketplace shipping service → shipping option.
      const shipping = page.getByRole("region", { name: "Shipping services" })
      await shipping.getByRole("button", { name: "Edit" }).click()
      const shd = page.getByRole("dialog")
      await shd.getByLabel("Marketplace shipping service 1").fill("standard")
      await choose(page, "Shipping option for standard", "Standard Shipping", shd)
      await shd.getByRole("button", { name: "Save" }).click()
      await expect.toast("Shipping services saved")
      await expect.visible(shipping.getByText("Standard Shipping"))

      // The order import settings table: pending orders are imported and held, and not retried.
      const table = page.getByRole("region", { name: "Order import settings" })
      await expect.visible(table.getByRole("combobox", { name: "Import choice for status paid" }))
      await choose(page, "Import choice for status pending", "Import and hold", table)
      await choose(page, "Retry for status pending", "No", table)
      await expect.visible(table.getByText("Import new orders with this status and put them on hold."))
      await table.getByRole("button", { name: "Save" }).click()
      await expect.toast("Order import settings saved")

      await page.reload()
      const reloaded = page.getByRole("region", { name: "Order import settings" })
      await expect.text(reloaded.getByRole("combobox", { name: "Import choice for status pending" }), "Import and hold")
      await expect.text(reloaded.getByRole("combobox", { name: "Retry for status pending" }), "No")
      await expect.text(reloaded.getByRole("combobox", { name: "Import choice for status paid" }), "Import as valid")

      await page.getByRole("switch", { name: "Enabled" }).click()
      await expect.toast("Channel enabled")
      await expect.named(page.locator("main"), "channel page")
      await tall(page, 1500, () => shot("channel-settings", { settle: 800, doc: "channel-settings" }))
    },
  },
  {
    name: "keeps marketplace credentials write-only and deletes a channel after confirmation",
    async fn({ page, expect, state }) {
      await page.getByRole("link", { name: "Channels", exact: true }).first().click()
      await page.getByRole("button", { name: "Create channel" }).click()
      const drawer = page.getByRole("dialog")
      await drawer.getByLabel("Name", { exact: true }).fill("Amazon EU (test)")
      await choose(page, "Marketplace", "Amazon", drawer)
      await drawer.getByLabel(/LWA client ID/).fill("amzn1.application-oa2-client.e2e")
      await drawer.getByLabel(/LWA client secret/).fill("e2e-secret")
      await drawer.getByLabel(/Refresh token/).fill("Atzr|e2e-refresh")
      await drawer.getByLabel(/Marketplace IDs/).fill("A1PM2CXPQJ5UZJ")
      await drawer.getByRole("button", { name: "Create", exact: true }).click()
      await expect.toast("Channel created")
      await expect.visible(page.getByRole("heading", { level: 1, name: "Amazon EU (test)" }))
      const connection = page.getByRole("region", { name: "Connection" })
      await expect.visible(connection.getByText("Set", { exact: true }))
      // The secret never comes back: the replace form starts empty.
      await connection.getByRole("button", { name: "Replace" }).click()
      const replace = page.getByRole("dialog")
      expect.that((await replace.getByLabel(/LWA client secret/).inputValue()) === "", "the stored secret must not be shown")
      await replace.getByRole("button", { name: "Cancel" }).click()

      await page.getByRole("button", { name: "Channel actions" }).click()
      await page.getByRole("menuitem", { name: "Delete channel" }).click()
      const prompt = page.getByRole("alertdialog")
      await expect.visible(prompt.getByText("Delete Amazon EU (test)?"))
      await prompt.getByRole("textbox").fill("Amazon EU (test)")
      await prompt.getByRole("button", { name: "Delete" }).click()
      await expect.toast("Channel deleted")
      await page.waitForURL(/\/settings\/channels$/)
      await expect.hidden(page.getByRole("row").filter({ hasText: "Amazon EU (test)" }))
      await page.goto(`/app/settings/channels/${state.channelId}`)
      await expect.visible(page.getByRole("heading", { level: 1, name: E2E_CHANNEL }))
    },
  },
  {
    name: "runs imports and shows the counts",
    async fn({ page, expect, shot, api, state }) {
      // Two buyers order on the E2E marketplace: one paid, one pending with 5 units.
      await api("POST", `/admin/channels/${state.channelId}/sandbox/orders`, {
        orders: [sandboxOrder("E2E-1001", "paid", [["TSHIRT-M", 1]]), sandboxOrder("E2E-1002", "pending", [["V789", 5]])],
      })
      const toast = await runNow(page, expect)
      expect.that(/Import finished/.test(toast) ? /2 fetched, 2 imported/.test(toast) : true, `unexpected run summary: ${toast}`)
      const orders = page.getByRole("region", { name: "Orders", exact: true })
      await expect.visible(orders.getByRole("row").filter({ hasText: "E2E-1001" }).filter({ hasText: "Imported" }), { timeout: 30_000 })
      await expect.visible(orders.getByRole("row").filter({ hasText: "E2E-1002" }).filter({ hasText: "Imported" }))
      const runs = page.getByRole("region", { name: "Recent imports" })
      await expect.visible(runs.getByRole("row").filter({ hasText: "Manual" }))
      await tall(page, 1800, () => shot("channel-after-run", { settle: 600 }))

      // The seeded channel: 20 orders, one with a SKU the store does not sell.
      await page.getByRole("link", { name: "Channels", exact: true }).first().click()
      await page.getByRole("row").filter({ hasText: SEEDED_CHANNEL }).click()
      await expect.visible(page.getByRole("heading", { level: 1, name: SEEDED_CHANNEL }))
      await runNow(page, expect)
      const seededOrders = page.getByRole("region", { name: "Orders", exact: true })
      await choose(page, "Show orders in state", "Failed", seededOrders)
      await expect.visible(seededOrders.getByRole("row").filter({ hasText: "DEMO-000006" }).filter({ hasText: "Unknown SKU" }), {
        timeout: 30_000,
      })
    },
  },
  {
    name: "banner → problems page → map the SKU and retry → the count drops",
    async fn({ page, expect, shot, state }) {
      await page.goto("/app/orders")
      const banner = page.getByTestId("import-problems-banner")
      await expect.visible(banner, { timeout: 45_000 })
      const text = await expect.text(banner, /(\d+) orders? can not be imported, click here to fix them/)
      const before = Number(/(\d+) order/.exec(text)[1])
      state.problemsBefore = before
      await expect.visible(page.getByTestId("import-problems-topbar"))
      await banner.scrollIntoViewIfNeeded()
      await shot("orders-banner")

      await banner.getByRole("link").click()
      await page.waitForURL(/\/marketplace\?tab=problems/)
      await expect.visible(page.getByRole("heading", { name: "Import problems" }))
      const row = page.getByRole("row").filter({ hasText: "DEMO-000006" })
      await expect.visible(row)
      await expect.visible(row.getByText("Unknown SKU"))
      await expect.visible(row.getByText(/NOT-IN-CATALOGUE-1/))
      await expect.visible(page.getByRole("tab", { name: `Cannot be imported (${before})` }))
      await expect.named(page.locator("main"), "import problems page")
      await shot("import-problems", { doc: "import-problems" })

      await row.getByRole("button", { name: "Map SKU for order DEMO-000006" }).click()
      const drawer = page.getByRole("dialog")
      await expect.visible(drawer.getByRole("heading", { name: "Map SKU of order DEMO-000006" }))
      const skuInput = drawer.getByLabel("Marketplace SKU")
      expect.that((await skuInput.inputValue()) === "NOT-IN-CATALOGUE-1", "the SKU to map should be prefilled")
      await drawer.getByLabel("Product variant").fill("TSHIRT-L")
      const option = drawer.getByRole("radio", { name: /SKU TSHIRT-L/ })
      await option.click()
      await expect.visible(drawer.getByText(/Selected:/))
      await expect.named(drawer, "SKU mapping drawer")
      await shot("map-sku-drawer")
      await drawer.getByRole("button", { name: "Map and retry" }).click()
      await expect.toast("SKU mapped")
      await expect.toast("Order DEMO-000006 imported", { timeout: 60_000 })
      await expect.hidden(page.getByRole("row").filter({ hasText: "DEMO-000006" }))

      await page.goto("/app/orders")
      await expect.visible(page.getByRole("heading", { name: "Orders" }))
      if (before === 1) {
        await expect.hidden(page.getByTestId("import-problems-banner"), { timeout: 30_000 })
        await expect.hidden(page.getByTestId("import-problems-topbar"))
      } else {
        await expect.text(page.getByTestId("import-problems-banner"), `${before - 1} order`)
      }
    },
  },
  {
    name: "creates an import rule and dry-runs it",
    async fn({ page, expect, shot, state }) {
      await page.goto("/app/settings/import-rules")
      await expect.visible(page.getByRole("heading", { name: "Import rules" }))
      await expect.visible(page.getByText("No import rules"))
      await page.getByRole("link", { name: "Create rule" }).click()
      await page.waitForURL(/\/settings\/import-rules\/new/)
      await page.getByLabel("Name", { exact: true }).fill("Hold orders with quantity over 4")
      await expect.text(page.getByRole("combobox", { name: "Condition 1 field" }), "Largest line quantity")
      await expect.text(page.getByRole("combobox", { name: "Condition 1 operator" }), "greater than")
      await page.getByLabel("Condition 1 value").fill("4")
      await page.getByLabel("Tags", { exact: true }).fill("Review Needed")
      await page.getByRole("button", { name: "Add action" }).click()
      await page.getByRole("menuitem", { name: "Put on hold" }).click()
      await page.getByLabel("Detail (optional)").fill("Check stock before shipping")
      await page.getByLabel("Only these channels").click()
      await page.getByLabel(new RegExp(`^${E2E_CHANNEL}`)).check()
      await page.getByRole("button", { name: "Create", exact: true }).click()
      await expect.toast("Rule created")
      await page.waitForURL(/\/settings\/import-rules\/irule_/)
      state.ruleId = page.url().split("/import-rules/")[1]
      // The page reloads the saved rule.
      await expect.visible(page.getByRole("heading", { level: 1, name: "Hold orders with quantity over 4" }))

      // Dry run against the pending order imported earlier (5 × V789).
      const dry = page.getByRole("region", { name: "Dry run" })
      await choose(page, "Order", new RegExp("^E2E-1002"), dry)
      await dry.getByRole("button", { name: "Run dry run" }).click()
      const result = page.getByTestId("dry-run-result")
      await expect.text(result, "1 rule would match")
      await expect.text(result, "Review Needed")
      await expect.text(result, "Check stock before shipping")
      await expect.named(page.locator("main"), "rule editor")
      await tall(page, 1200, () => shot("rule-editor-dry-run"))

      await page.goto("/app/settings/import-rules")
      const row = page.getByRole("row").filter({ hasText: "Hold orders with quantity over 4" })
      await expect.visible(row)
      await expect.visible(row.getByText("Largest line quantity greater than 4"))
      await expect.visible(row.getByText(E2E_CHANNEL))
      await shot("import-rules-list")
    },
  },
  {
    name: "imports a matching order and shows its tag, hold and timeline",
    async fn({ page, expect, shot, api, state }) {
      await api("POST", `/admin/channels/${state.channelId}/sandbox/orders`, {
        orders: [sandboxOrder("1203", "paid", [["V789", 5]])],
      })
      await page.goto(`/app/settings/channels/${state.channelId}`)
      await expect.visible(page.getByRole("heading", { level: 1, name: E2E_CHANNEL }))
      await runNow(page, expect)
      const orders = page.getByRole("region", { name: "Orders", exact: true })
      const link = orders.getByRole("link", { name: "1203", exact: true })
      await expect.visible(link, { timeout: 30_000 })
      await link.click()
      await page.waitForURL(/\/app\/orders\/order_/)
      state.orderId = page.url().split("/orders/")[1].split(/[?#/]/)[0]

      const panel = page.getByRole("region", { name: "Marketplace" })
      await expect.visible(panel.getByTestId("external-id"), { timeout: 30_000 })
      await expect.text(panel.getByTestId("external-id"), "1203")
      await expect.visible(panel.getByText(E2E_CHANNEL))
      await expect.visible(panel.getByRole("button", { name: "Remove tag Review Needed" }))
      const holds = page.getByRole("region", { name: "Holds" })
      const hold = holds.getByTestId("hold-row").filter({ hasText: "Import rule" })
      await expect.visible(hold)
      await expect.visible(hold.getByText("Check stock before shipping"))
      await expect.visible(holds.getByText(/cannot be fulfilled until the hold is released/))
      const timeline = page.getByRole("region", { name: "Import timeline" })
      await expect.visible(timeline.getByText("Received"))
      for (const id of ["order-channel-panel", "order-holds", "import-timeline"]) await expect.named(page.getByTestId(id), id)
      await holds.scrollIntoViewIfNeeded()
      await tall(page, 2000, () => shot("order-details", { settle: 800, doc: "order-details" }))
    },
  },
  {
    name: "refuses fulfilment while held, releases the hold, then fulfils",
    async fn({ page, expect, shot, state }) {
      // While the hold is open the store refuses the fulfillment.
      await page.goto(`/app/orders/${state.orderId}/fulfillment?requires_shipping=true`)
      const modal = page.getByRole("dialog")
      await fillFulfillmentForm(page, expect)
      await modal.getByRole("button", { name: "Create Fulfillment" }).click()
      await expect.toast(/on hold/)
      await page.keyboard.press("Escape")
      await page.goto(`/app/orders/${state.orderId}`)

      const holds = page.getByRole("region", { name: "Holds" })
      await holds.getByRole("button", { name: "Release hold: Import rule" }).click()
      const drawer = page.getByRole("dialog")
      await drawer.getByLabel("Note (optional)").fill("Stock checked")
      await shot("release-hold-drawer")
      await drawer.getByRole("button", { name: "Release", exact: true }).click()
      await expect.toast("Hold released")
      await expect.visible(holds.getByText("No open holds."))

      // Tags and manual holds by hand.
      const panel = page.getByRole("region", { name: "Marketplace" })
      await panel.getByLabel("New tag").fill("Priority")
      await panel.getByRole("button", { name: "Add", exact: true }).click()
      await expect.toast("Tag “Priority” added")
      await panel.getByRole("button", { name: "Remove tag Priority" }).click()
      await expect.toast("Tag “Priority” removed")
      await expect.hidden(panel.getByRole("button", { name: "Remove tag Priority" }))
      await holds.getByRole("button", { name: "Put on hold" }).click()
      await page.getByRole("dialog").getByLabel("Why? (optional)").fill("Customer called")
      await page.getByRole("dialog").getByRole("button", { name: "Put on hold" }).click()
      await expect.toast("Order put on hold")
      await holds.getByRole("button", { name: "Release hold: Manual hold" }).click()
      await page.getByRole("dialog").getByRole("button", { name: "Release", exact: true }).click()
      await expect.toast("Hold released")
      await expect.visible(holds.getByText("No open holds."))

      // Now the store's own fulfilment flow goes through.
      await page.goto(`/app/orders/${state.orderId}/fulfillment?requires_shipping=true`)
      await fillFulfillmentForm(page, expect)
      await page.getByRole("dialog").getByRole("button", { name: "Create Fulfillment" }).click()
      await expect.toast("Fulfillment created successfully", { timeout: 30_000 })
      await expect.visible(page.getByText("Fulfilled").first(), { timeout: 30_000 })
      await shot("order-fulfilled")
    },
  },
]

module.exports = { tests }
