import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { clientWith, tokenFor } from '../helpers/auth.js'
import { itemBody } from '../catalog/builders.js'
import { expectStatus, upload, workingSet } from './builders.js'

t.test('a retry with the same Idempotency-Key returns the first result, status and body', async (t) => {
  const { app, clock } = await buildTestApp(t)
  const script = await clientWith(app, ['items:write'], 'civil_affairs')
  const items = [itemBody({ key: 'disaster_relief.a' }), itemBody({ key: 'disaster_relief.b', secondLevel: '救助资金' })]
  const first = await upload(app, script.token, items, { query: 'department=civil_affairs', idempotencyKey: 'push-2026-03-02-001' })
  expectStatus(t, first, 200)
  t.match(json(first), { counts: { added: 2 } })
  t.notOk(first.headers['idempotent-replayed'])

  clock.advance(5 * 60_000)
  const retry = await upload(app, script.token, items, { query: 'department=civil_affairs', idempotencyKey: 'push-2026-03-02-001' })
  expectStatus(t, retry, 200)
  t.equal(retry.body, first.body, 'the same body, byte for byte (not "2 unchanged")')
  t.equal(retry.headers['idempotent-replayed'], 'true')
  const history = json(await app.inject({ method: 'GET', url: '/v1/items/disaster_relief.a/history' })).items
  t.equal(history.length, 1, 'the work was done once')

  const fresh = await upload(app, script.token, items, { query: 'department=civil_affairs', idempotencyKey: 'push-2026-03-02-002' })
  t.match(json(fresh), { counts: { added: 0, unchanged: 2 } }, 'a new key is a new request')
})

t.test('the same key with a different body is refused (422) and does nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  expectStatus(t, await upload(app, editor, [itemBody({ key: 'disaster_relief.a' })], { query: 'department=civil_affairs', idempotencyKey: 'k-1' }), 200)
  const reused = await upload(app, editor, [itemBody({ key: 'disaster_relief.zzz' })], { query: 'department=civil_affairs', idempotencyKey: 'k-1' })
  expectStatus(t, reused, 422)
  t.match(json(reused), { type: '/problems/unprocessable-content', detail: /Idempotency-Key k-1 was used for a different request/, errors: [{ pointer: '/headers/idempotency-key' }] })
  const otherQuery = await upload(app, editor, [itemBody({ key: 'disaster_relief.a' })], { query: 'department=civil_affairs&dryRun=true', idempotencyKey: 'k-1' })
  expectStatus(t, otherQuery, 422)
  t.same((await workingSet(app)).map((i) => i.key), ['disaster_relief.a'])
})

t.test('keys are per caller, a failed request does not use its key up, and keys expire after a day', async (t) => {
  const { app, clock } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const colleague = await tokenFor(app, 'editor', 'civil_affairs')
  const bad = await upload(app, editor, [itemBody({ key: 'disaster_relief.a', channels: [] })], { query: 'department=civil_affairs', idempotencyKey: 'k-2' })
  expectStatus(t, bad, 422)
  const fixed = await upload(app, editor, [itemBody({ key: 'disaster_relief.a' })], { query: 'department=civil_affairs', idempotencyKey: 'k-2' })
  expectStatus(t, fixed, 200)
  t.match(json(fixed), { counts: { added: 1 } }, 'the key was free again after the 422')
  const theirs = await upload(app, colleague, [itemBody({ key: 'disaster_relief.b' })], { query: 'department=civil_affairs', idempotencyKey: 'k-2' })
  t.match(json(theirs), { counts: { added: 1 } }, 'another caller’s k-2 is another key')
  clock.advance(25 * 3_600_000)
  const later = await upload(app, editor, [itemBody({ key: 'disaster_relief.c' })], { query: 'department=civil_affairs', idempotencyKey: 'k-2' })
  t.match(json(later), { counts: { added: 1 } }, 'an expired key can be used again')
})
