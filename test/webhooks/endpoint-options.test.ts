// Endpoint options beyond type/department/domain filters: the channel filter, the per-endpoint rate
// limit (messages over it wait, never dropped), mode coalesced (one signed message per window, however
// many events), and auto-disabling (410, days of failure) announced once by a webhook.endpoint.disabled
// event and a log line. All on the app's simulated clock; receivers listen on 127.0.0.1 only, and the
// disabling tests use a stub sender (no socket at all).
import { eq } from 'drizzle-orm'
import { Webhook } from 'standardwebhooks'
import t from 'tap'
import { appendEvents, type NewEvent } from '../../src/modules/events/outbox.js'
import { events } from '../../src/modules/events/tables.js'
import type { DeliveryResult } from '../../src/modules/webhooks/delivery.js'
import { webhookEndpoints, webhookMessages } from '../../src/modules/webhooks/tables.js'
import { DeliveryWorker } from '../../src/modules/webhooks/worker.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, clientWith } from '../helpers/auth.js'
import { receiver } from './builders.js'

// The verifier checks the timestamp against its own (real) clock: the app's clock starts at the real time.
async function setup(t: any, options: Record<string, unknown>) {
  const built = await buildTestApp(t, { now: new Date().toISOString(), config: { webhookAllowHosts: ['127.0.0.1'] } })
  const { token } = await clientWith(built.app, ['webhooks:manage'])
  const hook = await receiver(t)
  const created = await built.app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(token), payload: { url: hook.url, ...options } })
  if (created.statusCode !== 201) throw new Error(created.body)
  const { webhook, secret } = json(created)
  const append = (list: NewEvent[]) => built.app.db.transaction((tx) => appendEvents(tx, { regionCode: built.app.config.defaultRegion, now: built.app.clock.now() }, list))
  const years = (from: number, count: number): NewEvent[] => Array.from({ length: count }, (_, i) => ({ type: 'calendar.changed', data: { id: String(from + i), url: `/v1/calendar/${from + i}`, year: from + i } }))
  return { ...built, token, hook, webhook, secret, append, years, worker: built.app.webhookDelivery }
}

const notice = (id: string, channels: string[]): NewEvent => ({ type: 'notice.published', data: { id, version: 2, url: `/v1/notices/${id}`, department: 'mzj', domain: 'social_assistance', channels } })

t.test('channel filter: notices and posts on none of its channels do not reach it; events about no channel do', async (t) => {
  const { app, token, hook, webhook, append, years, worker } = await setup(t, { types: ['notice.*', 'calendar.*'], channels: ['wechat'] })
  t.same(webhook.channels, ['wechat'])
  await append([notice('n-portal', ['portal', 'bulletin_board']), notice('n-wechat', ['portal', 'wechat']), ...years(2027, 1)])
  t.same(await worker.runOnce(), { queued: 2, attempted: 2 })
  t.same(hook.received.map((r) => JSON.parse(r.body).data.id), ['n-wechat', '2027'], 'the WeChat notice and the calendar; not the portal-only notice')

  const bad = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(token), payload: { url: hook.url, channels: ['telegraph'] } })
  t.equal(bad.statusCode, 400, 'an unknown channel is refused')
  t.match(bad.headers['content-type'], /problem\+json/)
})

t.test('rate limit: at most N deliveries per window; the rest wait in order and none is dropped', async (t) => {
  const { app, token, hook, webhook, append, years, worker, clock } = await setup(t, { types: ['calendar.*'], rateLimit: { max: 2, per: 'second' } })
  t.same(webhook.rateLimit, { max: 2, per: 'second' })
  await append(years(2030, 5))
  t.same(await worker.runOnce(), { queued: 5, attempted: 2 }, 'two in this second')
  t.equal((await worker.runOnce()).attempted, 0, 'none more within the same second')
  clock.advance(999)
  t.equal((await worker.runOnce()).attempted, 0, 'still the same window')
  clock.advance(1)
  t.equal((await worker.runOnce()).attempted, 2, 'the next window: two more')
  clock.advance(1000)
  t.equal((await worker.runOnce()).attempted, 1, 'and the last')
  t.same(hook.received.map((r) => JSON.parse(r.body).data.year), [2030, 2031, 2032, 2033, 2034], 'every event, in order')

  // Per minute, then lifted.
  const etag = (await app.inject({ method: 'GET', url: `/v1/webhooks/${webhook.id}`, headers: bearer(token) })).headers.etag as string
  const perMinute = await app.inject({ method: 'PATCH', url: `/v1/webhooks/${webhook.id}`, headers: { ...bearer(token), 'if-match': etag }, payload: { rateLimit: { max: 1, per: 'minute' } } })
  t.same(json(perMinute).rateLimit, { max: 1, per: 'minute' })
  clock.advance(1000)
  await append(years(2040, 3))
  t.equal((await worker.runOnce()).attempted, 1)
  clock.advance(30_000)
  t.equal((await worker.runOnce()).attempted, 0, 'one a minute')
  const lifted = await app.inject({ method: 'PATCH', url: `/v1/webhooks/${webhook.id}`, headers: { ...bearer(token), 'if-match': perMinute.headers.etag as string }, payload: { rateLimit: null } })
  t.equal(json(lifted).rateLimit, null)
  clock.advance(30_000)
  t.equal((await worker.runOnce()).attempted, 2, 'no limit: the rest at once')
  t.equal(hook.received.length, 8)
})

