// The plan's procedures end to end through the API, with the clock moved by the test.
import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'
import { seedDemoCatalog } from '../../src/modules/catalog/service.js'
import { noticeBody, publishedNotice, staffOf } from './builders.js'

const get = (app: any, url: string, headers = {}) => app.inject({ method: 'GET', url, headers })

t.test('rental subsidy list, 7 days from 26 September 2025: the last day falls in National Day and moves to 9 October', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-26T02:00:00Z' }) // Friday 10:00 in Shanghai
  const staff = await staffOf(ctx.app, 'housing')
  const id = await publishedNotice(ctx, staff)
  const n = json(await get(ctx.app, `/v1/notices/${id}`))
  t.match(n, { status: 'in_publicity', firstDay: '2025-09-27', lastDay: '2025-10-09', endsAt: '2025-10-09T16:00:00.000Z', calendarStatus: 'official', daysRemaining: 13 })
  t.equal(n.review.author.startsWith('editor.'), true)
  t.equal(n.review.reviewer.startsWith('reviewer.'), true)
  ctx.clock.set('2025-10-09T15:59:59Z')
  t.equal(json(await get(ctx.app, `/v1/notices/${id}`)).status, 'in_publicity', 'still running at 23:59:59 of the last day')
  ctx.clock.set('2025-10-09T16:00:00Z')
  t.equal(json(await get(ctx.app, `/v1/notices/${id}`)).status, 'period_ended', 'ended at 24:00')
})

t.test('poor boarding students, 7 working days from 29 September 2025, across National Day and a make-up Saturday', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-29T01:00:00Z' })
  const staff = await staffOf(ctx.app, 'experimental_school')
  const id = await publishedNotice(ctx, staff, {
    departmentCode: 'experimental_school',
    domainCode: 'compulsory_education',
    kind: 'poor_students',
    title: '2025年秋季学期贫困住宿生认定名单公示',
    ruleCode: 'PUBLICITY_7WD',
    channels: ['campus'],
  })
  // Working days: 30 Sep (1), 9 Oct (2), 10 Oct (3), Sat 11 Oct make-up (4), 13 (5), 14 (6), 15 (7).
  t.match(json(await get(ctx.app, `/v1/notices/${id}`)), { firstDay: '2025-09-30', lastDay: '2025-10-15', endsAt: '2025-10-15T16:00:00.000Z' })
})

t.test('rental subsidy review: the decision falls due 15 days after the materials and goes overdue', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-10T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const created = json(
    await ctx.app.inject({
      method: 'POST',
      url: '/v1/notices',
      headers: bearer(staff.editor),
      payload: { departmentCode: 'housing', domainCode: 'affordable_housing', kind: 'decision', title: '住房租赁补贴复审', ruleCode: 'PUBLICITY_7D', channels: ['portal'], materialsReceivedAt: '2025-09-10T02:00:00Z' },
    }),
  )
  t.equal(created.decisionDueAt, '2025-09-25T16:00:00.000Z', '10 Sep + 15 days = 25 Sep, a Thursday, ends at 24:00')
  t.equal(created.decisionOverdue, false)
  ctx.clock.set('2025-09-24T02:00:00Z')
  let due = json(await get(ctx.app, '/v1/review-deadlines?department=housing&withinDays=7', bearer(staff.reviewer)))
  t.same(due.items.map((d: any) => d.state), ['due'])
  ctx.clock.set('2025-09-26T00:00:00Z')
  due = json(await get(ctx.app, '/v1/review-deadlines?department=housing', bearer(staff.reviewer)))
  t.same(due.items.map((d: any) => d.state), ['overdue'])
  t.equal(json(await get(ctx.app, `/v1/notices/${created.id}`, bearer(staff.editor))).decisionOverdue, true)
  const decided = await ctx.app.inject({ method: 'POST', url: `/v1/notices/${created.id}/decision`, headers: bearer(staff.editor), payload: { decidedAt: '2025-09-26T00:00:00Z' } })
  t.equal(decided.statusCode, 200)
  due = json(await get(ctx.app, '/v1/review-deadlines?department=housing', bearer(staff.reviewer)))
  t.same(due.items.map((d: any) => d.state), ['missed'])
  const otherDepartment = await get(ctx.app, '/v1/review-deadlines?department=housing', bearer((await staffOf(ctx.app, 'finance')).editor))
  t.equal(otherDepartment.statusCode, 403)
})

