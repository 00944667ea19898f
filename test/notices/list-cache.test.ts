// The public list of notices from memory (issue 16): the page's bytes kept for at most a second, no
// query for a hit, every write answered here clearing it at once, and a change made elsewhere (another
// instance, a script) seen once the second is up.
import { eq } from 'drizzle-orm'
import t from 'tap'
import { notices } from '../../src/modules/notices/tables.js'
import { buildTestApp, json, type TestApp } from '../helpers/app.js'
import { countQueries } from '../helpers/instances.js'
import { publishedNotice, staffOf } from './builders.js'

const url = '/v1/notices?status=in_publicity&limit=10'

async function twoNotices(ctx: TestApp) {
  const housing = await staffOf(ctx.app, 'housing')
  const first = await publishedNotice(ctx, housing, { title: '第一批' })
  ctx.clock.advance(60_000)
  const second = await publishedNotice(ctx, housing, { title: '第二批' })
  ctx.clock.advance(60_000)
  return { first, second, housing }
}

t.test('a repeated public page is served from memory: no query, the same bytes and tag, 304 on its tag', async (t) => {
  const ctx = await buildTestApp(t)
  const { housing } = await twoNotices(ctx)
  const rendered = await ctx.app.inject({ method: 'GET', url })
  t.equal(rendered.statusCode, 200)
  // The bytes are what the route's own serializer writes for staff (who are never served from memory).
  const staff = await ctx.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${housing.editor}` } })
  t.same(json(rendered), json(staff))
  t.equal(rendered.body, JSON.stringify(json(staff)), 'no field more or less than the schema lets through')
  const queries = countQueries(ctx.app)
  const again = await ctx.app.inject({ method: 'GET', url })
  t.equal(again.body, rendered.body)
  t.equal(again.headers.etag, rendered.headers.etag)
  const revalidated = await ctx.app.inject({ method: 'GET', url, headers: { 'if-none-match': String(rendered.headers.etag) } })
  t.equal(revalidated.statusCode, 304)
  t.equal(queries(), 0, 'both answered from memory')
})

t.test('a write answered here is in the next public page at once (an objection moves the counts)', async (t) => {
  const ctx = await buildTestApp(t)
  const { second } = await twoNotices(ctx)
  const before = json(await ctx.app.inject({ method: 'GET', url }))
  t.same(before.items[0].objections.total, 0)
  const objection = await ctx.app.inject({ method: 'POST', url: `/v1/notices/${second}/objections`, payload: { name: '赵强', contact: 'zq@example.com', reason: '名单有误，请核实。', channel: 'portal' } })
  t.equal(objection.statusCode, 201, objection.body)
  const after = json(await ctx.app.inject({ method: 'GET', url }))
  t.equal(after.items[0].id, second)
  t.equal(after.items[0].objections.total, 1)
})

t.test('a change made elsewhere shows within a second, not later', async (t) => {
  const ctx = await buildTestApp(t)
  const { second } = await twoNotices(ctx)
  t.equal(json(await ctx.app.inject({ method: 'GET', url })).items[0].title, '第二批')
  // As another instance (or a script) would: straight to the database, past this instance's hooks.
  await ctx.app.db.update(notices).set({ title: '第二批（更正）' }).where(eq(notices.id, second))
  ctx.clock.advance(500)
  t.equal(json(await ctx.app.inject({ method: 'GET', url })).items[0].title, '第二批', 'inside the second: the page kept')
  ctx.clock.advance(600)
  t.equal(json(await ctx.app.inject({ method: 'GET', url })).items[0].title, '第二批（更正）', 'past it: read again')
})

t.test('a notice whose period ended leaves the public page with the second it ended in', async (t) => {
  const ctx = await buildTestApp(t)
  const { first } = await twoNotices(ctx)
  t.equal(json(await ctx.app.inject({ method: 'GET', url })).items.length, 2)
  const [row] = await ctx.app.db.select({ endsAt: notices.endsAt }).from(notices).where(eq(notices.id, first))
  ctx.clock.set(new Date(row!.endsAt!.getTime() + 1000))
  const ids = json(await ctx.app.inject({ method: 'GET', url })).items.map((n: { id: string }) => n.id)
  t.notOk(ids.includes(first), 'the ended notice is gone')
})
