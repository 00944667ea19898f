// Several instances on one database: what each serves from memory (`current`, items by key) and
// within what bound it learns of a write made through another (MAX_AGE_MS, one second).
import t from 'tap'
import { MAX_AGE_MS } from '../../src/modules/catalog/current-pointer.js'
import { ItemResponseCache } from '../../src/modules/catalog/item-cache.js'
import { ManualClock } from '../../src/lib/clock.js'
import { buildTestApp, json } from '../helpers/app.js'
import { tokenFor } from '../helpers/auth.js'
import { countQueries, secondInstance } from '../helpers/instances.js'
import { admins, createItem, patchItem, publishVersion } from './builders.js'

const key = 'disaster_relief.recipients'

t.test('a publish through instance A is served as current by instance B within a second', async (t) => {
  const a = await buildTestApp(t)
  const b = await secondInstance(t, a)
  const { author, approver } = await admins(a.app)
  const editor = await tokenFor(a.app, 'editor', 'civil_affairs')
  await createItem(a.app, editor)
  await publishVersion(a.app, author.token, approver.token)
  const current = () => b.inject({ method: 'GET', url: '/v1/catalog/versions/current/items' })
  t.equal((await current()).headers['content-location'], '/v1/catalog/versions/1/items')

  await createItem(a.app, editor, { key: 'disaster_relief.extra' })
  await publishVersion(a.app, author.token, approver.token)
  t.equal((await a.app.inject({ method: 'GET', url: '/v1/catalog/versions/current' })).headers['content-location'], '/v1/catalog/versions/2', 'A at once')
  a.clock.advance(MAX_AGE_MS - 1)
  const before = await current()
  t.equal(before.headers['content-location'], '/v1/catalog/versions/1/items', 'B may still serve 1 within the bound')
  a.clock.advance(1)
  const after = await current()
  t.equal(after.headers['content-location'], '/v1/catalog/versions/2/items', 'B serves 2 once the bound is up')
  t.same(
    json(after).items.map((i: { key: string }) => i.key),
    ['disaster_relief.extra', key],
  )
})

t.test('an item read by key is served from memory, tagged by its version', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const { etag } = await createItem(app, editor)
  const first = await app.inject({ method: 'GET', url: `/v1/items/${key}` })
  const staff = await app.inject({ method: 'GET', url: `/v1/items/${key}`, headers: { authorization: `Bearer ${editor}` } })
  t.same(json(first), json(staff), 'the ready bytes say what the serialized answer says')
  t.equal(staff.headers.etag, etag)
  const queries = countQueries(app)
  const again = await app.inject({ method: 'GET', url: `/v1/items/${key}` })
  t.equal(queries(), 0, 'no query')
  t.equal(again.headers.etag, etag)
  t.equal(again.body, first.body)
  t.equal(json(again).etag, etag)
  t.equal(again.headers['content-type'], 'application/json; charset=utf-8')
  const notModified = await app.inject({ method: 'GET', url: `/v1/items/${key}`, headers: { 'if-none-match': etag } })
  t.equal(notModified.statusCode, 304)
  t.equal(queries(), 0, 'nor for a 304')
})

t.test('a write through this instance is read back at once, by the public too', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const { etag } = await createItem(app, editor)
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/items/${key}` })).secondLevel, '救助对象名单')
  const patched = await patchItem(app, editor, key, etag, { secondLevel: '救助对象名单（更正）' })
  t.equal(patched.statusCode, 200)
  const read = await app.inject({ method: 'GET', url: `/v1/items/${key}` })
  t.equal(json(read).secondLevel, '救助对象名单（更正）')
  t.equal(read.headers.etag, patched.headers.etag)
  const retired = await app.inject({ method: 'POST', url: `/v1/items/${key}/retire`, headers: { authorization: `Bearer ${editor}`, 'if-match': patched.headers.etag as string } })
  t.equal(retired.statusCode, 200)
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/items/${key}` })).status, 'retired')
})

t.test('a write through another instance is read within a second', async (t) => {
  const a = await buildTestApp(t)
  const b = await secondInstance(t, a)
  const editor = await tokenFor(a.app, 'editor', 'civil_affairs')
  const { etag } = await createItem(a.app, editor)
  t.equal((await b.inject({ method: 'GET', url: `/v1/items/${key}` })).headers.etag, etag)
  const patched = await patchItem(a.app, editor, key, etag, { secondLevel: '救助对象名单（更正）' })
  t.equal((await b.inject({ method: 'GET', url: `/v1/items/${key}` })).headers.etag, etag, 'B may answer the old version within the bound')
  a.clock.advance(MAX_AGE_MS)
  const read = await b.inject({ method: 'GET', url: `/v1/items/${key}` })
  t.equal(read.headers.etag, patched.headers.etag)
  t.equal(json(read).secondLevel, '救助对象名单（更正）')
})

t.test('an unknown key is 404 and is not remembered', async (t) => {
  const { app } = await buildTestApp(t)
  const missing = await app.inject({ method: 'GET', url: `/v1/items/${key}` })
  t.equal(missing.statusCode, 404)
  t.equal(missing.headers['content-type'], 'application/problem+json; charset=utf-8')
  await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'))
  t.equal((await app.inject({ method: 'GET', url: `/v1/items/${key}` })).statusCode, 200)
})

t.test('a read under way when a write clears the cache does not store what it read', async (t) => {
  const cache = new ItemResponseCache(new ManualClock('2026-03-02T02:00:00Z'))
  let release!: () => void
  const slow = cache.getOrRender('k', async () => {
    await new Promise<void>((resolve) => (release = resolve))
    return { body: '{"v":1}', etag: '"v1"' }
  })
  cache.invalidate()
  release()
  t.equal((await slow).etag, '"v1"', 'the read itself is answered')
  t.equal(cache.size, 0, 'but not kept')
  const fresh = await cache.getOrRender('k', async () => ({ body: '{"v":2}', etag: '"v2"' }))
  t.equal(fresh.etag, '"v2"')
  t.equal((await cache.getOrRender('k', async () => t.fail('read again') as never)).etag, '"v2"')
})

t.test('the cache keeps at most its bound of items, the oldest out first', async (t) => {
  const cache = new ItemResponseCache(new ManualClock('2026-03-02T02:00:00Z'), MAX_AGE_MS, 2)
  for (const k of ['a', 'b', 'c']) await cache.getOrRender(k, async () => ({ body: '{}', etag: `"${k}"` }))
  t.equal(cache.size, 2)
  let rendered = false
  await cache.getOrRender('a', async () => {
    rendered = true
    return { body: '{}', etag: '"a"' }
  })
  t.ok(rendered, 'a was dropped')
})
