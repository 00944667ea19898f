// Review decisions of procedures with a deadline (rental subsidy: REVIEW_15D) cannot be back-dated into
// time, future-dated or re-recorded: recorded once, not in the future, with the entry time kept;
// corrections by a reviewer with a reason, audited.
import t from 'tap'
import { buildTestApp, json, type TestApp } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'
import { staffOf } from './builders.js'

async function reviewCase(ctx: TestApp, editor: string) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/notices',
    headers: bearer(editor),
    payload: { departmentCode: 'housing', domainCode: 'affordable_housing', kind: 'decision', title: '住房租赁补贴复审', ruleCode: 'PUBLICITY_7D', channels: ['portal'], materialsReceivedAt: '2025-09-10T02:00:00Z' },
  })
  return json(res).id as string
}
const decide = (ctx: TestApp, id: string, token: string, payload: Record<string, unknown>) => ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/decision`, headers: bearer(token), payload })

t.test('a decision in the future is refused', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-20T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const id = await reviewCase(ctx, staff.editor)
  const res = await decide(ctx, id, staff.editor, { decidedAt: '2025-09-24T02:00:00Z' })
  t.equal(res.statusCode, 422)
  t.same(json(res).errors.map((e: any) => e.pointer), ['/body/decidedAt'])
})

t.test('a decision is recorded once with its entry time; re-recording it is refused', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-28T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const id = await reviewCase(ctx, staff.editor)
  const first = await decide(ctx, id, staff.editor, { decidedAt: '2025-09-27T02:00:00Z' })
  t.equal(first.statusCode, 200)
  t.match(json(first), { decidedAt: '2025-09-27T02:00:00.000Z', decisionRecordedAt: '2025-09-28T02:00:00.000Z', decisionOverdue: true })
  const again = await decide(ctx, id, staff.editor, { decidedAt: '2025-09-20T02:00:00Z' })
  t.equal(again.statusCode, 409, 'an overdue decision cannot be re-recorded as a met one')
  t.match(json(again).detail, /recorded at 2025-09-28T02:00:00.000Z/)
  t.equal((await decide(ctx, id, staff.editor, { decidedAt: '2025-09-20T02:00:00Z', reason: '笔误' })).statusCode, 403, 'an editor does not correct it, even with a reason')
})

t.test('a reviewer corrects a decision with a reason; the entry time stays and the old value is audited', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-28T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const id = await reviewCase(ctx, staff.editor)
  await decide(ctx, id, staff.editor, { decidedAt: '2025-09-27T02:00:00Z' })
  ctx.clock.set('2025-09-29T02:00:00Z')
  const corrected = await decide(ctx, id, staff.reviewer, { decidedAt: '2025-09-25T02:00:00Z', reason: '按复审会议纪要更正决定日期。' })
  t.equal(corrected.statusCode, 200)
  t.match(json(corrected), { decidedAt: '2025-09-25T02:00:00.000Z', decisionRecordedAt: '2025-09-28T02:00:00.000Z' })
  const auditor = await userWith(ctx.app, 'auditor')
  const audit = json(await ctx.app.inject({ method: 'GET', url: '/v1/audit?action=notice.decision.correct', headers: bearer(auditor.token) }))
  t.match(audit.items, [{ targetId: id, details: { from: '2025-09-27T02:00:00.000Z', to: '2025-09-25T02:00:00.000Z', reason: '按复审会议纪要更正决定日期。' } }])
})

t.test('attachment links are http(s) only', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'housing')
  const attachment = (url: string) => ({ name: '名单.pdf', mediaType: 'application/pdf', size: 1024, sha256: 'a'.repeat(64), url })
  for (const url of ['javascript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'vbscript:msgbox(1)', 'file:///etc/passwd']) {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/notices',
      headers: bearer(staff.editor),
      payload: { departmentCode: 'housing', domainCode: 'affordable_housing', kind: 'announcement', title: '公告', ruleCode: 'PUBLICITY_7D', channels: ['portal'], attachments: [attachment(url)] },
    })
    t.equal(res.statusCode, 400, url)
  }
  const ok = await ctx.app.inject({
    method: 'POST',
    url: '/v1/notices',
    headers: bearer(staff.editor),
    payload: { departmentCode: 'housing', domainCode: 'affordable_housing', kind: 'announcement', title: '公告', ruleCode: 'PUBLICITY_7D', channels: ['portal'], attachments: [attachment('https://www.longsha.gov.cn/files/list.pdf')] },
  })
  t.equal(ok.statusCode, 201)
})
