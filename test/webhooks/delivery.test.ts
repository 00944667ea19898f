// Webhooks to the Standard Webhooks spec: registered with a secret shown once, delivered signed by the
// worker from the outbox, verified with the `standardwebhooks` library and svix's verifier, retried on the schedule (on the
// app's clock), slowed by 429/503 + Retry-After, disabled by 410, failing on 3xx (never followed);
// a rotated secret signs alongside the old one for 24 h. Every receiver listens on 127.0.0.1.
import t from 'tap'
import { Webhook } from 'standardwebhooks'
import { Webhook as SvixWebhook } from 'svix'
import { appendEvent } from '../../src/modules/events/outbox.js'
import { webhookMessages } from '../../src/modules/webhooks/tables.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, clientWith } from '../helpers/auth.js'
import { receiver, unverified, verifies } from './builders.js'

// Standard Webhooks verifiers accept a timestamp within 5 minutes of their own clock: the app's clock
// starts at the real time here so that the library's check passes unchanged.
async function setup(t: any) {
  const built = await buildTestApp(t, { now: new Date().toISOString(), config: { webhookAllowHosts: ['127.0.0.1'] } })
  const { token } = await clientWith(built.app, ['webhooks:manage'])
  const hook = await receiver(t)
  const created = await built.app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(token), payload: { url: hook.url, types: ['calendar.*', 'post.*'] } })
  if (created.statusCode !== 201) throw new Error(created.body)
  const { webhook, secret } = json(created)
  const publish = (year: number) =>
    built.app.db.transaction((tx) => appendEvent(tx, { regionCode: built.app.config.defaultRegion, now: built.app.clock.now() }, { type: 'calendar.changed', data: { id: String(year), url: `/v1/calendar/${year}`, year } }))
  return { ...built, token, hook, webhook, secret, publish, worker: built.app.webhookDelivery }
}

t.test('a committed change reaches the endpoint signed; the secret is shown once; filters apply', async (t) => {
  const { app, token, hook, webhook, secret, publish, worker } = await setup(t)
  t.match(secret, /^whsec_/)
  const shown = await app.inject({ method: 'GET', url: `/v1/webhooks/${webhook.id}`, headers: bearer(token) })
  t.notOk(shown.body.includes(secret.slice(6)), 'the secret is never shown again')
  t.equal(json(shown).status, 'enabled')

  await publish(2027)
  await app.db.transaction((tx) => appendEvent(tx, { regionCode: app.config.defaultRegion, now: app.clock.now() }, { type: 'department.changed', data: { id: 'finance', url: '/v1/departments/finance', action: 'update' } }))
  t.same(await worker.runOnce(), { queued: 1, attempted: 1 }, 'only the types it asked for')
  t.equal(hook.received.length, 1)
  const [delivery] = hook.received
  const verified = new Webhook(secret).verify(delivery!.body, delivery!.headers as Record<string, string>) as any
  t.match(verified, { type: 'calendar.changed', data: { id: '2027', url: '/v1/calendar/2027', year: 2027 } }, 'verifies with the standardwebhooks library')
  t.equal(delivery!.headers['webhook-id'], verified.id)
  t.match(delivery!.headers['webhook-signature'], /^v1,[A-Za-z0-9+/=]+$/, 'one signature while there is one secret')
  t.match(new SvixWebhook(secret).verify(delivery!.body, delivery!.headers as Record<string, string>), verified, 'and with svix\'s verifier (its own implementation)')
  t.throws(() => new SvixWebhook(secret).verify(delivery!.body.replace('2027', '2028'), delivery!.headers as Record<string, string>), 'svix refuses a changed body')
  t.throws(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(delivery!.body, delivery!.headers as Record<string, string>), 'another secret does not verify')
  t.same(await worker.runOnce(), { queued: 0, attempted: 0 }, 'nothing twice')

  const attempts = json(await app.inject({ method: 'GET', url: `/v1/webhooks/${webhook.id}/attempts`, headers: bearer(token) }))
  t.match(attempts.items, [{ outcome: 'delivered', statusCode: 204, eventId: verified.id }])
})

