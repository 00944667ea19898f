// The statutory clock of an application end to end, with the clock moved by the test. Expected dates
// are worked out from the State Council's 2025 arrangement: National Day and Mid-Autumn 1–8 October
// are rest days; Sunday 28 September and Saturday 11 October are make-up working days.
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { caller, received, staffOf } from './builders.js'

t.test('received on Friday 26 September 2025, before National Day: due on 30 October at 24:00', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-26T02:30:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const call = caller(ctx)
  const receipt = await received(ctx, staff.editor)
  t.match(receipt, /^YSQ2025-[A-Z0-9]{4}-[A-Z0-9]{4}$/)
  // The day of receipt is not counted. Working days: Sun 28 Sep (make-up) 1, 29 Sep 2, 30 Sep 3,
  // (1–8 Oct rest) 9 Oct 4, 10 Oct 5, Sat 11 Oct (make-up) 6, 13–17 Oct 7–11, 20–24 Oct 12–16,
  // 27–30 Oct 17–20.
  const full = (await call('GET', `/v1/applications/${receipt}`, staff.editor)).body
  t.match(full, { status: 'processing', replyDueAt: '2025-10-30T16:00:00.000Z', daysLeft: 34, overdue: false, calendarStatus: 'official' })
  t.match(full.clock, { startsOn: '2025-09-26', workingDays: 20, lastDay: '2025-10-30', provisional: false, paused: false })
  t.same(full.clock.explanation.counted.slice(0, 4).map((d: any) => [d.date, d.reason]), [['2025-09-28', 'makeup_workday'], ['2025-09-29', 'weekday'], ['2025-09-30', 'weekday'], ['2025-10-09', 'weekday']])
  t.equal(full.clock.explanation.skipped.filter((d: any) => d.reason === 'holiday').length, 8, '1–8 October skipped')

  ctx.clock.set('2025-10-30T15:59:59Z')
  t.match((await call('GET', `/v1/applications/${receipt}`, null)).body, { daysLeft: 0, overdue: false })
  ctx.clock.set('2025-10-30T16:00:00Z')
  t.match((await call('GET', `/v1/applications/${receipt}`, null)).body, { daysLeft: -1, overdue: true, status: 'processing' })
})

t.test('correction: asked once within 7 working days; the period restarts from the corrected application', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-10-09T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const call = caller(ctx)
  const receipt = await received(ctx, staff.editor)
  const asked = await call('POST', `/v1/applications/${receipt}/correction-request`, staff.editor, { items: '请明确所申请信息的时间范围和社区。', dueDate: '2025-10-20' })
  t.equal(asked.status, 200)
  t.match(asked.body, { status: 'awaiting_correction', replyDueAt: null, daysLeft: null, correctionDueDate: '2025-10-20' })
  t.equal((await call('POST', `/v1/applications/${receipt}/correction-request`, staff.editor, { items: '再补充。', dueDate: '2025-10-21' })).status, 409, 'once only')

  ctx.clock.set('2025-10-17T02:00:00Z')
  const corrected = await call('POST', `/v1/applications/${receipt}/correction`, staff.editor, { receivedAt: '2025-10-17T01:00:00Z' })
  t.equal(corrected.status, 200)
  // From Fri 17 Oct: 20–24 Oct 1–5, 27–31 Oct 6–10, 3–7 Nov 11–15, 10–14 Nov 16–20.
  t.match(corrected.body, { status: 'processing', replyDueAt: '2025-11-14T16:00:00.000Z', correctionDueDate: null })
  t.equal(corrected.body.clock.startsOn, '2025-10-17')
})

t.test('correction asked on the 8th working day after receipt is refused', async (t) => {
  // 7 working days after 26 Sep: 28, 29, 30 Sep, 9, 10, 11, 13 Oct. 14 Oct is too late.
  const ctx = await buildTestApp(t, { now: '2025-10-14T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const receipt = await received(ctx, staff.editor)
  const late = await caller(ctx)('POST', `/v1/applications/${receipt}/correction-request`, staff.editor, { items: '请明确。', dueDate: '2025-10-24' })
  t.equal(late.status, 409)
  t.match(late.body.detail, /by 2025-10-13/)
})

t.test('no correction by the stated deadline: closed as 逾期不补正, a late correction is refused', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-29T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const call = caller(ctx)
  const receipt = await received(ctx, staff.editor)
  await call('POST', `/v1/applications/${receipt}/correction-request`, staff.editor, { items: '请明确。', dueDate: '2025-10-20' })
  ctx.clock.set('2025-10-20T15:59:59Z')
  t.equal((await call('GET', `/v1/applications/${receipt}`, null)).body.status, 'awaiting_correction', 'still open at 23:59:59 of the deadline')
  ctx.clock.set('2025-10-21T01:00:00Z')
  const closed = (await call('GET', `/v1/applications/${receipt}`, null)).body
  t.match(closed, { status: 'closed', outcome: { group: 'other', reason: 'no_correction', at: '2025-10-20T16:00:00.000Z' } })
  t.match(closed.outcome.label, /逾期不补正/)
  const late = await call('POST', `/v1/applications/${receipt}/correction`, staff.editor, { receivedAt: '2025-10-21T00:30:00Z' })
  t.equal(late.status, 409)
  t.match(late.body.detail, /closed/)
})

t.test('extension: asked by one, approved by another reviewer, 15 more working days; once only', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-10-20T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const call = caller(ctx)
  const receipt = await received(ctx, staff.editor)
  const asked = await call('POST', `/v1/applications/${receipt}/extension`, staff.reviewer, { days: 15, reason: '申请内容涉及多个年度档案，需调阅整理。' })
  t.equal(asked.status, 200)
  t.match(asked.body, { replyDueAt: '2025-10-30T16:00:00.000Z', extension: { days: 15, approvedBy: null } }, 'not in force until approved')
  t.equal((await call('POST', `/v1/applications/${receipt}/extension/approve`, staff.reviewer, {})).status, 403, 'who asked cannot approve')
  t.equal((await call('POST', `/v1/applications/${receipt}/extension/approve`, staff.editor, {})).status, 403, 'an editor cannot approve')
  const approved = await call('POST', `/v1/applications/${receipt}/extension/approve`, staff.reviewer2, {})
  t.equal(approved.status, 200)
  // From 30 Oct: 31 Oct 1, 3–7 Nov 2–6, 10–14 Nov 7–11, 17–20 Nov 12–15.
  t.match(approved.body, { replyDueAt: '2025-11-20T16:00:00.000Z', clock: { workingDays: 35 } })
  t.ok(approved.body.extension.approvedBy)
  t.equal((await call('POST', `/v1/applications/${receipt}/extension`, staff.editor, { days: 5, reason: '再延长。' })).status, 409, 'once only')
})

t.test('an extension asked after the period ran out is refused', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-10-31T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const receipt = await received(ctx, staff.editor)
  t.equal((await caller(ctx)('POST', `/v1/applications/${receipt}/extension`, staff.editor, { days: 5, reason: '来不及了。' })).status, 409)
})

