import t from 'tap'
import { buildApp } from '../../src/app.js'
import { MAX_AGE_MS } from '../../src/modules/catalog/current-pointer.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, clientWith, tokenFor } from '../helpers/auth.js'
import { admins, createItem, itemBody, patchItem, publishVersion, versionStep } from './builders.js'

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/

t.test('an admin freezes the working set; the draft is visible to staff only', async (t) => {
  const { app } = await buildTestApp(t)
  const { author } = await admins(app)
  await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'))
  const created = await app.inject({ method: 'POST', url: '/v1/catalog/versions', headers: bearer(author.token), payload: { changeNote: '首版目录' } })
  t.equal(created.statusCode, 201)
  t.equal(created.headers.location, '/v1/catalog/versions/1')
  t.match(json(created), { number: 1, changeNote: '首版目录', itemCount: 1, review: { state: 'draft', author: 'li.na', reviewer: null } })

  const anonymous = await app.inject({ method: 'GET', url: '/v1/catalog/versions/1' })
  t.equal(anonymous.statusCode, 404, 'the public does not see versions in review')
  t.equal(anonymous.headers['cache-control'], 'no-store')
  t.equal((await app.inject({ method: 'GET', url: '/v1/catalog/versions/1/items' })).statusCode, 404)
  t.same(json(await app.inject({ method: 'GET', url: '/v1/catalog/versions' })).items, [])
  t.equal((await app.inject({ method: 'GET', url: '/v1/catalog/versions/current' })).statusCode, 404, 'nothing published yet')

  const editor = await tokenFor(app, 'editor', 'housing')
  const staff = await app.inject({ method: 'GET', url: '/v1/catalog/versions/1/items', headers: bearer(editor) })
  t.equal(staff.statusCode, 200)
  t.equal(staff.headers['cache-control'], 'private, no-store')
  t.same(json(staff).items.map((i: any) => i.key), ['disaster_relief.recipients'])
  t.equal(json(await app.inject({ method: 'GET', url: '/v1/catalog/versions', headers: bearer(editor) })).items.length, 1)
})

t.test('versions belong to the district office: editors and department clients cannot make them', async (t) => {
  const { app } = await buildTestApp(t)
  await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'))
  const post = (token: string) => app.inject({ method: 'POST', url: '/v1/catalog/versions', headers: bearer(token), payload: { changeNote: 'x' } })
  t.equal((await post(await tokenFor(app, 'editor', 'civil_affairs'))).statusCode, 403)
  t.equal((await post(await tokenFor(app, 'reviewer', 'civil_affairs'))).statusCode, 403)
  t.equal((await post((await clientWith(app, ['items:write'], 'civil_affairs')).token)).statusCode, 403)
  await t.rejects(clientWith(app, ['catalog:publish'], 'civil_affairs'), { status: 422, errors: [{ message: /region-wide/ }] }, 'a department client cannot even hold catalog:publish')
  t.equal((await app.inject({ method: 'POST', url: '/v1/catalog/versions', payload: { changeNote: 'x' } })).statusCode, 401)
  const script = await clientWith(app, ['catalog:publish'])
  t.equal((await post(script.token)).statusCode, 201, 'a region-wide client with catalog:publish may')
})

t.test('the author cannot approve their own version; another admin can, a client never', async (t) => {
  const { app } = await buildTestApp(t)
  const { author, approver } = await admins(app)
  await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'))
  await app.inject({ method: 'POST', url: '/v1/catalog/versions', headers: bearer(author.token), payload: { changeNote: '首版目录' } })
  t.equal((await versionStep(app, author.token, 1, 'approve')).statusCode, 409, 'not submitted yet')
  t.equal((await versionStep(app, author.token, 1, 'submit')).statusCode, 200)
  const own = await versionStep(app, author.token, 1, 'approve')
  t.equal(own.statusCode, 403)
  t.match(json(own).detail, /four-eyes/)
  const reviewer = await tokenFor(app, 'reviewer', 'civil_affairs')
  t.equal((await versionStep(app, reviewer, 1, 'approve')).statusCode, 403, 'a department reviewer does not review the region’s catalog')
  const client = await clientWith(app, ['catalog:publish'])
  t.equal((await versionStep(app, client.token, 1, 'approve')).statusCode, 403, 'scripts do not review')
  t.equal((await versionStep(app, author.token, 1, 'publish')).statusCode, 409, 'not approved yet')
  const approved = await versionStep(app, approver.token, 1, 'approve', { comment: '同意' })
  t.equal(approved.statusCode, 200)
  t.match(json(approved).review, { state: 'approved', author: 'li.na', reviewer: 'zhao.lei', comment: '同意' })
  const published = await versionStep(app, author.token, 1, 'publish')
  t.equal(published.statusCode, 200)
  t.match(json(published).review, { state: 'published', publishedAt: '2026-03-02T02:00:00.000Z' })
})

