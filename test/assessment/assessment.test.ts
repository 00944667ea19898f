// The assessment against a hand-computed fixture: every numerator, denominator and failed record.
//
// Housing, 1 January – 28 February 2026, assessed on 20 March:
//   timeliness (publication due in the period, formation date known; DISCLOSE_20WD counts 20 working
//   days from the day after formation):
//     T1 formed 5 Jan  → due 2 Feb, published 28 Jan      on time
//     T2 formed 6 Jan  → due 3 Feb, published 10 Feb      late
//     T3 formed 7 Jan  → due 4 Feb, never published       failure
//     T4 formed 8 Jan  → due 5 Feb, withdrawn unpublished left out
//     T5 formed 1 Dec 2025 → due 29 Dec 2025             outside the period
//     → 1 / 3
//   periods honoured (concluded in the period):
//     P1 period to 9 Feb, concluded 24 Feb                ok
//     P2 period to 9 Feb, concluded (as recorded) 8 Feb   defect
//     → 1 / 2
//   objections answered within 15 days (a last day on a rest day moves to the next working day):
//     O1 received 3 Feb → 18 Feb is in the Spring Festival → due 24 Feb, answered 5 Feb   ok
//     O2 received 4 Feb → 19 Feb is in the Spring Festival → due 24 Feb, answered 23 Feb   ok
//     O3 received 6 Feb → 21 Feb (holiday) → due 24 Feb, never answered   failure
//     O4 received 9 Feb → due 24 Feb, answered 25 Feb                      failure
//     → 2 / 4
//   monthly reports on time: January (due 6 Feb) submitted 4 Feb ok; February (due 6 Mar) submitted 9 Mar late → 1 / 2
//   catalog completeness (active items now):
//     I1 regulation with its document number, a structured time limit       complete
//     I2 a normative document without its document number                   /basis/0/documentNumber
//     I3 a law without articles, a time limit in words only                 /basis/0/articles, /timeLimit/rule
//     I4 complete, a law with its articles                                  complete
//     I5 incomplete but retired                                             left out
//     → 2 / 4
//   score with the default weights (catalog 20, timeliness 25, periods 20, objections 15, reports 20):
//     (20·1/2 + 25·1/3 + 20·1/2 + 15·1/2 + 20·1/2) / 100 = 45.833… = 45.8 %
// Civil affairs: reports only (no items, no notices) — January missing, February on time → 1 / 2, score 50.0.
// Finance: reports only, both missing → 0 / 2, score 0. A pilot community does not have to report: no score.
import { eq } from 'drizzle-orm'
import t from 'tap'
import { notices } from '../../src/modules/notices/tables.js'
import { buildTestApp, json, type TestApp } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'
import { createItem } from '../catalog/builders.js'
import { noticeBody, publishedNotice, staffOf } from '../notices/builders.js'
import { call, submittedReport } from '../reports/builders.js'