t.test('mode coalesced: a 10,000-event import is one signed message at the end of the window, listing counts, ids and cursors', async (t) => {
  const { app, hook, webhook, secret, append, years, worker, clock } = await setup(t, { types: ['calendar.*', 'notice.*'], mode: 'coalesced', coalesceWindowSeconds: 60 })
  t.match(webhook, { mode: 'coalesced', coalesceWindowSeconds: 60 })
  await append(years(10_000, 10_000))
  t.same(await worker.runOnce(), { queued: 1, attempted: 0 }, 'one message, not due before the window closes')
  clock.advance(30_000)
  await append([notice('n-1', ['portal'])])
  t.same(await worker.runOnce(), { queued: 0, attempted: 0 }, 'a later event joins the open window')
  clock.advance(30_000)
  hook.answers.push({ status: 503 })
  t.equal((await worker.runOnce()).attempted, 1, 'the window closed: one delivery')
  clock.advance(6_000)
  t.equal((await worker.runOnce()).attempted, 1, 'retried')
  t.equal(hook.received.length, 2)
  t.equal(hook.received[1]!.body, hook.received[0]!.body, 'byte-identical on the retry')
  const body = new Webhook(secret).verify(hook.received[1]!.body, hook.received[1]!.headers as Record<string, string>) as any
  t.equal(body.type, 'events.coalesced')
  t.equal(body.id, hook.received[1]!.headers['webhook-id'])
  t.match(body.data, { count: 10_001, types: { 'calendar.changed': 10_000, 'notice.published': 1 }, idsTruncated: true, last: { type: 'notice.published', data: { id: 'n-1' } } })
  t.equal(body.data.ids.length, 50)
  t.ok(Buffer.byteLength(hook.received[0]!.body) < 4096, 'compact whatever the count')

  // The cursors bound exactly those events in the feed.
  const page = json(await app.inject({ method: 'GET', url: `/v1/changes?after=${body.data.after}&limit=50` }))
  t.same(page.items.map((e: any) => e.id), body.data.ids, 'the feed after `after` starts with the listed ids')
  const tail = json(await app.inject({ method: 'GET', url: `/v1/changes?after=${body.data.through}` }))
  t.same(tail.items, [], '`through` is the last one')

  // Once closed, a window takes nothing more: the next event opens another.
  await append(years(30_000, 1))
  t.same(await worker.runOnce(), { queued: 1, attempted: 0 })
  clock.advance(60_000)
  t.equal((await worker.runOnce()).attempted, 1)
  t.match(JSON.parse(hook.received[2]!.body).data, { count: 1, idsTruncated: false, types: { 'calendar.changed': 1 } })
  t.equal(await app.db.$count(webhookMessages), 2)
})

t.test('auto-disable: a 410 from two messages at once disables the endpoint with one event and one log line', async (t) => {
  const { app, hook, webhook, append, years, clock } = await setup(t, { types: ['calendar.*'] })
  const warnings: { obj: any; msg: string }[] = []
  const log = { ...app.log, warn: (obj: unknown, msg: string) => warnings.push({ obj, msg }) } as any
  const gone: DeliveryResult = { outcome: 'answered', status: 410, retryAfter: undefined, response: '', durationMs: 1 }
  const worker = new DeliveryWorker({ db: app.db, clock, log, send: async () => gone })
  await append(years(2027, 2))
  t.same(await worker.runOnce(), { queued: 2, attempted: 2 })
  const [row] = await app.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, webhook.id))
  t.match(row, { status: 'disabled', disabledReason: /410/ })
  const announced = await app.db.select().from(events).where(eq(events.type, 'webhook.endpoint.disabled'))
  t.equal(announced.length, 1, 'one event')
  t.match(announced[0], { audience: 'staff', data: { id: webhook.id, url: `/v1/webhooks/${webhook.id}`, reason: /410/ } })
  t.same(warnings.map((w) => w.msg), ['webhook endpoint disabled'], 'one log line')
  t.match(warnings[0]!.obj, { webhookEndpoint: webhook.id, reason: /410/ })
  t.equal(hook.received.length, 0, 'the stub sender: nothing left this process')

  // Readable in the feed by staff (events:read), not by the public.
  const { token: staff } = await clientWith(app, ['events:read'])
  t.match(json(await app.inject({ method: 'GET', url: '/v1/changes?types=webhook.*', headers: bearer(staff) })).items, [{ type: 'webhook.endpoint.disabled', data: { id: webhook.id } }])
  t.same(json(await app.inject({ method: 'GET', url: '/v1/changes?types=webhook.*' })).items, [])
})

