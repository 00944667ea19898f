// Statutory deadlines as events: a review decision not made by its REVIEW_15D deadline, and a monthly
// report not submitted by its due day, are announced once each, at the deadline computed on the
// working-day calendar, also when the API was stopped across it, and however many instances run the
// scheduler at once — and never for what was decided or submitted in time.
import t from 'tap'
import { StatutoryClock } from '../../src/modules/events/statutory-clock.js'
import { buildTestApp, json, type TestApp } from '../helpers/app.js'
import { bearer, clientWith, userWith } from '../helpers/auth.js'
import { secondInstance } from '../helpers/instances.js'
import { staffOf } from '../notices/builders.js'
import { call, submittedReport, writtenReport } from '../reports/builders.js'

async function reviewCase(ctx: TestApp, editor: string, materialsReceivedAt: string) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/notices',
    headers: bearer(editor),
    payload: { departmentCode: 'housing', domainCode: 'affordable_housing', kind: 'decision', title: '住房租赁补贴复审', ruleCode: 'PUBLICITY_7D', channels: ['portal'], materialsReceivedAt },
  })
  if (res.statusCode !== 201) throw new Error(res.body)
  return json(res) as { id: string; decisionDueAt: string }
}

async function feed(ctx: TestApp, token: string, types: string) {
  return json(await ctx.app.inject({ method: 'GET', url: `/v1/changes?types=${types}&limit=500`, headers: bearer(token) })).items as any[]
}

t.test('a review decision not made by its deadline is announced once, at the deadline, after downtime too', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-10T02:00:00Z' })
  const { app, clock } = ctx
  const staff = await staffOf(app, 'housing')
  const { token } = await clientWith(app, ['events:read'])
  // Materials received Wednesday 10 September: 15 days from the next day, the 25th is the last day.
  const late = await reviewCase(ctx, staff.editor, '2025-09-10T02:00:00Z')
  t.equal(late.decisionDueAt, '2025-09-25T16:00:00.000Z')
  const inTime = await reviewCase(ctx, staff.editor, '2025-09-10T02:00:00Z')
  const later = await reviewCase(ctx, staff.editor, '2025-09-11T02:00:00Z')
  t.equal(later.decisionDueAt, '2025-09-26T16:00:00.000Z')
  const scheduler = new StatutoryClock({ db: app.db, clock, log: app.log })

  clock.set('2025-09-20T02:00:00Z')
  const decided = await app.inject({ method: 'POST', url: `/v1/notices/${inTime.id}/decision`, headers: bearer(staff.editor), payload: { decidedAt: '2025-09-20T02:00:00Z' } })
  t.equal(decided.statusCode, 200)
  clock.set('2025-09-25T16:00:00Z')
  t.equal((await scheduler.runOnce()).decisions, 0, 'not overdue at the deadline itself (24:00 is still in time)')
  clock.set('2025-09-25T16:00:30Z')
  t.equal((await scheduler.runOnce()).decisions, 1, 'overdue within a round of the deadline')
  t.equal((await scheduler.runOnce()).decisions, 0, 'never twice')

  // Down from before the second deadline until days after it: the restart's first round catches up.
  clock.set('2025-09-30T08:00:00Z')
  const restarted = new StatutoryClock({ db: app.db, clock, log: app.log })
  t.equal((await restarted.runOnce()).decisions, 1)
  t.equal((await restarted.runOnce()).decisions, 0)

  t.same(
    (await feed(ctx, token, 'review.*')).map((e) => [e.type, e.timestamp, e.data]),
    [
      ['review.decision.overdue', '2025-09-25T16:00:00.000Z', { id: late.id, url: `/v1/notices/${late.id}`, department: 'housing', domain: 'affordable_housing', dueAt: '2025-09-25T16:00:00.000Z' }],
      ['review.decision.overdue', '2025-09-26T16:00:00.000Z', { id: later.id, url: `/v1/notices/${later.id}`, department: 'housing', domain: 'affordable_housing', dueAt: '2025-09-26T16:00:00.000Z' }],
    ],
    'one per overdue notice, stamped with its deadline; none for the decision made in time',
  )
  const anonymous = json(await app.inject({ method: 'GET', url: '/v1/changes?types=review.*' })).items
  t.same(anonymous, [], 'a staff event: not in the public feed')
  const types = json(await app.inject({ method: 'GET', url: '/v1/event-types' }))
  t.ok(JSON.stringify(types).includes('review.decision.overdue'))
})

