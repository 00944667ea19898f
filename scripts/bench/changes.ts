// The integration surface's numbers (issue 15): feed reads in events/s, and commit → first webhook
// attempt at a loopback receiver (p50/p99) while 50 events/s are committed.
//   npx tsx scripts/bench/changes.ts [--events 20000] [--seconds 10] [--rate 50]
// DATABASE_URL: a real Postgres (migrated here; use a throwaway database); without it an in-memory
// PGlite. Everything runs in this process; the receiver listens on 127.0.0.1 only.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { openDatabase } from '../../src/db/client.js'
import { readFeed } from '../../src/modules/events/feed.js'
import { appendEvents } from '../../src/modules/events/outbox.js'
import { createEndpoint } from '../../src/modules/webhooks/service.js'
import { listenForEvents } from '../../src/modules/webhooks/wake-up.js'

const { values } = parseArgs({ options: { events: { type: 'string', default: '20000' }, seconds: { type: 'string', default: '10' }, rate: { type: 'string', default: '50' } } })
const total = Number(values.events)
const seconds = Number(values.seconds)
const rate = Number(values.rate)

const env = loadConfig()
const config = { ...env, logLevel: 'warn' as const, demoData: false, webhookAllowHosts: ['127.0.0.1'] }
const database = config.databaseUrl ? undefined : await openDatabase({ kind: 'pglite' })
const app = await buildApp(config, { ephemeralKeys: true, ...(database ? { database } : {}) })
const region = config.defaultRegion
const ctx = () => ({ regionCode: region, now: new Date() })
const event = (i: number) => ({ type: 'catalog.item.updated' as const, data: { id: `bench.${i % 500}`, version: i, url: `/v1/items/bench.${i % 500}`, department: 'housing', domain: 'affordable_housing' } })

// 1. Feed reads.
const start = (await readFeed(app.db, { after: 'now', regionCode: region, staff: true, limit: 1 })).nextCursor
for (let i = 0; i < total; i += 1000) {
  const batch = Array.from({ length: Math.min(1000, total - i) }, (_, j) => event(i + j))
  await app.db.transaction((tx) => appendEvents(tx, ctx(), batch))
}
for (const via of ['service', 'http'] as const) {
  let cursor = start
  let read = 0
  const t0 = performance.now()
  for (;;) {
    let items: number
    if (via === 'service') {
      const page = await readFeed(app.db, { after: cursor, regionCode: region, staff: false, limit: 1000 })
      items = page.items.length
      cursor = page.nextCursor
    } else {
      const res = await app.inject({ method: 'GET', url: `/v1/changes?after=${cursor}&limit=1000` })
      const page = JSON.parse(res.body) as { items: unknown[]; nextCursor: string }
      items = page.items.length
      cursor = page.nextCursor
    }
    read += items
    if (!items) break
  }
  const ms = performance.now() - t0
  console.log(`feed read (${via}): ${read} events in ${ms.toFixed(0)} ms = ${Math.round((read / ms) * 1000)} events/s`)
}

// 2. Commit → first attempt.
const arrived = new Map<string, number>()
const receiver = http.createServer((req, res) => {
  arrived.set(String(req.headers['webhook-id']), performance.now())
  req.resume()
  req.on('end', () => res.writeHead(204).end())
})
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
const principal = { type: 'client' as const, id: 'bench', name: 'bench', login: 'bench', regionCode: region, grants: [], scopes: ['webhooks:manage' as const, 'events:read' as const], mustChangePassword: false }
await createEndpoint(app.db, { actor: { type: 'system', id: null, name: 'bench' }, requestId: null, regionCode: region, now: new Date() }, principal, app.webhookAddressRule, { url })
app.webhookDelivery.start()
const stopListening = listenForEvents(app.database, () => app.webhookDelivery.wake(), app.log)
const committed = new Map<string, number>()
const { events } = await import('../../src/modules/events/tables.js')
const { desc } = await import('drizzle-orm')
const count = seconds * rate
const t0 = performance.now()
for (let i = 0; i < count; i++) {
  const due = t0 + (i * 1000) / rate
  const wait = due - performance.now()
  if (wait > 0) await new Promise((r) => setTimeout(r, wait))
  await app.db.transaction((tx) => appendEvents(tx, ctx(), [event(i)]))
  const at = performance.now()
  const [row] = await app.db.select({ id: events.id }).from(events).orderBy(desc(events.position)).limit(1)
  committed.set(row!.id, at)
}
const deadline = performance.now() + 10_000
while ([...committed.keys()].some((id) => !arrived.has(id)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50))
await stopListening()
await app.webhookDelivery.stop()
const lags = [...committed].map(([id, at]) => (arrived.get(id) ?? Infinity) - at).sort((a, b) => a - b)
const pct = (p: number) => lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))]!
console.log(`commit → first attempt at ${rate} events/s (${lags.length} events, ${app.database.kind}): p50 ${pct(50).toFixed(0)} ms, p99 ${pct(99).toFixed(0)} ms, max ${pct(100).toFixed(0)} ms`)
receiver.close()
await app.close()