t.test('auto-disable after days of continuous failure: announced once, later failures add nothing', async (t) => {
  const { app, webhook, append, years, clock } = await setup(t, { types: ['calendar.*'] })
  const warnings: string[] = []
  const log = { ...app.log, warn: (_obj: unknown, msg: string) => warnings.push(msg) } as any
  const failing: DeliveryResult = { outcome: 'answered', status: 500, retryAfter: undefined, response: 'down', durationMs: 1 }
  const worker = new DeliveryWorker({ db: app.db, clock, log, send: async () => failing, random: () => 0.5 })
  await append(years(2027, 1))
  await worker.runOnce()
  t.equal(await app.db.$count(events, eq(events.type, 'webhook.endpoint.disabled')), 0, 'failing, not yet disabled')
  // Every retry fails for five days (the schedule's own times).
  for (let day = 0; day < 6 && (await app.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, webhook.id)))[0]!.status === 'enabled'; day++) {
    await append(years(3000 + day, 1))
    clock.advance(86_400_000)
    await worker.runOnce()
  }
  const [row] = await app.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, webhook.id))
  t.match(row, { status: 'disabled', disabledReason: /5 days/ })
  t.equal(await app.db.$count(events, eq(events.type, 'webhook.endpoint.disabled')), 1)
  t.same(warnings, ['webhook endpoint disabled'])
  clock.advance(86_400_000)
  await worker.runOnce()
  t.equal(await app.db.$count(events, eq(events.type, 'webhook.endpoint.disabled')), 1, 'disabled: no more attempts, no second event')
})

t.test('rate limit shared by instances: two workers claiming at once never spend more than the allowance', async (t) => {
  const { app, token, webhook, append, years, clock } = await setup(t, { types: ['calendar.*'], rateLimit: { max: 3, per: 'minute' } })
  const sent: string[] = []
  const ok: DeliveryResult = { outcome: 'answered', status: 204, retryAfter: undefined, response: '', durationMs: 1 }
  const instance = () => new DeliveryWorker({ db: app.db, clock, log: app.log, send: async (r) => (sent.push(r.headers['webhook-id']!), ok) })
  const [a, b] = [instance(), instance()]
  await append(years(2030, 10))
  await a.fanOut()
  const attempted = await Promise.all([a.deliverDue(), b.deliverDue(), a.deliverDue()])
  t.equal(attempted.reduce((x, y) => x + y, 0), 3, 'three in the minute, whoever claimed them')
  t.equal(new Set(sent).size, 3, 'each once')
  clock.advance(60_000)
  t.equal((await b.runOnce()).attempted, 3, 'the next minute, three more')
  t.equal(await app.db.$count(webhookMessages, eq(webhookMessages.status, 'pending')), 4, 'the rest still waiting, none dropped')

  // Switching to mode coalesced: later events go into one window; the queued ones keep their turn.
  const etag = (await app.inject({ method: 'GET', url: `/v1/webhooks/${webhook.id}`, headers: bearer(token) })).headers.etag as string
  const switched = await app.inject({ method: 'PATCH', url: `/v1/webhooks/${webhook.id}`, headers: { ...bearer(token), 'if-match': etag }, payload: { mode: 'coalesced', coalesceWindowSeconds: 5, rateLimit: null } })
  t.match(json(switched), { mode: 'coalesced', coalesceWindowSeconds: 5, rateLimit: null })
  await append(years(2050, 4))
  t.same(await a.runOnce(), { queued: 1, attempted: 4 }, 'one window opened; the four waiting sent')
  clock.advance(5_000)
  t.equal((await a.runOnce()).attempted, 1)
  t.equal(sent.length, 11)
})
