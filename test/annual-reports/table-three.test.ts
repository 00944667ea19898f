// The annual report of a fixture year (test/annual-reports/fixture.ts), every cell of table 三 worked
// out by hand, table 四, the workflow with its integrity checks, the region's report and the roll-up.
import t from 'tap'
import { outcomeRows } from '../../src/modules/applications/outcomes.js'
import { caller } from '../applications/builders.js'
import { buildTestApp } from '../helpers/app.js'
import { userWith } from '../helpers/auth.js'
import { fixtureYear, proactive, publishReport, sections } from './fixture.js'

const cols = (c: Partial<Record<string, number>>) => {
  const out = { natural_person: 0, business: 0, research: 0, nonprofit: 0, legal_service: 0, other_organisation: 0, ...c } as Record<string, number>
  out.total = Object.values(out).reduce((s, n) => s + n, 0)
  return out
}

t.test('table 三 of 2025 for housing, every cell checked by hand', async (t) => {
  const ctx = await buildTestApp(t)
  const f = await fixtureYear(ctx)
  t.match(f.published2024.body, { review: { state: 'published' }, tablesSource: 'frozen' })
  // 2024 carried out: A2 (business) and A3 (natural person), both open on 31 Dec 2024.
  t.same(f.published2024.body.tables.applications.carriedOut, cols({ natural_person: 1, business: 1 }))
  const call = caller(ctx)
  const report = await call('GET', '/v1/annual-reports/2025?department=housing', f.staff.editor)
  t.equal(report.status, 200)
  const a = report.body.tables.applications
  // New in 2025: B1, B2 (natural persons), B3 research, B4 legal service, B5 nonprofit, B6 other
  // organisation, B7 business. The finance application is another department's.
  t.same(a.newReceived, cols({ natural_person: 2, business: 1, research: 1, nonprofit: 1, legal_service: 1, other_organisation: 1 }), '本年新收')
  t.same(a.carriedIn, cols({ natural_person: 1, business: 1 }), '上年结转: A3, A2')
  const expected: Record<string, Record<string, number>> = {
    disclosed: cols({ natural_person: 1 }), // B1
    partially_disclosed: cols({ natural_person: 1 }), // B2
    'withheld.third_party_rights': cols({ business: 1 }), // A2, answered 10 Jan 2025
    'unable_to_provide.not_held': cols({ research: 1 }), // B3
    'not_processed.repeated': cols({ legal_service: 1 }), // B4
    'other.no_correction': cols({ natural_person: 1 }), // A3, lapsed 10 Jan 2025
    'other.fee_unpaid': cols({ nonprofit: 1 }), // B5, lapsed 30 Jul 2025
  }
  for (const row of outcomeRows) t.same(a.outcomes[row.key], expected[row.key] ?? cols({}), `${row.label}`)
  t.same(a.total, cols({ natural_person: 3, business: 1, research: 1, nonprofit: 1, legal_service: 1 }), '总计')
  t.same(a.carriedOut, cols({ business: 1, other_organisation: 1 }), '结转下年度继续办理: B7 (reply not sent), B6')
  // Table 四: B3's review upheld; B4's direct lawsuit pending; A2's lawsuit after review decided in 2026.
  t.same(report.body.tables.remedies, {
    review: { upheld: 1, corrected: 0, other: 0, pending: 0, total: 1 },
    lawsuitDirect: { upheld: 0, corrected: 0, other: 0, pending: 1, total: 1 },
    lawsuitAfterReview: { upheld: 0, corrected: 0, other: 0, pending: 1, total: 1 },
  })
  t.same(report.body.checks, [], 'the integrity checks pass')
  t.match(report.body, { tablesSource: 'live', dueAt: '2026-01-31T16:00:00.000Z', overdue: false, review: null, version: 0 })
  t.equal((await call('GET', '/v1/annual-reports/2025?department=housing', null)).status, 404, 'not public before it is published')

  // The region's report counts every department: the finance application too.
  const region = await call('GET', '/v1/annual-reports/2025', (await userWith(ctx.app, 'admin')).token)
  t.same(region.body.tables.applications.newReceived, cols({ natural_person: 3, business: 1, research: 1, nonprofit: 1, legal_service: 1, other_organisation: 1 }))
  t.equal(region.body.dueAt, '2026-03-31T16:00:00.000Z', 'governments by 31 March')

  const published = await publishReport(ctx, f.staff, 2025)
  t.match(published.body, { review: { state: 'published' }, tablesSource: 'frozen', checks: [] })
  t.same(published.body.tables.applications, a, 'the frozen tables are those computed')
  t.match(published.body.sections, sections)
  t.match(published.body.tables.proactive, { ...proactive, source: 'entered' })
  t.equal((await call('PUT', '/v1/annual-reports/2025?department=housing', f.staff.editor, { overview: 'x' }, { 'if-match': '*' })).status, 409, 'a published report never changes')

  // The roll-up of the district's departments.
  const admin = await userWith(ctx.app, 'admin')
  const rollup = await call('GET', '/v1/annual-reports/2025/departments', admin.token)
  t.equal(rollup.status, 200)
  t.match(rollup.body.departments.find((d: any) => d.departmentCode === 'housing'), { state: 'published', newReceived: 7, handled: 7, carriedOut: 2, overdue: false })
  t.match(rollup.body.departments.find((d: any) => d.departmentCode === 'finance'), { state: 'not_started', newReceived: 1, handled: 0, carriedOut: 1 })
  t.same(rollup.body.totals, { newReceived: 8, carriedIn: 2, handled: 7, carriedOut: 3 })
  t.equal((await call('GET', '/v1/annual-reports/2025/departments', f.staff.editor)).status, 403)
})