t.test('retries on the schedule with the same id and bytes; 3xx fails and is not followed; 429 + Retry-After slows; 410 disables', async (t) => {
  const { app, token, hook, webhook, secret, publish, worker, clock } = await setup(t)
  await publish(2027)
  hook.answers.push({ status: 500, body: 'boom' })
  t.same(await worker.runOnce(), { queued: 1, attempted: 1 })
  const [message] = await app.db.select().from(webhookMessages)
  const wait = message!.nextAttemptAt.getTime() - clock.now().getTime()
  t.ok(wait >= 4_000 && wait <= 6_000, `the first retry comes 5 s ± 20% later (${wait} ms)`)
  t.equal((await worker.runOnce()).attempted, 0, 'not before its time')

  clock.advance(6_000)
  hook.answers.push({ status: 302, headers: { location: `${hook.url}/elsewhere` } })
  t.equal((await worker.runOnce()).attempted, 1)
  t.equal(hook.received.length, 2, 'the redirect was not followed')
  t.equal(hook.received[1]!.headers['webhook-id'], hook.received[0]!.headers['webhook-id'], 'the same webhook-id on a retry')
  t.equal(hook.received[1]!.body, hook.received[0]!.body, 'byte-identical body')
  const [second] = await app.db.select().from(webhookMessages)
  const secondWait = second!.nextAttemptAt.getTime() - clock.now().getTime()
  t.ok(secondWait >= 240_000 && secondWait <= 360_000, `then 5 min ± 20% (${secondWait} ms)`)

  clock.advance(360_000)
  hook.answers.push({ status: 429, headers: { 'retry-after': '3600' } })
  t.equal((await worker.runOnce()).attempted, 1)
  await publish(2028)
  clock.advance(30 * 60_000 * 1.3)
  t.equal((await worker.runOnce()).attempted, 0, 'Retry-After holds back every message of the endpoint, new ones too')
  clock.advance(3600_000)
  hook.answers.push({ status: 410 }, { status: 204 })
  t.equal((await worker.runOnce()).attempted, 2, 'after Retry-After both are due')
  const after = json(await app.inject({ method: 'GET', url: `/v1/webhooks/${webhook.id}`, headers: bearer(token) }))
  t.match(after, { status: 'disabled', disabledReason: /410/ })
  await publish(2029)
  clock.advance(24 * 3600_000)
  t.same(await worker.runOnce(), { queued: 0, attempted: 0 }, 'a disabled endpoint gets nothing')

  const log = json(await app.inject({ method: 'GET', url: `/v1/webhooks/${webhook.id}/attempts`, headers: bearer(token) })).items
  t.same(log.map((a: any) => a.statusCode).sort(), [204, 302, 410, 429, 500].sort())
  t.match(log.find((a: any) => a.statusCode === 500), { outcome: 'failed', response: 'boom' })

  // Re-enabled, it resumes from where it stopped (2029 was committed while it was disabled).
  const etag = (await app.inject({ method: 'GET', url: `/v1/webhooks/${webhook.id}`, headers: bearer(token) })).headers.etag as string
  const revived = await app.inject({ method: 'PATCH', url: `/v1/webhooks/${webhook.id}`, headers: { ...bearer(token), 'if-match': etag }, payload: { status: 'enabled' } })
  t.equal(json(revived).status, 'enabled')
  t.same(await worker.runOnce(), { queued: 1, attempted: 1 })
  t.equal(hook.received.length, 6)
  t.same(unverified(secret, hook.received), [], 'every attempt, retries included, verifies with standardwebhooks and svix')
})

t.test('rotation: both secrets sign for 24 h, then only the new one', async (t) => {
  const { app, token, hook, webhook, secret, publish, worker, clock } = await setup(t)
  const rotated = json(await app.inject({ method: 'POST', url: `/v1/webhooks/${webhook.id}/rotate-secret`, headers: bearer(token) }))
  t.not(rotated.secret, secret)
  t.ok(rotated.webhook.previousSecretValidUntil)
  await publish(2027)
  await worker.runOnce()
  const during = hook.received[0]!
  t.equal(String(during.headers['webhook-signature']).split(' ').length, 2, 'two signatures during the overlap')
  t.ok(new Webhook(secret).verify(during.body, during.headers as Record<string, string>), 'the old secret verifies')
  t.ok(new Webhook(rotated.secret).verify(during.body, during.headers as Record<string, string>), 'the new secret verifies')
  t.ok(new SvixWebhook(secret).verify(during.body, during.headers as Record<string, string>), 'svix: the old secret verifies')
  t.ok(new SvixWebhook(rotated.secret).verify(during.body, during.headers as Record<string, string>), 'svix: the new secret verifies')
  // Later in the overlap (23 h on): still both, by both libraries.
  clock.advance(23 * 3600_000)
  await publish(2030)
  await worker.runOnce()
  const late = hook.received[1]!
  t.equal(String(late.headers['webhook-signature']).split(' ').length, 2, 'two signatures to the end of the overlap')
  t.same(verifies(secret, late), { standardwebhooks: true, svix: true }, 'the old secret at 23 h, both libraries')
  t.same(verifies(rotated.secret, late), { standardwebhooks: true, svix: true }, 'the new secret at 23 h, both libraries')

  // A day later (the verifier's own clock is the real one: the timestamp check is left out here).
  clock.advance(3600_000 + 1000)
  await publish(2028)
  await worker.runOnce()
  const later = hook.received[2]!
  t.equal(String(later.headers['webhook-signature']).split(' ').length, 1, 'only the new secret after 24 h')
  t.same(verifies(rotated.secret, later), { standardwebhooks: true, svix: true }, 'the new secret verifies, both libraries')
  t.same(verifies(secret, later), { standardwebhooks: false, svix: false }, 'the old one no longer does, for either')
  t.same(unverified(rotated.secret, hook.received), [], 'the new secret verifies every delivery since the rotation, with both libraries')
})

