// X-Changes-Cursor: every list answers the feed's position read before the list query, on the list's
// own database handle, so that "list, then follow the feed from the header" misses nothing — a write
// committed before the list is in the list, one committed after it is in the feed after the cursor.
import t from 'tap'
import { buildApp, type App } from '../../src/app.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, clientWith, tokenFor, userWith } from '../helpers/auth.js'
import { createTestDatabase, testDatabaseUrl } from '../helpers/databases.js'
import { admins, createItem, publishVersion } from '../catalog/builders.js'
import { publishedNotice, staffOf } from '../notices/builders.js'

const header = 'x-changes-cursor'

async function changesAfter(app: App, cursor: string, token?: string) {
  const res = await app.inject({ method: 'GET', url: `/v1/changes?after=${cursor}&limit=200`, ...(token ? { headers: bearer(token) } : {}) })
  t.equal(res.statusCode, 200, res.body)
  return json(res).items as { type: string; data: { id: string } }[]
}

t.test('list, then follow the feed from the header: the write before is listed, the write after is in the feed', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  await createItem(app, editor, { key: 'disaster_relief.before' })
  const list = await app.inject({ method: 'GET', url: '/v1/items' })
  t.equal(list.statusCode, 200)
  t.same(json(list).items.map((i: { key: string }) => i.key), ['disaster_relief.before'])
  const cursor = String(list.headers[header])
  t.match(cursor, /^[A-Za-z0-9_-]+$/)
  t.same(await changesAfter(app, cursor), [], 'nothing after the list yet')

  await createItem(app, editor, { key: 'disaster_relief.after' })
  t.same((await changesAfter(app, cursor)).map((e) => [e.type, e.data.id]), [['catalog.item.created', 'disaster_relief.after']], 'the later write, and only it')

  // The cursor is the feed head as `after=now` gives it.
  const head = json(await app.inject({ method: 'GET', url: '/v1/changes?after=now' })).nextCursor
  t.equal((await app.inject({ method: 'GET', url: '/v1/items' })).headers[header], head)
})