t.test('disaster relief: objections only during the period, conclusion refused early and while one is open', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-12-01T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'civil_affairs')
  const id = await publishedNotice(ctx, staff, { departmentCode: 'civil_affairs', domainCode: 'disaster_relief', kind: 'relief_recipients', title: '冬春生活救助对象名单公示' })
  const objection = { name: '赵强', contact: '13800001234', reason: '第2户家庭收入较高，不应列入救助名单。', entryRow: 2, channel: 'wechat' }
  const filed = await ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/objections`, payload: objection })
  t.equal(filed.statusCode, 201)
  const { receipt } = json(filed)
  t.match(receipt, /^YY2025-[A-Z0-9]{4}-[A-Z0-9]{4}$/)
  t.same(json(await get(ctx.app, `/v1/objections/${receipt}`)), { ...json(filed), reply: null }, 'the objector checks the status')

  const early = await ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/conclude`, headers: bearer(staff.editor), payload: { outcome: 'objections_rejected' } })
  t.equal(early.statusCode, 409)
  t.match(json(early).detail, /has not ended: it runs until 2025-12-08 24:00/)

  ctx.clock.set('2025-12-08T16:00:00Z')
  const late = await ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/objections`, payload: objection })
  t.equal(late.statusCode, 409, 'no objection once the period has ended')
  t.match(json(late).detail, /ended on 2025-12-08 24:00/)
  const open = await ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/conclude`, headers: bearer(staff.editor), payload: { outcome: 'objections_rejected' } })
  t.equal(open.statusCode, 409)
  t.match(json(open).detail, new RegExp(`${receipt} still open`))

  const rejected = await ctx.app.inject({ method: 'POST', url: `/v1/objections/${receipt}/resolve`, headers: bearer(staff.reviewer), payload: { outcome: 'rejected', reply: '经村民委员会民主评议，异议不成立。' } })
  t.equal(rejected.statusCode, 200)
  t.equal(json(await get(ctx.app, `/v1/objections/${receipt}`)).reply, '经村民委员会民主评议，异议不成立。')
  const wrongOutcome = await ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/conclude`, headers: bearer(staff.editor), payload: { outcome: 'no_objection' } })
  t.equal(wrongOutcome.statusCode, 409)
  const concluded = await ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/conclude`, headers: bearer(staff.editor), payload: { outcome: 'objections_rejected' } })
  t.equal(concluded.statusCode, 200)
  t.match(json(concluded), { status: 'concluded', conclusion: 'objections_rejected', objections: { total: 1, open: 0, rejected: 1, upheld: 0 } })
})

t.test('objections before a scheduled notice opens are refused', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-12-01T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'civil_affairs')
  const id = await publishedNotice(ctx, staff, { departmentCode: 'civil_affairs', domainCode: 'disaster_relief', kind: 'relief_recipients', requestedStartAt: '2025-12-05T00:00:00Z' })
  const n = json(await get(ctx.app, `/v1/notices/${id}`))
  t.match(n, { status: 'scheduled', firstDay: '2025-12-06', lastDay: '2025-12-12' })
  const res = await ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/objections`, payload: { name: '赵强', contact: 'zq@example.com', reason: '名单有误，请核实。', channel: 'portal' } })
  t.equal(res.statusCode, 409)
})

t.test('in-kind rental lottery: an upheld objection produces a revision with a fresh full period', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-03-03T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const id = await publishedNotice(ctx, staff, {
    kind: 'lottery_result',
    title: '实物配租抽签结果公示',
    notarization: { notaryOffice: '齐齐哈尔市龙沙公证处', certificateNumber: '(2025)齐龙证字第118号', date: '2025-03-02' },
  })
  const first = json(await get(ctx.app, `/v1/notices/${id}`))
  t.equal(first.lastDay, '2025-03-10')
  const { receipt } = json(await ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/objections`, payload: { name: '钱多', contact: '13900001111', reason: '抽签结果中第1户的房号登记错误。', entryRow: 1, channel: 'portal' } }))
  ctx.clock.set('2025-03-05T02:00:00Z')
  const notYet = await ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/revisions`, headers: bearer(staff.editor) })
  t.equal(notYet.statusCode, 409, 'no revision without an upheld objection')
  t.equal((await ctx.app.inject({ method: 'POST', url: `/v1/objections/${receipt}/resolve`, headers: bearer(staff.editor), payload: { outcome: 'upheld', reply: 'x' } })).statusCode, 403, 'an editor cannot decide an objection')
  t.equal((await ctx.app.inject({ method: 'POST', url: `/v1/objections/${receipt}/resolve`, headers: bearer(staff.reviewer), payload: { outcome: 'upheld', reply: '经核实，房号登记有误，予以更正。' } })).statusCode, 200)
  const concludeInstead = await ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/conclude`, headers: bearer(staff.editor), payload: { outcome: 'objections_rejected' } })
  t.equal(concludeInstead.statusCode, 409)
  const revised = await ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/revisions`, headers: bearer(staff.editor) })
  t.equal(revised.statusCode, 201)
  const revision = json(revised)
  t.match(revision, { status: 'draft', revision: 2, revisionOf: id, entryCount: 2 })
  t.match(json(await get(ctx.app, `/v1/notices/${id}`)), { status: 'revised', revisedBy: revision.id })
  for (const [action, token] of [['submit', staff.editor], ['approve', staff.reviewer], ['publish', staff.editor]] as const) {
    t.equal((await ctx.app.inject({ method: 'POST', url: `/v1/notices/${revision.id}/${action}`, headers: bearer(token), payload: {} })).statusCode, 200, action)
  }
  t.match(json(await get(ctx.app, `/v1/notices/${revision.id}`)), { status: 'in_publicity', firstDay: '2025-03-06', lastDay: '2025-03-12' }, 'a fresh full 7-day period')
})

t.test('the author cannot approve their own notice, and a list with personal columns needs a privacy impact assessment', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-03-03T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const failure = await publishedNotice(ctx, staff, { privacyAssessment: null }, { publish: false }).catch((e) => String(e))
  t.match(failure, /approve failed: .*privacy impact assessment/)

  // One person holding both roles drafts a notice and tries to approve it.
  const both = await userWith(ctx.app, 'editor', 'housing', 'both.roles')
  const admin = await userWith(ctx.app, 'admin')
  t.equal((await ctx.app.inject({ method: 'POST', url: '/v1/users/both.roles/grants', headers: bearer(admin.token), payload: { role: 'reviewer', departmentCode: 'housing' } })).statusCode, 201)
  const own = json(await ctx.app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(both.token), payload: noticeBody() }))
  t.equal((await ctx.app.inject({ method: 'POST', url: `/v1/notices/${own.id}/submit`, headers: bearer(both.token), payload: {} })).statusCode, 200)
  const self = await ctx.app.inject({ method: 'POST', url: `/v1/notices/${own.id}/approve`, headers: bearer(both.token), payload: {} })
  t.equal(self.statusCode, 403)
  t.match(json(self).detail, /four-eyes/)
  const byReviewer = await ctx.app.inject({ method: 'POST', url: `/v1/notices/${own.id}/approve`, headers: bearer(staff.reviewer), payload: {} })
  t.equal(byReviewer.statusCode, 200)

  const reviewerDrafts = await ctx.app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(staff.reviewer), payload: noticeBody() })
  t.equal(reviewerDrafts.statusCode, 403, 'a reviewer without the editor role cannot draft')
})

t.test('two reviewers approving at once: one approval, one 409, a single transition recorded', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-03-03T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const second = await userWith(ctx.app, 'reviewer', 'housing')
  const id = json(await ctx.app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(staff.editor), payload: noticeBody() })).id
  await ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/submit`, headers: bearer(staff.editor), payload: {} })
  const results = await Promise.all([staff.reviewer, second.token].map((token) => ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/approve`, headers: bearer(token), payload: {} })))
  t.same(results.map((r) => r.statusCode).sort(), [200, 409])
  const admin = await userWith(ctx.app, 'admin')
  const approvals = json(await ctx.app.inject({ method: 'GET', url: `/v1/audit?action=notice.approve&targetId=${id}`, headers: bearer(admin.token) }))
  t.equal(approvals.items.length, 1)
  const published = await Promise.all([1, 2].map(() => ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/publish`, headers: bearer(staff.editor), payload: {} })))
  t.same(published.map((r) => r.statusCode).sort(), [200, 409], 'published once')
})