t.test('the workflow: sections before submission, the year must be over, author ≠ approver, If-Match', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-12-20T02:00:00Z' })
  const call = caller(ctx)
  const editor = await userWith(ctx.app, 'editor', 'housing')
  const reviewer = await userWith(ctx.app, 'reviewer', 'housing')
  t.equal((await call('POST', '/v1/annual-reports/2025/submit?department=housing', editor.token, {})).status, 404, 'nothing written yet')
  const created = await call('PUT', '/v1/annual-reports/2025?department=housing', editor.token, { overview: '总体情况。' })
  t.equal(created.status, 200)
  t.equal((await call('PUT', '/v1/annual-reports/2025?department=housing', editor.token, { problems: 'x' })).status, 428)
  t.equal((await call('PUT', '/v1/annual-reports/2025?department=housing', editor.token, { problems: 'x' }, { 'if-match': '"stale"' })).status, 412)
  t.equal((await call('PUT', '/v1/annual-reports/2026?department=housing', editor.token, { problems: 'x' })).status, 422, 'a year not begun')
  t.equal((await call('PUT', '/v1/annual-reports/2025?department=nowhere', editor.token, { problems: 'x' })).status, 403)
  const early = await call('POST', '/v1/annual-reports/2025/submit?department=housing', editor.token, {})
  t.equal(early.status, 409, 'the year is not over')
  ctx.clock.set('2026-01-05T02:00:00Z')
  const incomplete = await call('POST', '/v1/annual-reports/2025/submit?department=housing', editor.token, {})
  t.equal(incomplete.status, 422)
  t.same(incomplete.body.errors.map((e: any) => e.pointer), ['/body/problems', '/body/otherMatters', '/body/proactive'])
  await call('PUT', '/v1/annual-reports/2025?department=housing', editor.token, { ...sections, proactive }, { 'if-match': created.headers.etag as string })
  t.equal((await call('POST', '/v1/annual-reports/2025/submit?department=housing', editor.token, {})).status, 200)
  t.equal((await call('POST', '/v1/annual-reports/2025/approve?department=housing', editor.token, {})).status, 403, 'an editor is not a reviewer')
  const rejected = await call('POST', '/v1/annual-reports/2025/reject?department=housing', reviewer.token, { comment: '第五部分过于简略。' })
  t.match(rejected.body, { review: { state: 'rejected', comment: '第五部分过于简略。' }, tablesSource: 'live' })
  ctx.clock.set('2026-02-02T02:00:00Z')
  await call('POST', '/v1/annual-reports/2025/submit?department=housing', editor.token, {})
  await call('POST', '/v1/annual-reports/2025/approve?department=housing', reviewer.token, {})
  const published = await call('POST', '/v1/annual-reports/2025/publish?department=housing', editor.token, {})
  t.match(published.body, { review: { state: 'published' }, overdue: true }, 'published after 31 January')
  t.equal((await call('GET', '/v1/annual-reports/2025?department=housing', null)).status, 200, 'public once published')
})

t.test("a record changed after last year's report was published: submission refused, naming carry_over", async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-01-06T02:00:00Z' })
  const call = caller(ctx)
  const editor = await userWith(ctx.app, 'editor', 'housing')
  const reviewer = await userWith(ctx.app, 'reviewer', 'housing')
  const staff = { editor: editor.token, reviewer: reviewer.token }
  t.match((await publishReport(ctx, staff, 2024)).body, { review: { state: 'published' } })
  // A letter received on 30 December 2024 is entered only now: it was open at the end of 2024, but
  // the published 2024 report did not carry it.
  await call('POST', '/v1/applications', editor.token, { departmentCode: 'housing', channel: 'post', receivedAt: '2024-12-30T02:00:00Z', applicant: { type: 'natural_person', name: '郑七' }, request: '申请公开补贴标准。' })
  ctx.clock.set('2026-01-05T02:00:00Z')
  const view = (await call('GET', '/v1/annual-reports/2025?department=housing', editor.token)).body
  t.match(view.checks, [{ check: 'carry_over', pointer: '/tables/applications/carriedIn/natural_person' }, { check: 'carry_over', pointer: '/tables/applications/carriedIn/total' }])
  await call('PUT', '/v1/annual-reports/2025?department=housing', editor.token, { ...sections, proactive })
  const refused = await call('POST', '/v1/annual-reports/2025/submit?department=housing', editor.token, {})
  t.equal(refused.status, 422)
  t.match(refused.body.detail, /carry_over/)
  t.match(refused.body.errors, [{ pointer: '/tables/applications/carriedIn/natural_person', message: /carry_over/ }, { pointer: '/tables/applications/carriedIn/total' }])
})