t.test('every list carries the header; a published version\'s cached items do not need it', async (t) => {
  const built = await buildTestApp(t)
  const { app } = built
  const staff = await staffOf(app, 'housing')
  const admin = await userWith(app, 'admin')
  const { author, approver } = await admins(app)
  const { token: reader } = await clientWith(app, ['events:read'])
  const notice = await publishedNotice(built, staff)
  await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'))
  const published = await publishVersion(app, author.token, approver.token)
  const lists: [string, string | null][] = [
    ['/v1/items', null],
    ['/v1/catalog/versions', null],
    ['/v1/notices', null],
    ['/v1/notices', staff.editor],
    [`/v1/notices/${notice}/objections`, staff.editor],
    ['/v1/review-deadlines', staff.editor],
    ['/v1/posts', null],
    ['/v1/reports', admin.token],
    ['/v1/departments', null],
    ['/v1/departments?view=tree', null],
    ['/v1/domains', null],
    ['/v1/applications', admin.token],
    ['/v1/application-deadlines', admin.token],
    ['/v1/items/disaster_relief.recipients/history', null],
    ['/v1/departments/housing/history', admin.token],
    [`/v1/notices/${notice}/entries`, null],
    ['/v1/period-rules', null],
  ]
  const head = json(await app.inject({ method: 'GET', url: '/v1/changes?after=now', headers: bearer(reader) })).nextCursor
  for (const [url, token] of lists) {
    const res = await app.inject({ method: 'GET', url, ...(token ? { headers: bearer(token) } : {}) })
    t.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 200)}`)
    t.equal(res.headers[header], head, url)
  }

  // A version in review is listed fresh, with the header; a published one is immutable and served from memory.
  const draft = json(await app.inject({ method: 'POST', url: '/v1/catalog/versions', headers: bearer(author.token), payload: { changeNote: '草稿' } })).number
  const inReview = await app.inject({ method: 'GET', url: `/v1/catalog/versions/${draft}/items`, headers: bearer(author.token) })
  t.equal(inReview.statusCode, 200)
  t.ok(inReview.headers[header])
  for (const ref of [published, published, 'current']) {
    const res = await app.inject({ method: 'GET', url: `/v1/catalog/versions/${ref}/items` })
    t.equal(res.statusCode, 200)
    t.notOk(res.headers[header], `published version ${ref}`)
  }
})

const skip = testDatabaseUrl ? false : 'DATABASE_READ_URL needs Postgres: PGlite has no replicas (run with TEST_DATABASE_URL)'

t.test('a list read on a lagging replica gives the replica\'s position: what it lacks is in the feed after it', { skip }, async (t) => {
  const replica = await createTestDatabase()
  const main = await buildTestApp(t, { config: { databaseReadUrl: replica.url } })
  const late: App = await buildApp(main.app.config, { database: replica.database, clock: main.clock })
  t.teardown(async () => {
    await late.close()
    await replica.drop()
  })
  const { app } = main
  await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'))
  const list = await app.inject({ method: 'GET', url: '/v1/items' })
  t.same(json(list).items, [], 'the replica has not caught up')
  t.same((await changesAfter(app, String(list.headers[header]))).map((e) => e.data.id), ['disaster_relief.recipients'], 'the write the list lacked is in the feed after its cursor')
  const staff = await app.inject({ method: 'GET', url: '/v1/items', headers: bearer(await tokenFor(app, 'editor', 'civil_affairs')) })
  t.equal(json(staff).items.length, 1, 'staff read the primary')
  t.same(await changesAfter(app, String(staff.headers[header])), [], 'and get the primary\'s position')
})

t.test('the public notices page from memory keeps the cursor read when its bytes were built', async (t) => {
  const built = await buildTestApp(t, { now: '2026-03-09T02:00:00Z' })
  const { app } = built
  const staff = await staffOf(app, 'housing')
  const first = await publishedNotice(built, staff)
  const miss = await app.inject({ method: 'GET', url: '/v1/notices' })
  const hit = await app.inject({ method: 'GET', url: '/v1/notices' })
  t.same(json(miss).items.map((n: { id: string }) => n.id), [first])
  t.equal(hit.body, miss.body, 'the same bytes')
  t.equal(hit.headers[header], miss.headers[header], 'and the cursor recorded with them')
  const second = await publishedNotice(built, staff)
  t.same((await changesAfter(app, String(hit.headers[header]))).filter((e) => e.type === 'notice.published').map((e) => e.data.id), [second], 'the later publication is in the feed after it')
  const fresh = await app.inject({ method: 'GET', url: '/v1/notices' })
  t.equal(json(fresh).items.length, 2)
  t.not(fresh.headers[header], miss.headers[header])
})

t.test('lists taken while writers commit: every item is in the list or in the feed after its cursor', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const writers = Array.from({ length: 3 }, async (_, w) => {
    for (let i = 0; i < 3; i++) await createItem(app, editor, { key: `disaster_relief.w${w}_${i}` })
  })
  let writing = true
  const all = Promise.all(writers).finally(() => (writing = false))
  const snapshots: { keys: string[]; cursor: string }[] = []
  while (writing && snapshots.length < 12) {
    const res = await app.inject({ method: 'GET', url: '/v1/items?limit=200' })
    snapshots.push({ keys: json(res).items.map((i: { key: string }) => i.key), cursor: String(res.headers[header]) })
  }
  await all
  t.ok(snapshots.length > 0)
  for (const s of snapshots) {
    const followed = (await changesAfter(app, s.cursor)).map((e) => e.data.id)
    const seen = new Set([...s.keys, ...followed])
    const missed = Array.from({ length: 9 }, (_, n) => `disaster_relief.w${Math.floor(n / 3)}_${n % 3}`).filter((k) => !seen.has(k))
    t.same(missed, [], `list of ${s.keys.length} items, then the feed`)
  }
})