t.test('a rejection needs a comment and sends the version back to its author', async (t) => {
  const { app } = await buildTestApp(t)
  const { author, approver } = await admins(app)
  await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'))
  const created = await app.inject({ method: 'POST', url: '/v1/catalog/versions', headers: bearer(author.token), payload: { changeNote: '首版' } })
  await versionStep(app, author.token, 1, 'submit')
  t.equal((await versionStep(app, approver.token, 1, 'reject', {})).statusCode, 422)
  t.equal((await versionStep(app, approver.token, 1, 'reject', { comment: '说明不清' })).statusCode, 200)
  const edit = (etag: string | undefined) =>
    app.inject({ method: 'PATCH', url: '/v1/catalog/versions/1', headers: { ...bearer(author.token), ...(etag ? { 'if-match': etag } : {}) }, payload: { changeNote: '首版：七个领域' } })
  t.equal((await edit(undefined)).statusCode, 428)
  t.equal((await edit(created.headers.etag as string)).statusCode, 412, 'the review changed the version since')
  const current = (await app.inject({ method: 'GET', url: '/v1/catalog/versions/1', headers: bearer(author.token) })).headers.etag as string
  t.equal((await edit(current)).statusCode, 200)
  t.equal((await versionStep(app, author.token, 1, 'submit')).statusCode, 200, 'resubmitted')
})

t.test('one version is in review at a time; withdrawing one needs a reason', async (t) => {
  const { app } = await buildTestApp(t)
  const { author } = await admins(app)
  const empty = await app.inject({ method: 'POST', url: '/v1/catalog/versions', headers: bearer(author.token), payload: { changeNote: '空' } })
  t.equal(empty.statusCode, 409, 'nothing to freeze')
  await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'))
  await app.inject({ method: 'POST', url: '/v1/catalog/versions', headers: bearer(author.token), payload: { changeNote: '一' } })
  const second = await app.inject({ method: 'POST', url: '/v1/catalog/versions', headers: bearer(author.token), payload: { changeNote: '二' } })
  t.equal(second.statusCode, 409)
  t.match(json(second).detail, /Version 1 is still draft/)
  t.equal((await versionStep(app, author.token, 1, 'withdraw', {})).statusCode, 400)
  const withdrawn = await versionStep(app, author.token, 1, 'withdraw', { reason: '重新梳理' })
  t.equal(withdrawn.statusCode, 200)
  t.match(json(withdrawn).review, { state: 'withdrawn', withdrawnReason: '重新梳理' })
  t.equal((await app.inject({ method: 'POST', url: '/v1/catalog/versions', headers: bearer(author.token), payload: { changeNote: '二' } })).statusCode, 201)
})

t.test('every write to a published version is a 409', async (t) => {
  const { app } = await buildTestApp(t)
  const { author, approver } = await admins(app)
  await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'))
  await publishVersion(app, author.token, approver.token)
  const etag = (await app.inject({ method: 'GET', url: '/v1/catalog/versions/1', headers: bearer(author.token) })).headers.etag as string
  const patch = await app.inject({ method: 'PATCH', url: '/v1/catalog/versions/1', headers: { ...bearer(author.token), 'if-match': etag }, payload: { changeNote: '改' } })
  t.equal(patch.statusCode, 409)
  t.equal(json(patch).type, '/problems/conflict')
  const writes: [string, string, Record<string, unknown> | undefined][] = [
    [author.token, 'submit', undefined],
    [approver.token, 'approve', { comment: '再次同意' }],
    [approver.token, 'reject', { comment: '撤回' }],
    [author.token, 'publish', undefined],
    [author.token, 'withdraw', { reason: '不再适用' }],
  ]
  for (const [token, action, body] of writes) {
    const res = await versionStep(app, token, 1, action, body)
    t.equal(res.statusCode, 409, `${action} → 409`)
  }
  t.match(json(await app.inject({ method: 'GET', url: '/v1/catalog/versions/1' })).review, { state: 'published', comment: null })
})

