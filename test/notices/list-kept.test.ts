// Public pages of notices kept past the second (issue 16): while the notices epoch has not moved and
// until the clock turns something on the page. A change anywhere — another instance, a script, a write
// that announces no event — still shows within a second; a period that starts or a day of it that
// passes shows at that instant.
import { eq, sql } from 'drizzle-orm'
import t from 'tap'
import { notices } from '../../src/modules/notices/tables.js'
import { buildTestApp, json, type TestApp } from '../helpers/app.js'
import { countQueries, secondInstance } from '../helpers/instances.js'
import { publishedNotice, staffOf } from './builders.js'

const url = '/v1/notices?status=in_publicity&limit=10'
const DAY = 86_400_000

async function oneNotice(ctx: TestApp, overrides: Record<string, unknown> = {}) {
  const housing = await staffOf(ctx.app, 'housing')
  const id = await publishedNotice(ctx, housing, { title: '第一批', ...overrides })
  const [row] = await ctx.app.db.select({ startsAt: notices.startsAt, endsAt: notices.endsAt }).from(notices).where(eq(notices.id, id))
  return { id, startsAt: row!.startsAt!, endsAt: row!.endsAt! }
}

t.test('a page nothing changed is kept past the second: one small read of the epoch a second, not the page', async (t) => {
  const ctx = await buildTestApp(t)
  await oneNotice(ctx)
  ctx.clock.advance(60_000)
  const rendered = await ctx.app.inject({ method: 'GET', url })
  t.equal(json(rendered).items.length, 1)
  ctx.clock.advance(5_000)
  const queries = countQueries(ctx.app)
  const later = await ctx.app.inject({ method: 'GET', url })
  t.equal(later.body, rendered.body)
  t.equal(later.headers['x-changes-cursor'], rendered.headers['x-changes-cursor'])
  t.equal(queries(), 1, 'the epoch, read once')
  await ctx.app.inject({ method: 'GET', url })
  t.equal(queries(), 1, 'and not again within its second')
})

t.test('a change elsewhere that announces no event is seen within a second of a long-kept page', async (t) => {
  const ctx = await buildTestApp(t)
  const { id } = await oneNotice(ctx)
  const other = await secondInstance(t, ctx)
  ctx.clock.advance(60_000)
  t.equal(json(await ctx.app.inject({ method: 'GET', url })).items[0].title, '第一批')
  ctx.clock.advance(10_000)
  t.equal(json(await ctx.app.inject({ method: 'GET', url })).items[0].title, '第一批', 'kept (the epoch read now)')
  // As a script would, on the other instance's connection: no event, no hook of this instance.
  await other.db.execute(sql`update notices set title = '第一批（更正）' where id = ${id}`)
  ctx.clock.advance(500)
  t.equal(json(await ctx.app.inject({ method: 'GET', url })).items[0].title, '第一批', 'inside the epoch\'s second: kept')
  ctx.clock.advance(600)
  t.equal(json(await ctx.app.inject({ method: 'GET', url })).items[0].title, '第一批（更正）', 'past it: read again')
})

t.test('an objection through another instance moves the counts of this one\'s kept page within a second', async (t) => {
  const ctx = await buildTestApp(t)
  const { id } = await oneNotice(ctx)
  const other = await secondInstance(t, ctx)
  ctx.clock.advance(60_000)
  t.equal(json(await ctx.app.inject({ method: 'GET', url })).items[0].objections.total, 0)
  ctx.clock.advance(3_000)
  const objection = await other.inject({ method: 'POST', url: `/v1/notices/${id}/objections`, payload: { name: '赵强', contact: 'zq@example.com', reason: '名单有误，请核实。', channel: 'portal' } })
  t.equal(objection.statusCode, 201, objection.body)
  ctx.clock.advance(1_100)
  t.equal(json(await ctx.app.inject({ method: 'GET', url })).items[0].objections.total, 1)
})

t.test('the clock turns a kept page at the instant: a period that starts, a day of it that passes, a period that ends', async (t) => {
  const ctx = await buildTestApp(t)
  const running = await oneNotice(ctx)
  const start = new Date(running.startsAt.getTime() + 3 * DAY + 7 * 3_600_000)
  const scheduled = await oneNotice(ctx, { title: '第二批', requestedStartAt: start.toISOString() })
  t.ok(scheduled.startsAt > running.startsAt, 'the second starts later')
  const ids = async () => json(await ctx.app.inject({ method: 'GET', url })).items.map((n: { id: string; daysRemaining: number }) => `${n.id === running.id ? 'first' : 'second'}:${n.daysRemaining}`)

  // The scheduled notice enters the page at its start, not a second later.
  t.ok(scheduled.startsAt.getTime() < running.endsAt.getTime() - 2 * DAY, 'it starts well before the first ends')
  ctx.clock.set(new Date(scheduled.startsAt.getTime() - 1_500))
  t.notOk((await ids()).some((s: string) => s.startsWith('second')))
  ctx.clock.set(new Date(scheduled.startsAt.getTime() - 1))
  t.notOk((await ids()).some((s: string) => s.startsWith('second')), 'not yet')
  ctx.clock.set(scheduled.startsAt)
  t.ok((await ids()).some((s: string) => s.startsWith('second')), 'in publicity from its start')

  // A day turn of the running notice: daysRemaining steps down exactly when a whole day more has passed.
  const turn = running.endsAt.getTime() - 2 * DAY
  ctx.clock.set(new Date(turn - 1_500))
  const before = await ids()
  ctx.clock.set(new Date(turn - 1))
  t.same(await ids(), before, 'kept up to the turn')
  ctx.clock.set(new Date(turn))
  t.same(await ids(), before.map((s: string) => s.replace(/:(\d+)$/, (_m: string, d: string) => `:${Number(d) - 1}`)), 'one day less at the turn')

  ctx.clock.set(new Date(running.endsAt.getTime() - 1))
  t.ok((await ids()).some((s: string) => s.startsWith('first')))
  ctx.clock.set(running.endsAt)
  t.notOk((await ids()).some((s: string) => s.startsWith('first')), 'gone at its end')
})