async function reportingRegion(ctx: TestApp) {
  const admin = await userWith(ctx.app, 'admin')
  const current = await ctx.app.inject({ method: 'GET', url: '/v1/reports/settings', headers: bearer(admin.token) })
  await call(ctx.app, 'PUT', '/v1/reports/settings', admin.token, { dueRule: { type: 'nth_working_day_of_next_month', n: 5 }, departments: ['civil_affairs', 'education', 'finance', 'housing'], pilotPhases: [] }, { 'if-match': String(current.headers.etag) })
  const editors = Object.fromEntries(await Promise.all(['civil_affairs', 'education', 'finance', 'housing'].map(async (d) => [d, (await userWith(ctx.app, 'editor', d)).token] as const)))
  return { admin: admin.token, editors }
}

t.test('a monthly report not submitted by its due day is announced once per department, on two instances too', async (t) => {
  const ctx = await buildTestApp(t, { now: '2026-03-02T02:00:00Z' })
  const { app, clock } = ctx
  const { admin, editors } = await reportingRegion(ctx)
  const other = await secondInstance(t, ctx)
  const round = async () => (await Promise.all([app.statutoryClock.runOnce(), other.statutoryClock.runOnce()])).reduce((n, r) => n + r.reports, 0)
  const february = async () => (await feed(ctx, admin, 'report.overdue')).filter((e) => e.data.period === '2026-02')

  // February's reports fall due at 24:00 on Friday 6 March 2026 (the 5th working day).
  clock.set('2026-03-03T02:00:00Z')
  await submittedReport(app, editors.civil_affairs!, 'civil_affairs', '2026-02')
  const finance = await writtenReport(app, editors.finance!, 'finance', '2026-02')
  await round()
  clock.set('2026-03-06T15:59:59Z')
  await round()
  t.same(await february(), [], 'nothing before the due day ends')

  clock.set('2026-03-06T16:00:20Z')
  t.equal(await round(), 3, 'two instances, one event per late department')
  t.equal(await round(), 0, 'never twice')
  const late = await february()
  t.same(
    late.map((e) => [e.timestamp, e.data]),
    [
      ['2026-03-06T16:00:00.000Z', { id: 'education/2026-02', url: '/v1/reports/summary?month=2026-02', department: 'education', period: '2026-02', dueAt: '2026-03-06T16:00:00.000Z' }],
      ['2026-03-06T16:00:00.000Z', { id: finance.id, url: `/v1/reports/${finance.id}`, department: 'finance', period: '2026-02', dueAt: '2026-03-06T16:00:00.000Z' }],
      ['2026-03-06T16:00:00.000Z', { id: 'housing/2026-02', url: '/v1/reports/summary?month=2026-02', department: 'housing', period: '2026-02', dueAt: '2026-03-06T16:00:00.000Z' }],
    ],
    'civil affairs submitted in time: not late',
  )
  // The summary says the same.
  const summary = json(await app.inject({ method: 'GET', url: '/v1/reports/summary?month=2026-02', headers: bearer(admin) }))
  t.same(summary.departments.filter((d: any) => d.late).map((d: any) => d.departmentCode), ['education', 'finance', 'housing'])

  // Submitting late afterwards announces nothing more.
  clock.set('2026-03-09T02:00:00Z')
  await submittedReport(app, editors.housing!, 'housing', '2026-02')
  t.equal(await round(), 0)
  t.equal((await february()).length, 3)
  const anonymous = json(await app.inject({ method: 'GET', url: '/v1/changes?types=report.*' })).items
  t.same(anonymous, [], 'a staff event: not in the public feed')
})

t.test('a report falling due while the API was down is announced on restart, stamped with its due day', async (t) => {
  const ctx = await buildTestApp(t, { now: '2026-03-02T02:00:00Z' })
  const { app, clock } = ctx
  const { admin, editors } = await reportingRegion(ctx)
  clock.set('2026-04-01T02:00:00Z')
  await submittedReport(app, editors.civil_affairs!, 'civil_affairs', '2026-03')
  await submittedReport(app, editors.education!, 'education', '2026-03')
  await app.statutoryClock.runOnce()
  const due = json(await app.inject({ method: 'GET', url: '/v1/reports/summary?month=2026-03', headers: bearer(admin) })).dueAt
  // Down from before March's due day until ten days after it; finance submits late on the day it is back.
  clock.set(new Date(Date.parse(due) + 10 * 86_400_000).toISOString())
  await submittedReport(app, editors.finance!, 'finance', '2026-03')
  const restarted = new StatutoryClock({ db: app.db, clock, log: app.log })
  t.equal((await restarted.runOnce()).reports, 2)
  t.equal((await restarted.runOnce()).reports, 0)
  const march = (await feed(ctx, admin, 'report.overdue')).filter((e) => e.data.period === '2026-03')
  t.same(march.map((e) => [e.data.department, e.timestamp]), [['finance', due], ['housing', due]], 'late at the boundary, even if submitted since')
})