async function fixture(t: any) {
  const ctx: TestApp = await buildTestApp(t, { now: '2026-01-28T02:00:00Z' })
  const { app, clock } = ctx
  const staff = await staffOf(app, 'housing')
  const editor = staff.editor
  const at = (instant: string) => clock.set(instant)
  const draft = async (formedAt: string) => (await call(app, 'POST', '/v1/notices', editor, noticeBody({ formedAt }))).body
  const publish = async (id: string) => {
    for (const [action, token] of [['submit', editor], ['approve', staff.reviewer], ['publish', editor]] as const) await call(app, 'POST', `/v1/notices/${id}/${action}`, token, {})
  }
  const object = async (notice: string) => (await call(app, 'POST', `/v1/notices/${notice}/objections`, null, { name: '赵强', contact: '13800001234', reason: '名单中有家庭不符合条件。', channel: 'portal' })).body.receipt as string
  const answer = (receipt: string) => call(app, 'POST', `/v1/objections/${receipt}/resolve`, staff.reviewer, { outcome: 'rejected', reply: '经核实，符合条件。' })

  const item = (key: string, overrides: Record<string, unknown> = {}) => createItem(app, editor, { key: `affordable_housing.${key}`, domain: 'affordable_housing', department: 'housing', ...overrides })
  await item('i1')
  await item('i2', { basis: [{ kind: 'normative_document', title: '龙沙区公共租赁住房管理实施细则' }] })
  await item('i3', { basis: [{ kind: 'law', title: '中华人民共和国城市房地产管理法' }], timeLimit: { text: '按有关规定公开', rule: { type: 'other' } } })
  await item('i4', { basis: [{ kind: 'law', title: '中华人民共和国城市房地产管理法', articles: '第二十九条' }] })
  const i5 = await item('i5', { basis: [{ kind: 'normative_document', title: '旧办法' }] })
  await call(app, 'POST', `/v1/items/${i5.item.key}/retire`, editor, undefined, { 'if-match': i5.etag })

  const t1 = await publishedNotice(ctx, staff, { formedAt: '2026-01-05T02:00:00Z' })
  const t2 = await draft('2026-01-06T02:00:00Z')
  const t3 = await draft('2026-01-07T02:00:00Z')
  const t4 = await draft('2026-01-08T02:00:00Z')
  await call(app, 'POST', `/v1/notices/${t4.id}/withdraw`, editor, { reason: '材料不全' })
  await publishedNotice(ctx, staff, { formedAt: '2025-12-01T02:00:00Z' })

  at('2026-02-02T02:00:00Z')
  const p1 = await publishedNotice(ctx, staff)
  const p2 = await publishedNotice(ctx, staff)
  at('2026-02-03T02:00:00Z')
  const o1 = await object(p1)
  at('2026-02-04T02:00:00Z')
  const o2 = await object(p1)
  const civil = (await userWith(app, 'editor', 'civil_affairs')).token
  await submittedReport(app, editor, 'housing', '2026-01')
  at('2026-02-05T02:00:00Z')
  await answer(o1)
  const p3 = await publishedNotice(ctx, staff)
  at('2026-02-06T02:00:00Z')
  const o3 = await object(p3)
  at('2026-02-09T02:00:00Z')
  const o4 = await object(p3)
  at('2026-02-10T02:00:00Z')
  await publish(t2.id)
  await call(app, 'POST', `/v1/notices/${p2}/conclude`, editor, { outcome: 'no_objection' })
  // A conclusion recorded before the period ended (the API refuses it; old or imported data may hold it).
  await app.db.update(notices).set({ concludedAt: new Date('2026-02-08T02:00:00Z') }).where(eq(notices.id, p2))
  at('2026-02-23T02:00:00Z')
  await answer(o2)
  at('2026-02-24T02:00:00Z')
  await call(app, 'POST', `/v1/notices/${p1}/conclude`, editor, { outcome: 'objections_rejected' })
  at('2026-02-25T02:00:00Z')
  await answer(o4)
  at('2026-03-05T02:00:00Z')
  await submittedReport(app, civil, 'civil_affairs', '2026-02')
  at('2026-03-09T02:00:00Z')
  const lateReport = await submittedReport(app, editor, 'housing', '2026-02')
  at('2026-03-20T02:00:00Z')
  return { ...ctx, ids: { t1, t2: t2.id as string, t3: t3.id as string, p1, p2, p3, o1, o2, o3, o4, lateReport: lateReport.id as string }, due: { t2: t2.publishDueAt, t3: t3.publishDueAt, t4: t4.publishDueAt } }
}

const indicator = (dept: any, code: string) => dept.indicators.find((i: any) => i.code === code)

t.test('indicators match the hand-computed fixture, every numerator, denominator and failed record', async (t) => {
  const { app, ids, due } = await fixture(t)
  t.same([due.t2, due.t3, due.t4], ['2026-02-03T16:00:00.000Z', '2026-02-04T16:00:00.000Z', '2026-02-05T16:00:00.000Z'], 'the publication due dates the fixture relies on')
  const admin = (await userWith(app, 'admin')).token
  const res = await app.inject({ method: 'GET', url: '/v1/assessment?from=2026-01-01&to=2026-02-28', headers: bearer(admin) })
  t.equal(res.statusCode, 200)
  const a = json(res)
  t.match(a, { from: '2026-01-01', to: '2026-02-28', asOf: '2026-03-20T02:00:00.000Z', weights: { catalog_completeness: 20, timeliness: 25, periods_honoured: 20, objections_answered: 15, reports_on_time: 20 } })
  const housing = a.departments.find((d: any) => d.departmentCode === 'housing')
  const figures = (code: string) => {
    const i = indicator(housing, code)
    return [i.numerator, i.denominator, i.value]
  }
  t.same(figures('catalog_completeness'), [2, 4, 0.5])
  t.same(figures('timeliness'), [1, 3, 0.3333])
  t.same(figures('periods_honoured'), [1, 2, 0.5])
  t.same(figures('objections_answered'), [2, 4, 0.5])
  t.same(figures('reports_on_time'), [1, 2, 0.5])
  t.equal(housing.score, 45.8)

  const failures = (code: string) => indicator(housing, code).failures.map((f: any) => [f.kind, f.ref, f.reason, f.dueAt, f.doneAt]).sort()
  t.same(failures('timeliness'), [
    ['notice', ids.t2, 'published_late', '2026-02-03T16:00:00.000Z', '2026-02-10T02:00:00.000Z'],
    ['notice', ids.t3, 'not_published', '2026-02-04T16:00:00.000Z', null],
  ].sort())
  t.same(
    indicator(housing, 'catalog_completeness').failures.map((f: any) => [f.ref, f.reason, f.missing, f.href]),
    [
      ['affordable_housing.i2', 'incomplete_elements', ['/basis/0/documentNumber'], '/v1/items/affordable_housing.i2'],
      ['affordable_housing.i3', 'incomplete_elements', ['/basis/0/articles', '/timeLimit/rule'], '/v1/items/affordable_housing.i3'],
    ],
  )
  t.same(failures('periods_honoured'), [['notice', ids.p2, 'concluded_before_period_end', '2026-02-09T16:00:00.000Z', '2026-02-08T02:00:00.000Z']])
  t.same(failures('objections_answered'), [
    ['objection', ids.o3, 'unanswered', '2026-02-24T16:00:00.000Z', null],
    ['objection', ids.o4, 'answered_late', '2026-02-24T16:00:00.000Z', '2026-02-25T02:00:00.000Z'],
  ].sort())
  t.same(failures('reports_on_time'), [['report', ids.lateReport, 'submitted_late', '2026-03-06T16:00:00.000Z', '2026-03-09T02:00:00.000Z']])
  t.equal(indicator(housing, 'timeliness').failures.find((f: any) => f.ref === ids.t3).href, `/v1/notices/${ids.t3}`)

  const civil = a.departments.find((d: any) => d.departmentCode === 'civil_affairs')
  t.same(indicator(civil, 'reports_on_time').failures.map((f: any) => [f.ref, f.reason, f.dueAt, f.href]), [['civil_affairs/2026-01', 'not_submitted', '2026-02-06T16:00:00.000Z', null]])
  t.same([indicator(civil, 'reports_on_time').numerator, indicator(civil, 'reports_on_time').denominator], [1, 2])
  t.equal(civil.score, 50)
  t.equal(indicator(civil, 'timeliness').value, null, 'nothing was due: the indicator does not count')
  const finance = a.departments.find((d: any) => d.departmentCode === 'finance')
  t.same([indicator(finance, 'reports_on_time').numerator, indicator(finance, 'reports_on_time').denominator, finance.score], [0, 2, 0])
  const community = a.departments.find((d: any) => d.departmentCode === 'wulong_community')
  t.same([indicator(community, 'reports_on_time').denominator, community.score], [0, null], 'pilot units do not report monthly by default')
})

