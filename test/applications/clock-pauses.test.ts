// The statutory clock of an application end to end (pauses: consultations, fees; the overdue list), with the clock moved by the test. Expected dates
// are worked out from the State Council's 2025 arrangement: National Day and Mid-Autumn 1–8 October
// are rest days; Sunday 28 September and Saturday 11 October are make-up working days.
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { caller, received, staffOf } from './builders.js'

t.test('consultation of a third party stops the clock across National Day', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-29T03:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const call = caller(ctx)
  const receipt = await received(ctx, staff.editor)
  const sent = await call('POST', `/v1/applications/${receipt}/consultations`, staff.editor, { consultee: '某物业服务有限公司', consulteeKind: 'third_party', sentAt: '2025-09-29T02:00:00Z', letter: '征求意见函' })
  t.equal(sent.status, 200)
  // The consultee has 15 working days after Mon 29 Sep: 30 Sep 1, 9–11 Oct 2–4, 13–17 Oct 5–9,
  // 20–24 Oct 10–14, 27 Oct 15.
  t.match(sent.body.consultations, [{ seq: 1, dueDate: '2025-10-27', answeredAt: null }])
  // While it runs the clock is paused; assuming the full 15 days, 15 working days are excluded and the
  // reply falls due 15 working days after 30 Oct: 20 Nov.
  t.match(sent.body, { status: 'consulting', replyDueAt: '2025-11-20T16:00:00.000Z', clock: { paused: true } })

  ctx.clock.set('2025-10-10T03:00:00Z')
  const answered = await call('POST', `/v1/applications/${receipt}/consultations/1/answer`, staff.editor, { answeredAt: '2025-10-10T02:00:00Z', answer: '不同意公开本公司经营信息。' })
  t.equal(answered.status, 200)
  // Excluded: the days after the letter up to the answer, 30 Sep–10 Oct, of which 30 Sep, 9 Oct and
  // 10 Oct are working days. Counted: 28, 29 Sep (1–2), 11 Oct (3), 13–17 (4–8), 20–24 (9–13),
  // 27–31 Oct (14–18), 3 Nov (19), 4 Nov (20).
  t.match(answered.body, { status: 'processing', replyDueAt: '2025-11-04T16:00:00.000Z', clock: { paused: false } })
  t.same(answered.body.clock.explanation.skipped.filter((d: any) => d.reason === 'paused').map((d: any) => d.date), ['2025-09-30', '2025-10-09', '2025-10-10'])
  t.equal((await call('POST', `/v1/applications/${receipt}/consultations/1/answer`, staff.editor, { answeredAt: '2025-10-10T02:00:00Z', answer: 'x' })).status, 409)
  t.equal((await call('POST', `/v1/applications/${receipt}/consultations/2/answer`, staff.editor, { answeredAt: '2025-10-10T02:00:00Z', answer: 'x' })).status, 404)
})

t.test('a fee not paid by its deadline closes the application as 逾期未缴费', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-10-09T03:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const call = caller(ctx)
  const receipt = await received(ctx, staff.editor)
  const noticed = await call('POST', `/v1/applications/${receipt}/fee`, staff.editor, { amount: '100.00', noticedAt: '2025-10-09T02:00:00Z' })
  t.equal(noticed.status, 200)
  // 20 working days after Thu 9 Oct: 10, 11, 13–17, 20–24, 27–31 Oct (17), 3, 4, 5 Nov.
  t.match(noticed.body, { status: 'awaiting_fee', feeDueDate: '2025-11-05', fee: { amount: '100.00', paidAt: null }, clock: { paused: true } })
  ctx.clock.set('2025-11-05T16:00:00Z')
  t.match((await call('GET', `/v1/applications/${receipt}`, null)).body, { status: 'closed', outcome: { group: 'other', reason: 'fee_unpaid' }, overdue: false })
  t.equal((await call('POST', `/v1/applications/${receipt}/fee/payment`, staff.editor, { paidAt: '2025-11-05T17:00:00Z' })).status, 409)
})

t.test('a fee paid in time: the clock runs again, the days waiting for payment not counted', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-10-13T03:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const call = caller(ctx)
  const receipt = await received(ctx, staff.editor)
  await call('POST', `/v1/applications/${receipt}/fee`, staff.editor, { amount: '35.50', noticedAt: '2025-10-09T02:00:00Z', dueDate: '2025-10-24' })
  const paid = await call('POST', `/v1/applications/${receipt}/fee/payment`, staff.editor, { paidAt: '2025-10-13T02:00:00Z' })
  // Excluded 10, 11, 13 Oct (3 working days): 30 Oct + 3 = 31 Oct, 3 Nov, 4 Nov.
  t.match(paid.body, { status: 'processing', replyDueAt: '2025-11-04T16:00:00.000Z', fee: { paidAt: '2025-10-13T02:00:00.000Z' } })
  t.equal((await call('POST', `/v1/applications/${receipt}/fee/payment`, staff.editor, { paidAt: '2025-10-13T02:00:00Z' })).status, 409)
})

t.test('the due/overdue list per department', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-10-27T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const other = await staffOf(ctx.app, 'finance')
  const call = caller(ctx)
  const due = await received(ctx, staff.editor) // due 30 Oct
  const overdue = await received(ctx, staff.editor, { receivedAt: '2025-09-19T02:00:00Z' })
  await received(ctx, staff.editor, { receivedAt: '2025-10-24T02:00:00Z' }) // due late November: not listed
  await received(ctx, other.editor, { departmentCode: 'finance', receivedAt: '2025-09-19T02:00:00Z' })
  const list = await call('GET', '/v1/application-deadlines?department=housing&withinDays=7', staff.reviewer)
  t.equal(list.status, 200)
  t.same(list.body.items.map((d: any) => [d.receipt, d.state]), [[overdue, 'overdue'], [due, 'due']])
  const own = await call('GET', '/v1/application-deadlines', other.editor)
  t.same(own.body.items.map((d: any) => d.departmentCode), ['finance'], 'staff see their own department by default')
  t.equal((await call('GET', '/v1/application-deadlines?department=housing', other.editor)).status, 403)
})
