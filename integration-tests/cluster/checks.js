/**
 * What the cluster suite (scripts/cluster.js) reads back from PostgreSQL, in plain SQL: is every
 * external order imported exactly once and fully? Problems are sorted into the three kinds the issue
 * counts: duplicates (anything there twice), lost (an order that never arrived) and half-imported
 * (an order, or part of one, left behind: no reservation or payment, a hold missing, a row still
 * `importing` or `pending`), plus leftovers: records of undone imports that outlived their order
 * (a payment collection, reservation or hold of no order) and stock whose reserved quantity no
 * longer matches its reservations.
 */

/**
 * `expected`: Map channel id → Map external id → { hold: boolean } (whether its action puts it on
 * hold). `full`: also checks reservations, payments, holds and stock (before anything ships).
 */
async function importSnapshot(db, expected, { full = true } = {}) {
  const channelIds = [...expected.keys()]
  const problems = { duplicates: [], lost: [], half: [], leftovers: [] }
  const q = async (sql, params = []) => (await db.query(sql, params)).rows

  const channelOrders = await q(
    `select id, channel_id, external_id, state, order_id, error_code, error_message, import_owner
       from channel_order where deleted_at is null and channel_id = any($1)`,
    [channelIds]
  )
  const orders = await q(
    `select id, metadata->>'channel_id' as channel_id, metadata->>'external_id' as external_id,
            metadata->>'channel_order_id' as channel_order_id, version
       from "order" where deleted_at is null`
  )
  const foreign = orders.filter((o) => !channelIds.includes(o.channel_id))
  const ours = orders.filter((o) => channelIds.includes(o.channel_id))
  for (const o of foreign) problems.half.push(`Medusa order ${o.id} belongs to no channel of the run (metadata ${o.channel_id}/${o.external_id})`)

  const coByKey = new Map()
  for (const co of channelOrders) {
    const key = `${co.channel_id}|${co.external_id}`
    if (coByKey.has(key)) problems.duplicates.push(`channel order ${co.external_id} staged twice`)
    coByKey.set(key, co)
  }
  const ordersByKey = new Map()
  for (const o of ours) {
    const key = `${o.channel_id}|${o.external_id}`
    ordersByKey.set(key, [...(ordersByKey.get(key) ?? []), o])
  }

  let imported = 0
  const linkedOrderIds = new Set()
  for (const [channelId, ids] of expected) {
    for (const externalId of ids.keys()) {
      const key = `${channelId}|${externalId}`
      const co = coByKey.get(key)
      const medusa = ordersByKey.get(key) ?? []
      if (medusa.length > 1) problems.duplicates.push(`${externalId}: ${medusa.length} Medusa orders (${medusa.map((o) => o.id).join(", ")})`)
      if (!co) {
        problems.lost.push(`${externalId}: never staged`)
        continue
      }
      if (co.state === "importing" || co.state === "pending") {
        problems.half.push(`${externalId}: left ${co.state} (owner ${co.import_owner ?? "-"}, order ${co.order_id ?? "-"})`)
      } else if (co.state !== "imported") {
        problems.lost.push(`${externalId}: ${co.state} ${co.error_code ?? ""} ${co.error_message ?? ""}`.trim())
      }
      if (!medusa.length) {
        if (co.state === "imported") problems.lost.push(`${externalId}: imported without a Medusa order`)
        else if (co.state !== "importing" && co.state !== "pending") problems.lost.push(`${externalId}: no Medusa order`)
        continue
      }
      if (co.state === "imported" && co.order_id && medusa.some((o) => o.id === co.order_id)) {
        imported++
        linkedOrderIds.add(co.order_id)
      } else if (co.state === "imported") {
        problems.half.push(`${externalId}: channel order links ${co.order_id}, Medusa has ${medusa.map((o) => o.id).join(", ")}`)
      }
    }
  }
  const expectedKeys = new Set([...expected].flatMap(([c, ids]) => [...ids.keys()].map((id) => `${c}|${id}`)))
  for (const co of channelOrders) {
    if (!expectedKeys.has(`${co.channel_id}|${co.external_id}`)) problems.duplicates.push(`unexpected channel order ${co.external_id} (${co.state})`)
  }
  for (const o of ours) {
    if (!linkedOrderIds.has(o.id) && expectedKeys.has(`${o.channel_id}|${o.external_id}`) && (ordersByKey.get(`${o.channel_id}|${o.external_id}`) ?? []).length === 1) {
      problems.half.push(`Medusa order ${o.id} (${o.external_id}) is linked by no imported channel order`)
    } else if (!expectedKeys.has(`${o.channel_id}|${o.external_id}`)) {
      problems.duplicates.push(`Medusa order ${o.id} for unexpected ${o.external_id}`)
    }
  }

  const out = { channel_orders: channelOrders.length, medusa_orders: ours.length, imported, problems, states: countBy(channelOrders, (c) => c.state) }
  if (!full) return finish(out)

  // Lines of the current order version, with their reservations.
  const orderIds = ours.map((o) => o.id)
  const items = await q(
    `select oi.order_id, oi.item_id, oi.quantity::numeric as quantity
       from order_item oi join "order" o on o.id = oi.order_id and o.version = oi.version
      where oi.deleted_at is null and oi.order_id = any($1)`,
    [orderIds]
  )
  const reservations = await q(
    `select line_item_id, count(*)::int as n, sum(quantity)::numeric as quantity
       from reservation_item where deleted_at is null group by line_item_id`
  )
  const resByLine = new Map(reservations.map((r) => [r.line_item_id, r]))
  const lineIds = new Set(items.map((i) => i.item_id))
  const externalOf = new Map(ours.map((o) => [o.id, o.external_id]))
  for (const i of items) {
    const r = resByLine.get(i.item_id)
    const want = Number(i.quantity)
    if (!r) problems.half.push(`${externalOf.get(i.order_id)}: line ${i.item_id} has no reservation`)
    else if (r.n > 1) problems.duplicates.push(`${externalOf.get(i.order_id)}: line ${i.item_id} has ${r.n} reservations`)
    else if (Number(r.quantity) !== want) problems.half.push(`${externalOf.get(i.order_id)}: line ${i.item_id} reserves ${r.quantity} of ${want}`)
  }
  for (const r of reservations) if (!lineIds.has(r.line_item_id)) problems.leftovers.push(`reservation of line ${r.line_item_id} belongs to no live order`)

  const collections = await q(
    `select opc.order_id, pc.id, pc.status, pc.amount::numeric as amount, pc.captured_amount::numeric as captured,
            (select count(*)::int from payment p where p.payment_collection_id = pc.id and p.deleted_at is null) as payments,
            (select count(*)::int from capture c join payment p on p.id = c.payment_id
              where p.payment_collection_id = pc.id and c.deleted_at is null and p.deleted_at is null) as captures
       from order_payment_collection opc join payment_collection pc on pc.id = opc.payment_collection_id
      where opc.deleted_at is null and pc.deleted_at is null and opc.order_id = any($1)`,
    [orderIds]
  )
  const pcByOrder = new Map()
  for (const c of collections) pcByOrder.set(c.order_id, [...(pcByOrder.get(c.order_id) ?? []), c])
  for (const o of ours) {
    const pcs = pcByOrder.get(o.id) ?? []
    if (pcs.length > 1) problems.duplicates.push(`${o.external_id}: ${pcs.length} payment collections`)
    if (!pcs.length) problems.half.push(`${o.external_id}: no payment collection`)
    for (const pc of pcs) {
      if (pc.payments > 1 || pc.captures > 1) problems.duplicates.push(`${o.external_id}: ${pc.payments} payments, ${pc.captures} captures`)
      else if (pc.status !== "completed" || Number(pc.captured) !== Number(pc.amount) || pc.payments !== 1 || pc.captures !== 1) {
        problems.half.push(`${o.external_id}: payment ${pc.status}, captured ${pc.captured} of ${pc.amount} (${pc.payments} payments, ${pc.captures} captures)`)
      }
    }
  }
  const orphanCollections = await q(
    `select pc.id, pc.amount::numeric as amount, pc.status, pc.created_at,
            (select count(*)::int from order_payment_collection opc where opc.payment_collection_id = pc.id) as links_ever
       from payment_collection pc where pc.deleted_at is null
        and not exists (select 1 from order_payment_collection opc where opc.payment_collection_id = pc.id and opc.deleted_at is null)`
  )
  for (const pc of orphanCollections) {
    problems.leftovers.push(`payment collection ${pc.id} (${pc.amount}, ${pc.status}, created ${pc.created_at.toISOString()}) is linked to no order (${pc.links_ever ? "its link was dismissed" : "never linked"})`)
  }

  const holds = await q(`select order_id, reason, released_at from order_hold where deleted_at is null`)
  const liveIds = new Set(orderIds)
  const holdsByOrder = new Map()
  for (const h of holds) {
    if (!liveIds.has(h.order_id)) {
      problems.leftovers.push(`hold ${h.reason} on order ${h.order_id}, which does not exist`)
      continue
    }
    holdsByOrder.set(h.order_id, [...(holdsByOrder.get(h.order_id) ?? []), h])
  }
  const expectedHold = new Map()
  for (const [channelId, ids] of expected) for (const [externalId, e] of ids) expectedHold.set(`${channelId}|${externalId}`, e.hold)
  for (const o of ours) {
    const reasons = (holdsByOrder.get(o.id) ?? []).filter((h) => !h.released_at).map((h) => h.reason).sort()
    const want = expectedHold.get(`${o.channel_id}|${o.external_id}`) ? ["status_rule"] : []
    if (reasons.length > new Set(reasons).size) problems.duplicates.push(`${o.external_id}: holds ${reasons.join(", ")}`)
    else if (reasons.join(",") !== want.join(",")) problems.half.push(`${o.external_id}: holds [${reasons.join(", ")}], expected [${want.join(", ")}]`)
  }

  const stock = await q(
    `select il.inventory_item_id, il.reserved_quantity::numeric as reserved,
            coalesce((select sum(r.quantity) from reservation_item r
                       where r.inventory_item_id = il.inventory_item_id and r.location_id = il.location_id and r.deleted_at is null), 0)::numeric as held
       from inventory_level il where il.deleted_at is null`
  )
  for (const s of stock) {
    if (Number(s.reserved) !== Number(s.held)) problems.leftovers.push(`inventory item ${s.inventory_item_id}: reserved_quantity ${s.reserved}, live reservations ${s.held}`)
  }
  out.reservations = reservations.reduce((n, r) => n + r.n, 0)
  out.payment_collections = collections.length
  out.holds = holds.filter((h) => !h.released_at).length
  return finish(out)
}

function finish(out) {
  out.duplicates = out.problems.duplicates.length
  out.lost = out.problems.lost.length
  out.half_imported = out.problems.half.length
  out.leftovers = out.problems.leftovers.length
  return out
}

function countBy(xs, f) {
  const m = {}
  for (const x of xs) m[f(x)] = (m[f(x)] ?? 0) + 1
  return m
}

/** Imports a killed process left in flight: rows still `importing`, per owner, and what each had created. */
async function inFlight(db, batchChannels) {
  const { rows } = await db.query(
    `select co.import_owner as owner, co.channel_id, count(*)::int as rows, count(co.order_id)::int as linked,
            (select count(*)::int from "order" o where o.deleted_at is null and o.metadata->>'channel_order_id' = any(array_agg(co.id))) as created
       from channel_order co where co.state = 'importing' and co.deleted_at is null group by 1, 2`
  )
  const { rows: pending } = await db.query(`select count(*)::int as n from channel_order where state = 'pending' and deleted_at is null`)
  return {
    owners: rows.map((r) => ({ ...r, batch: batchChannels.has(r.channel_id) })),
    pending: pending[0].n,
  }
}

module.exports = { importSnapshot, inFlight }
