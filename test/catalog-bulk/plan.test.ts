import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, tokenFor } from '../helpers/auth.js'
import { createItem, itemBody } from '../catalog/builders.js'
import { expectStatus, upload, workingSet } from './builders.js'

/** Three civil affairs items and one housing item in the working set. */
async function stocked(t: Parameters<typeof buildTestApp>[0]) {
  const built = await buildTestApp(t)
  const { app } = built
  const civil = await tokenFor(app, 'editor', 'civil_affairs')
  const housing = await tokenFor(app, 'editor', 'housing')
  for (const key of ['disaster_relief.a', 'disaster_relief.b', 'disaster_relief.c']) await createItem(app, civil, { key, secondLevel: `事项${key.slice(-1)}` })
  await createItem(app, housing, { key: 'affordable_housing.list', domain: 'affordable_housing', department: 'housing', secondLevel: '名单' })
  return { ...built, civil, housing }
}

const civilUpload = [
  itemBody({ key: 'disaster_relief.a', secondLevel: '事项a' }), // unchanged
  itemBody({ key: 'disaster_relief.b', secondLevel: '事项b', channels: ['government_website'] }), // changed
  itemBody({ key: 'disaster_relief.d', secondLevel: '事项d' }), // added
] // disaster_relief.c is missing

t.test('replace retires exactly the department’s items missing from the upload, and no other department’s', async (t) => {
  const { app, civil } = await stocked(t)
  const res = await upload(app, civil, civilUpload, { query: 'mode=replace&department=civil_affairs' })
  expectStatus(t, res, 200)
  const result = json(res)
  t.match(result, { mode: 'replace', counts: { added: 1, changed: 1, retired: 1, unchanged: 1 } })
  t.same(result.retired, [{ key: 'disaster_relief.c', firstLevel: '受灾人员冬春生活救助', secondLevel: '事项c' }])
  const status = Object.fromEntries((await workingSet(app)).map((i) => [i.key, i.status]))
  t.same(status, {
    'affordable_housing.list': 'active',
    'disaster_relief.a': 'active',
    'disaster_relief.b': 'active',
    'disaster_relief.c': 'retired',
    'disaster_relief.d': 'active',
  })
  const history = json(await app.inject({ method: 'GET', url: '/v1/items/disaster_relief.c/history' })).items
  t.match(history.at(-1), { action: 'retire', changes: [{ field: 'status', old: 'active', new: 'retired' }] })
})

t.test('upsert leaves missing items alone; a retired item in the upload is reinstated', async (t) => {
  const { app, civil } = await stocked(t)
  expectStatus(t, await upload(app, civil, civilUpload, { query: 'mode=replace&department=civil_affairs' }), 200)
  const res = await upload(app, civil, [itemBody({ key: 'disaster_relief.c', secondLevel: '事项c' })], { query: 'department=civil_affairs' })
  expectStatus(t, res, 200)
  t.match(json(res), { mode: 'upsert', counts: { added: 0, changed: 1, retired: 0, unchanged: 0 }, changed: [{ key: 'disaster_relief.c', changes: [{ field: 'status', old: 'retired', new: 'active' }] }] })
  t.equal((await workingSet(app)).filter((i) => i.status === 'active').length, 5)
})

t.test('a dry run writes nothing and predicts exactly what the real run then does', async (t) => {
  const { app, civil, clock } = await stocked(t)
  const before = await workingSet(app)
  const dry = await upload(app, civil, civilUpload, { query: 'mode=replace&department=civil_affairs&dryRun=true' })
  expectStatus(t, dry, 200)
  const predicted = json(dry)
  t.equal(predicted.dryRun, true)
  t.same(predicted.changed, [
    { key: 'disaster_relief.b', firstLevel: '受灾人员冬春生活救助', secondLevel: '事项b', row: 1, changes: [{ field: 'channels', old: ['government_website', 'bulletin_board'], new: ['government_website'] }] },
  ])
  t.same(await workingSet(app), before, 'nothing was written')

  clock.advance(60_000)
  const real = await upload(app, civil, civilUpload, { query: 'mode=replace&department=civil_affairs' })
  expectStatus(t, real, 200)
  t.same({ ...json(real), dryRun: true }, predicted, 'the real run did what the dry run said')
  const verify = json(await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: bearer(await tokenFor(app, 'admin')) }))
  t.match(verify, { valid: true }, 'every change audited in the hash chain')
  const after = Object.fromEntries((await workingSet(app)).map((i) => [i.key, i]))
  const was = Object.fromEntries(before.map((i) => [i.key, i]))
  for (const key of Object.keys(after)) {
    const expected = predicted.added.some((a: any) => a.key === key) || predicted.changed.some((c: any) => c.key === key) || predicted.retired.some((r: any) => r.key === key)
    t.equal(after[key].etag !== was[key]?.etag, expected, `${key} ${expected ? 'changed' : 'kept its ETag'}`)
  }
})

t.test('mode=replace needs the department; unknown departments and domains are refused', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await tokenFor(app, 'admin')
  const replace = await upload(app, admin, [itemBody()], { query: 'mode=replace' })
  expectStatus(t, replace, 422)
  t.same(json(replace).errors, [{ pointer: '/query/department', message: 'is required with mode=replace (the department whose items missing from the upload are retired)' }])
  const unknown = await upload(app, admin, [itemBody()], { query: 'department=nowhere&domain=astrology' })
  expectStatus(t, unknown, 422)
  t.same(json(unknown).errors.map((e: any) => e.pointer), ['/query/department', '/query/domain'])
})
