// A monthly report from draft to acceptance, with a return and a resubmission on the way.
import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'
import { call, fullSections, writtenReport } from './builders.js'

t.test('a report is drafted, submitted, returned with a comment, edited, resubmitted and accepted', async (t) => {
  const { app, clock } = await buildTestApp(t, { now: '2026-03-02T02:00:00Z' }) // Monday 2 March, 10:00 in Shanghai
  const editor = await userWith(app, 'editor', 'civil_affairs')
  const admin = await userWith(app, 'admin')

  const created = await app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(editor.token), payload: { departmentCode: 'civil_affairs', period: '2026-02', progress: '完成救助名单公示。' } })
  t.equal(created.statusCode, 201)
  const draft = json(created)
  t.match(draft, { type: 'monthly', period: '2026-02', status: 'draft', late: false, progress: '完成救助名单公示。', practices: '', figuresFrozen: false, author: editor.username })
  // The 5th working day of March 2026: 2, 3, 4, 5, 6 March (no holiday) — until 24:00 on Friday 6 March.
  t.equal(draft.dueAt, '2026-03-06T16:00:00.000Z')
  t.equal(created.headers.location, `/v1/reports/${draft.id}`)
  let etag = String(created.headers.etag)

  const twice = await app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(editor.token), payload: { departmentCode: 'civil_affairs', period: '2026-02' } })
  t.equal(twice.statusCode, 409, 'one report per department and month')

  const url = `/v1/reports/${draft.id}`
  t.equal((await app.inject({ method: 'PATCH', url, headers: bearer(editor.token), payload: { practices: 'x' } })).statusCode, 428, 'If-Match is required')
  t.equal((await app.inject({ method: 'PATCH', url, headers: { ...bearer(editor.token), 'if-match': `"report-${draft.id}-v9"` }, payload: { practices: 'x' } })).statusCode, 412, 'a stale ETag is refused')

  const early = await app.inject({ method: 'POST', url: `${url}/submit`, headers: bearer(editor.token), payload: {} })
  t.equal(early.statusCode, 422, 'every section must be written')
  t.same(json(early).errors.map((e: any) => e.pointer), ['/practices', '/results', '/difficulties', '/nextSteps'])

  const edited = await app.inject({ method: 'PATCH', url, headers: { ...bearer(editor.token), 'if-match': etag }, payload: { ...fullSections, progress: undefined } })
  t.equal(edited.statusCode, 200)
  etag = String(edited.headers.etag)
  t.equal(json(edited).practices, fullSections.practices)

  clock.set('2026-03-03T02:00:00Z')
  const submitted = await call(app, 'POST', `${url}/submit`, editor.token, {})
  t.match(submitted.body, { status: 'submitted', firstSubmittedAt: '2026-03-03T02:00:00.000Z', submitter: editor.username, late: false, figuresFrozen: true, figuresAsOf: '2026-03-03T02:00:00.000Z' })
  t.equal((await app.inject({ method: 'PATCH', url, headers: { ...bearer(editor.token), 'if-match': submitted.etag }, payload: { results: 'x' } })).statusCode, 409, 'a submitted report is not edited')
  t.equal((await app.inject({ method: 'POST', url: `${url}/accept`, headers: bearer(editor.token), payload: {} })).statusCode, 403, 'departments do not accept their own reports')

  const bare = await app.inject({ method: 'POST', url: `${url}/return`, headers: bearer(admin.token), payload: {} })
  t.equal(bare.statusCode, 422, 'a return says what to improve')
  t.equal(json(bare).errors[0].pointer, '/body/comment')

  clock.set('2026-03-03T08:00:00Z')
  const returned = await call(app, 'POST', `${url}/return`, admin.token, { comment: '请补充异议处理情况。' })
  t.match(returned.body, { status: 'returned', reviewer: admin.username, reviewedAt: '2026-03-03T08:00:00.000Z', reviewComment: '请补充异议处理情况。', returnCount: 1, figuresFrozen: false })
  t.equal((await app.inject({ method: 'POST', url: `${url}/accept`, headers: bearer(admin.token), payload: {} })).statusCode, 409, 'a returned report is not accepted')

  // Resubmitted after the due date: still on time, because the first submission was.
  clock.set('2026-03-09T01:00:00Z')
  const fixed = await call(app, 'PATCH', url, editor.token, { results: '收到异议1件，经核实不成立，已于3日内答复。' }, { 'if-match': returned.etag })
  t.equal(fixed.body.lastEditor, editor.username)
  const again = await call(app, 'POST', `${url}/submit`, editor.token, {})
  t.match(again.body, { status: 'submitted', submittedAt: '2026-03-09T01:00:00.000Z', firstSubmittedAt: '2026-03-03T02:00:00.000Z', late: false, reviewer: null, reviewComment: null, dueAt: '2026-03-06T16:00:00.000Z' })

  clock.set('2026-03-09T03:00:00Z')
  const accepted = await call(app, 'POST', `${url}/accept`, admin.token, { comment: '同意。' })
  t.match(accepted.body, { status: 'accepted', acceptedAt: '2026-03-09T03:00:00.000Z', reviewer: admin.username, reviewComment: '同意。', returnCount: 1 })
  t.same(
    accepted.body.history.map((h: any) => [h.action, h.actor, h.at, h.comment]),
    [
      ['create', editor.username, '2026-03-02T02:00:00.000Z', null],
      ['submit', editor.username, '2026-03-03T02:00:00.000Z', null],
      ['return', admin.username, '2026-03-03T08:00:00.000Z', '请补充异议处理情况。'],
      ['submit', editor.username, '2026-03-09T01:00:00.000Z', null],
      ['accept', admin.username, '2026-03-09T03:00:00.000Z', '同意。'],
    ],
  )
  t.equal((await app.inject({ method: 'POST', url: `${url}/return`, headers: bearer(admin.token), payload: { comment: 'x' } })).statusCode, 409, 'an accepted report stays accepted')

  const audit = json(await app.inject({ method: 'GET', url: `/v1/audit?targetType=report&targetId=${draft.id}&limit=20`, headers: bearer(admin.token) }))
  t.same(audit.items.map((e: any) => e.action).reverse(), ['report.create', 'report.update', 'report.submit', 'report.return', 'report.update', 'report.submit', 'report.accept'])
})