t.test('a test ping, recovery of past events with their original ids, deletion', async (t) => {
  const { app, token, hook, webhook, secret, publish, worker } = await setup(t)
  const ping = await app.inject({ method: 'POST', url: `/v1/webhooks/${webhook.id}/test`, headers: bearer(token) })
  t.equal(ping.statusCode, 202)
  await worker.runOnce()
  t.match(JSON.parse(hook.received[0]!.body), { id: json(ping).messageId, type: 'ping' })

  await publish(2027)
  await publish(2028)
  await worker.runOnce()
  const firstIds = hook.received.slice(1).map((r) => r.headers['webhook-id'])
  const since = new Date(app.clock.now().getTime() - 1000).toISOString()
  const recovered = await app.inject({ method: 'POST', url: `/v1/webhooks/${webhook.id}/recover`, headers: bearer(token), payload: { since } })
  t.same(json(recovered), { queued: 2 })
  await worker.runOnce()
  t.same(hook.received.slice(3).map((r) => r.headers['webhook-id']), firstIds, 'again, oldest first, with the original ids')
  t.same(unverified(secret, hook.received), [], 'the ping and the recovered messages verify with standardwebhooks and svix')

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/webhooks/${webhook.id}`, headers: bearer(token) })).statusCode, 204)
  t.equal((await app.inject({ method: 'GET', url: `/v1/webhooks/${webhook.id}`, headers: bearer(token) })).statusCode, 404)
  t.same(json(await app.inject({ method: 'GET', url: '/v1/webhooks', headers: bearer(token) })).items, [])
})

t.test('a message is given up after its last attempt; an endpoint failing for days is disabled', async (t) => {
  const { app, token, hook, webhook, publish, worker, clock } = await setup(t)
  const { webhookEndpoints } = await import('../../src/modules/webhooks/tables.js')
  const { eq } = await import('drizzle-orm')
  await publish(2027)
  await worker.fanOut()
  await app.db.update(webhookMessages).set({ attempts: 9 })
  hook.answers.push({ status: 500 })
  t.equal(await worker.deliverDue(), 1)
  const [message] = await app.db.select().from(webhookMessages)
  t.match(message, { status: 'failed', attempts: 10 }, 'the tenth failure is the last')

  await app.db.update(webhookEndpoints).set({ failingSince: new Date(clock.now().getTime() - 5 * 86_400_000) }).where(eq(webhookEndpoints.id, webhook.id))
  await publish(2028)
  hook.answers.push({ status: 500 })
  t.same(await worker.runOnce(), { queued: 1, attempted: 1 })
  t.match(json(await app.inject({ method: 'GET', url: `/v1/webhooks/${webhook.id}`, headers: bearer(token) })), { status: 'disabled', disabledReason: /5 days/ })
})

t.test('an instance that dies holding a claim: its lease lapses and another delivers the same message', async (t) => {
  const { DeliveryWorker } = await import('../../src/modules/webhooks/worker.js')
  const { app, hook, secret, publish, worker, clock } = await setup(t)
  await publish(2027)
  // This instance claims the message and never comes back (its send never answers: killed mid-flight).
  const doomed = new DeliveryWorker({ db: app.db, clock, log: app.log, send: () => new Promise(() => undefined) })
  await doomed.fanOut()
  void doomed.deliverDue()
  const { webhookMessages: messages } = await import('../../src/modules/webhooks/tables.js')
  for (let i = 0; i < 100 && !(await app.db.select().from(messages))[0]?.leaseUntil; i++) await new Promise((r) => setImmediate(r))
  t.equal((await worker.runOnce()).attempted, 0, 'claimed: no other instance sends it meanwhile')
  clock.advance(61_000)
  t.equal((await worker.runOnce()).attempted, 1, 'after the lease, another instance does')
  t.equal(hook.received.length, 1)
  t.match(JSON.parse(hook.received[0]!.body), { type: 'calendar.changed', data: { year: 2027 } })
  t.same(unverified(secret, hook.received), [], 'it verifies with standardwebhooks and svix')
})

t.test('a lost database does not stop the worker: the round is logged and the next one tries again', async (t) => {
  const { DeliveryWorker } = await import('../../src/modules/webhooks/worker.js')
  const { app } = await buildTestApp(t)
  let rounds = 0
  const failed = new Promise<string>((resolve) => {
    const log = { ...app.log, warn: (_obj: unknown, msg: string) => (++rounds === 2 ? resolve(msg) : undefined) } as any
    const db = { transaction: () => Promise.reject(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })) } as any
    const worker = new DeliveryWorker({ db, clock: app.clock, log, send: async () => ({ outcome: 'error', status: null, retryAfter: undefined, response: '', durationMs: 0 }) })
    worker.start(1)
    t.teardown(() => worker.stop())
  })
  t.match(await failed, /retrying/, 'two failed rounds, each logged, the process alive')
})