t.test('weights: per request, and stored by the district office', async (t) => {
  const { app } = await fixture(t)
  const admin = (await userWith(app, 'admin')).token
  const one = await app.inject({ method: 'GET', url: '/v1/assessment?from=2026-01-01&to=2026-02-28&department=housing&weights=timeliness:0', headers: bearer(admin) })
  t.equal(one.statusCode, 200)
  const a = json(one)
  t.same(a.departments.map((d: any) => d.departmentCode), ['housing'])
  // (20·1/2 + 20·1/2 + 15·1/2 + 20·1/2) / 75 = 50 %
  t.equal(a.departments[0].score, 50)
  t.equal(indicator(a.departments[0], 'timeliness').weight, 0)
  t.equal((await app.inject({ method: 'GET', url: '/v1/assessment?from=2026-01-01&to=2026-02-28&weights=speed:10', headers: bearer(admin) })).statusCode, 400)

  const current = await app.inject({ method: 'GET', url: '/v1/assessment/settings', headers: bearer(admin) })
  t.match(json(current), { version: 0, weights: { timeliness: 25 } })
  const weights = { catalog_completeness: 0, timeliness: 40, periods_honoured: 20, objections_answered: 20, reports_on_time: 20 }
  t.equal((await app.inject({ method: 'PUT', url: '/v1/assessment/settings', headers: bearer(admin), payload: { weights } })).statusCode, 428)
  const put = await app.inject({ method: 'PUT', url: '/v1/assessment/settings', headers: { ...bearer(admin), 'if-match': String(current.headers.etag) }, payload: { weights } })
  t.equal(put.statusCode, 200)
  t.match(json(put), { version: 1, weights })
  const stored = json(await app.inject({ method: 'GET', url: '/v1/assessment?from=2026-01-01&to=2026-02-28&department=housing', headers: bearer(admin) }))
  // (40·1/3 + 20·1/2 + 20·1/2 + 20·1/2) / 100 = 43.3 %
  t.equal(stored.departments[0].score, 43.3)
})

t.test('who may assess, and what a period is', async (t) => {
  const { app } = await buildTestApp(t, { now: '2026-03-20T02:00:00Z' })
  const url = '/v1/assessment?from=2026-01-01&to=2026-02-28'
  t.equal((await app.inject({ method: 'GET', url })).statusCode, 401)
  t.equal((await app.inject({ method: 'GET', url, headers: bearer((await userWith(app, 'editor', 'housing')).token) })).statusCode, 403)
  const auditor = (await userWith(app, 'auditor')).token
  t.equal((await app.inject({ method: 'GET', url, headers: bearer(auditor) })).statusCode, 200)
  t.equal((await app.inject({ method: 'PUT', url: '/v1/assessment/settings', headers: { ...bearer(auditor), 'if-match': '*' }, payload: { weights: { catalog_completeness: 1, timeliness: 1, periods_honoured: 1, objections_answered: 1, reports_on_time: 1 } } })).statusCode, 403, 'auditors do not set weights')
  const backwards = await app.inject({ method: 'GET', url: '/v1/assessment?from=2026-03-01&to=2026-02-01', headers: bearer(auditor) })
  t.equal(backwards.statusCode, 400)
  t.equal(json(backwards).errors[0].pointer, '/query/to')
  t.equal((await app.inject({ method: 'GET', url: '/v1/assessment?from=2026-01-01&to=2026-02-28&department=nowhere', headers: bearer(auditor) })).statusCode, 422)
})