t.test('a report is measured by its first submission after the due date: late', async (t) => {
  const { app, clock } = await buildTestApp(t, { now: '2026-03-02T02:00:00Z' })
  const editor = await userWith(app, 'editor', 'housing')
  const { id } = await writtenReport(app, editor.token, 'housing', '2026-02')
  clock.set('2026-03-06T15:59:59Z')
  t.equal((await call(app, 'GET', `/v1/reports/${id}`, editor.token)).body.late, false, 'not late at 23:59:59 of the due day')
  clock.set('2026-03-06T16:00:01Z')
  t.equal((await call(app, 'GET', `/v1/reports/${id}`, editor.token)).body.late, true, 'late, even unsubmitted, once the due day is over')
  const submitted = await call(app, 'POST', `/v1/reports/${id}/submit`, editor.token, {})
  t.match(submitted.body, { status: 'submitted', late: true, firstSubmittedAt: '2026-03-06T16:00:01.000Z' })
})

t.test('who may read, write and decide', async (t) => {
  const { app } = await buildTestApp(t, { now: '2026-03-02T02:00:00Z' })
  const editor = await userWith(app, 'editor', 'civil_affairs')
  const reviewer = await userWith(app, 'reviewer', 'civil_affairs')
  const other = await userWith(app, 'editor', 'housing')
  const auditor = await userWith(app, 'auditor')
  const admin = await userWith(app, 'admin')
  const { id, etag } = await writtenReport(app, editor.token, 'civil_affairs', '2026-02')
  const get = (token: string) => app.inject({ method: 'GET', url: `/v1/reports/${id}`, headers: bearer(token) })
  t.equal((await get(reviewer.token)).statusCode, 200, 'reviewers of the department read it')
  t.equal((await get(auditor.token)).statusCode, 200, 'auditors read it')
  t.equal((await get(other.token)).statusCode, 403, 'another department does not')
  t.equal((await app.inject({ method: 'GET', url: `/v1/reports/${id}` })).statusCode, 401)
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/reports/${id}`, headers: { ...bearer(reviewer.token), 'if-match': etag }, payload: { progress: 'x' } })).statusCode, 403, 'reviewers do not write reports')
  t.equal((await app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(other.token), payload: { departmentCode: 'civil_affairs', period: '2026-01' } })).statusCode, 403, 'nor other departments')

  const mine = json(await app.inject({ method: 'GET', url: '/v1/reports', headers: bearer(other.token) }))
  t.same(mine.items, [], "another department's list does not show it")
  const all = json(await app.inject({ method: 'GET', url: '/v1/reports?period=2026-02', headers: bearer(auditor.token) }))
  t.same(all.items.map((r: any) => r.id), [id])

  // An admin who wrote the district office's own report cannot accept it.
  const own = await writtenReport(app, admin.token, 'district_office', '2026-02')
  await call(app, 'POST', `/v1/reports/${own.id}/submit`, admin.token, {})
  const self = await app.inject({ method: 'POST', url: `/v1/reports/${own.id}/accept`, headers: bearer(admin.token), payload: {} })
  t.equal(self.statusCode, 403)
  t.match(json(self).detail, /four-eyes/)
})

t.test('periods: not before they begin, submitted only once they are over, pilot phases by code', async (t) => {
  const { app } = await buildTestApp(t, { now: '2026-03-02T02:00:00Z' })
  const editor = await userWith(app, 'editor', 'education')
  const future = await app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(editor.token), payload: { departmentCode: 'education', period: '2026-04' } })
  t.equal(future.statusCode, 422)
  t.equal(json(future).errors[0].pointer, '/body/period')
  t.equal((await app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(editor.token), payload: { departmentCode: 'education', period: '2026-13' } })).statusCode, 422)
  t.equal((await app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(editor.token), payload: { departmentCode: 'education', period: '2026-02', extra: 1 } })).statusCode, 400, 'unknown fields are refused')

  const current = await writtenReport(app, editor.token, 'education', '2026-03')
  const tooSoon = await app.inject({ method: 'POST', url: `/v1/reports/${current.id}/submit`, headers: bearer(editor.token), payload: {} })
  t.equal(tooSoon.statusCode, 409)
  t.match(json(tooSoon).detail, /not over yet/)

  // The plan's pilot: the summary report due by 10 May 2018.
  const pilot = await writtenReport(app, editor.token, 'education', 'pilot_2018', 'pilot_summary')
  const submitted = await call(app, 'POST', `/v1/reports/${pilot.id}/submit`, editor.token, {})
  t.match(submitted.body, { type: 'pilot_summary', period: 'pilot_2018', dueAt: '2018-05-10T16:00:00.000Z', late: true })
  const unknown = await app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(editor.token), payload: { departmentCode: 'education', type: 'pilot_summary', period: 'pilot_2030' } })
  t.equal(unknown.statusCode, 422)
  const admin = (await userWith(app, 'admin')).token
  const phase = json(await app.inject({ method: 'GET', url: '/v1/reports/summary?phase=pilot_2018', headers: bearer(admin) }))
  t.match(phase, { type: 'pilot_summary', period: 'pilot_2018', from: '2017-08-01', to: '2018-04-30', dueDate: '2018-05-10' })
  t.match(phase.departments.find((d: any) => d.departmentCode === 'education'), { status: 'submitted', late: true })
  t.equal((await app.inject({ method: 'GET', url: '/v1/reports/summary?month=2026-02&phase=pilot_2018', headers: bearer(admin) })).statusCode, 400)
})