t.test("publication on time: the catalog item's time limit gives publishDueAt, and a later publication is flagged late", async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-01T02:00:00Z' })
  await seedDemoCatalog(ctx.app.db, '230202', ctx.clock.now())
  const staff = await staffOf(ctx.app, 'land_branch')
  const announce = { departmentCode: 'land_branch', domainCode: 'land_acquisition', kind: 'announcement', ruleCode: 'PUBLICITY_10WD', columns: [], privacyAssessment: null }
  // 征地公告: within 15 working days of receiving the approval (formed on Friday 19 September 2025).
  // Working days after it: 22–26 Sep (5), Sun 28 Sep make-up (6), 29, 30 Sep (8), National Day break,
  // 9, 10, Sat 11 Oct make-up (11), 13–16 Oct (15) → due at 24:00 on 16 October.
  const late = await publishedNotice(ctx, staff, { ...announce, itemKey: 'land_acquisition.announcement', title: '征地公告', formedAt: '2025-09-19T02:00:00Z' }, { entries: [] })
  const n = json(await get(ctx.app, `/v1/notices/${late}`))
  t.equal(n.publishDueAt, '2025-10-16T16:00:00.000Z')
  t.equal(n.publishedLate, false, 'published on 1 September, well before')
  ctx.clock.set('2025-10-20T02:00:00Z')
  const after = await publishedNotice(ctx, staff, { ...announce, itemKey: 'land_acquisition.announcement', title: '征地公告（迟）', formedAt: '2025-09-19T02:00:00Z' }, { entries: [] })
  t.equal(json(await get(ctx.app, `/v1/notices/${after}`)).publishedLate, true)
  // Without an item: the default of the Regulations, 20 working days: … 16 Oct (15), 17, 20, 21, 22, 23 Oct (20).
  const plain = await publishedNotice(ctx, staff, { ...announce, title: '通告', formedAt: '2025-09-19T02:00:00Z' }, { entries: [] })
  t.equal(json(await get(ctx.app, `/v1/notices/${plain}`)).publishDueAt, '2025-10-23T16:00:00.000Z')
  const unknown = await ctx.app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(staff.editor), payload: { ...noticeBody(announce), itemKey: 'no.such.item' } })
  t.equal(unknown.statusCode, 422)
  t.equal(json(unknown).errors[0].pointer, '/body/itemKey')
})