t.test('published versions are public, immutable, carry a strong ETag and answer If-None-Match with 304', async (t) => {
  const { app } = await buildTestApp(t)
  const { author, approver } = await admins(app)
  await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'))
  await publishVersion(app, author.token, approver.token, '首版目录')
  const res = await app.inject({ method: 'GET', url: '/v1/catalog/versions/1/items?limit=20' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable')
  const etag = res.headers.etag as string
  t.match(etag, /^"[0-9a-f]{40}"$/, 'strong')
  const body = json(res)
  t.same(Object.keys(body.items[0]).sort(), ['audience', 'basis', 'channels', 'channelsOther', 'content', 'department', 'domain', 'firstLevel', 'key', 'levels', 'mode', 'secondLevel', 'thirdLevel', 'timeLimit'])
  t.notMatch(res.body, uuid)
  const version = await app.inject({ method: 'GET', url: '/v1/catalog/versions/1' })
  t.notMatch(version.body, uuid, 'no ids of authors or rows')
  t.notMatch(version.body, /authorId|reviewerId/)
  t.match(json(version).review, { author: 'li.na', reviewer: 'zhao.lei' })
  for (const header of [etag, `W/${etag}`, `"other", ${etag}`]) {
    const again = await app.inject({ method: 'GET', url: '/v1/catalog/versions/1/items?limit=20', headers: { 'if-none-match': header } })
    t.equal(again.statusCode, 304, `If-None-Match: ${header}`)
    t.equal(again.body, '')
    t.equal(again.headers.etag, etag)
  }
  t.equal((await app.inject({ method: 'GET', url: '/v1/catalog/versions/1/items?limit=20', headers: { 'if-none-match': '"stale"' } })).statusCode, 200)
  const repeat = await app.inject({ method: 'GET', url: '/v1/catalog/versions/1/items?limit=20', headers: bearer(author.token) })
  t.equal(repeat.body, res.body, 'the same bytes for everyone')
})

t.test('current follows the latest publication; a version keeps its items after the working set moves on', async (t) => {
  const { app } = await buildTestApp(t)
  const { author, approver } = await admins(app)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const { etag } = await createItem(app, editor)
  await publishVersion(app, author.token, approver.token)
  const first = await app.inject({ method: 'GET', url: '/v1/catalog/versions/current/items' })
  t.equal(first.headers['cache-control'], 'public, max-age=60')
  t.equal(first.headers['content-location'], '/v1/catalog/versions/1/items')
  t.same(json(first).items.map((i: any) => i.secondLevel), ['救助对象名单'])

  await patchItem(app, editor, 'disaster_relief.recipients', etag, { secondLevel: '救助对象审批名单' })
  await createItem(app, editor, { key: 'disaster_relief.policy', secondLevel: '救助政策' })
  t.same(json(await app.inject({ method: 'GET', url: '/v1/catalog/versions/current/items' })).items.map((i: any) => i.secondLevel), ['救助对象名单'], 'still version 1 until the next publication')
  await publishVersion(app, author.token, approver.token, '第二版')
  const second = await app.inject({ method: 'GET', url: '/v1/catalog/versions/current/items' })
  t.equal(second.headers['content-location'], '/v1/catalog/versions/2/items')
  t.same(json(second).items.map((i: any) => i.secondLevel), ['救助政策', '救助对象审批名单'])
  t.equal(json(await app.inject({ method: 'GET', url: '/v1/catalog/versions/current' })).number, 2)
  t.same(json(await app.inject({ method: 'GET', url: '/v1/catalog/versions/1/items' })).items.map((i: any) => i.secondLevel), ['救助对象名单'], 'version 1 never changes')
  t.same(json(await app.inject({ method: 'GET', url: '/v1/catalog/versions' })).items.map((v: any) => v.number), [2, 1])
})

t.test('a publication through one instance is current on another within a second', async (t) => {
  const { app, clock } = await buildTestApp(t)
  // A second instance on the same database, as behind a load balancer (closed with the first).
  const other = await buildApp(app.config, { database: { ...app.database, close: async () => {} }, clock })
  t.teardown(() => other.close())
  const { author, approver } = await admins(app)
  await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'))
  await publishVersion(app, author.token, approver.token)
  t.equal((await other.inject({ method: 'GET', url: '/v1/catalog/versions/current/items' })).headers['content-location'], '/v1/catalog/versions/1/items', 'served and cached by the other instance')
  await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'), { key: 'disaster_relief.policy' })
  await publishVersion(app, author.token, approver.token)
  // The other instance's pointer may be up to MAX_AGE_MS (1 s) behind, the bound the README states.
  clock.advance(MAX_AGE_MS)
  const moved = await other.inject({ method: 'GET', url: '/v1/catalog/versions/current/items' })
  t.equal(moved.headers['content-location'], '/v1/catalog/versions/2/items')
  t.equal(json(moved).items.length, 2)
})

t.test('version items take the working set’s filters', async (t) => {
  const { app } = await buildTestApp(t)
  const { author, approver } = await admins(app)
  await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'))
  await createItem(app, await tokenFor(app, 'editor', 'housing'), {
    key: 'affordable_housing.in_kind_rental.lottery_result',
    domain: 'affordable_housing',
    department: 'housing',
    firstLevel: '实物配租',
    secondLevel: '实物配租抽签结果',
    levels: ['county', 'township'],
  })
  await publishVersion(app, author.token, approver.token)
  const list = async (query: string) => json(await app.inject({ method: 'GET', url: `/v1/catalog/versions/1/items?${query}` })).items.map((i: any) => i.key)
  t.same(await list(`q=${encodeURIComponent('抽签')}`), ['affordable_housing.in_kind_rental.lottery_result'])
  t.same(await list('department=civil_affairs'), ['disaster_relief.recipients'])
  t.same(await list('level=township'), ['affordable_housing.in_kind_rental.lottery_result'])
  t.same(await list('domain=disaster_relief&mode=proactive'), ['disaster_relief.recipients'])
  const page = json(await app.inject({ method: 'GET', url: '/v1/catalog/versions/1/items?limit=1' }))
  t.ok(page.nextCursor)
  t.same(await list(`limit=1&cursor=${page.nextCursor}`), ['disaster_relief.recipients'])
  t.equal((await app.inject({ method: 'GET', url: '/v1/catalog/versions/7/items' })).statusCode, 404)
  t.equal((await app.inject({ method: 'GET', url: '/v1/catalog/versions/latest/items' })).statusCode, 400)
  t.ok(itemBody())
})
