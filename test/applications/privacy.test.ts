// The public form and the status view carry no personal data; staff see the applicant masked; raw
// data needs read:private on the department and every such read is audited.
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'
import { applicant, applicationBody, caller, received, staffOf } from './builders.js'

t.test('the public form: received now, answered with the status view only', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-26T02:00:00Z' })
  const call = caller(ctx)
  const filed = await call('POST', '/v1/applications', null, { departmentCode: 'housing', channel: 'wechat', applicant, request: '申请公开住房租赁补贴标准。' })
  t.equal(filed.status, 201)
  t.match(filed.body, { status: 'processing', receivedAt: '2025-09-26T02:00:00.000Z', replyDueAt: '2025-10-30T16:00:00.000Z', daysLeft: 34 })
  t.equal(filed.headers.location, `/v1/applications/${filed.body.receipt}`)
  for (const key of ['applicant', 'request', 'description', 'receiptEvidence']) t.notOk(key in filed.body, `no ${key}`)
  const text = JSON.stringify((await call('GET', `/v1/applications/${filed.body.receipt}`, null)).body)
  for (const value of [applicant.name, applicant.phone, applicant.idNumber, '新政社区', '住房租赁补贴标准']) t.notOk(text.includes(value), `the status view does not contain ${value}`)
  t.equal((await call('POST', '/v1/applications', null, { departmentCode: 'housing', channel: 'post', applicant, request: 'x' })).status, 422, 'the public form is online only')
  t.equal((await call('POST', '/v1/applications', null, { departmentCode: 'housing', channel: 'portal', receivedAt: '2025-09-01T00:00:00Z', applicant, request: 'x' })).status, 422, 'the public cannot backdate')
  t.equal((await call('POST', '/v1/applications', null, { departmentCode: 'nowhere', channel: 'portal', applicant, request: 'x' })).status, 422)
  t.equal((await call('GET', '/v1/applications/YSQ2025-AAAA-BBBB', null)).status, 404)
})

t.test('the public form is rate-limited per address; staff entry is not', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-26T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const call = caller(ctx)
  const statuses: number[] = []
  for (let i = 0; i < 6; i++) statuses.push((await call('POST', '/v1/applications', null, { departmentCode: 'housing', channel: 'portal', applicant, request: `第${i}次` })).status)
  t.same(statuses, [201, 201, 201, 201, 201, 429])
  for (let i = 0; i < 6; i++) await received(ctx, staff.editor)
  t.pass('six staff entries from the same address')
})

t.test('staff see the applicant masked, raw data with read:private (audited), other departments the status view', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-26T02:30:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const call = caller(ctx)
  const receipt = await received(ctx, staff.editor)
  const masked = (await call('GET', `/v1/applications/${receipt}`, staff.editor)).body
  t.same(masked.applicant, { type: 'natural_person', name: '赵*强', idNumber: '23*************238', phone: '138****5678', address: '龙沙区五龙街道' })
  t.equal(masked.request, applicationBody().request)
  t.equal((await call('GET', `/v1/applications/${receipt}?raw=true`, staff.editor)).status, 403, 'an editor holds no read:private')
  const raw = await call('GET', `/v1/applications/${receipt}?raw=true`, staff.reviewer)
  t.equal(raw.status, 200)
  t.same(raw.body.applicant, applicant)
  const admin = await userWith(ctx.app, 'admin')
  const audit = await ctx.app.inject({ method: 'GET', url: '/v1/audit?action=application.raw_read', headers: bearer(admin.token) })
  t.ok(audit.body.includes(receipt), 'the raw read is in the audit log')
  const outsider = await staffOf(ctx.app, 'finance')
  const seen = (await call('GET', `/v1/applications/${receipt}`, outsider.reviewer)).body
  t.notOk('applicant' in seen, 'staff of another department get the status view')
  t.equal((await call('GET', `/v1/applications/${receipt}?raw=true`, outsider.reviewer)).status, 403)
  t.equal((await call('POST', '/v1/applications', outsider.editor, applicationBody())).status, 403, 'staff enter only for their department')
  t.equal((await call('POST', '/v1/applications', staff.editor, applicationBody({ receivedAt: undefined }))).status, 422, 'staff give the date of receipt')
  t.equal((await call('POST', '/v1/applications', staff.editor, applicationBody({ receivedAt: '2025-09-27T02:00:00Z' }))).status, 422, 'not in the future')
  const org = (await call('GET', `/v1/applications/${await received(ctx, staff.editor, { applicant: { type: 'legal_service', name: '黑龙江某律师事务所' } })}`, staff.editor)).body
  t.equal(org.applicant.name, '黑龙江某律师事务所', "an organisation's name is not masked")
})

t.test('the staff list: own department, status filter, cursor pages', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-10-09T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const call = caller(ctx)
  const receipts = [await received(ctx, staff.editor, { receivedAt: '2025-09-22T02:00:00Z' }), await received(ctx, staff.editor, { receivedAt: '2025-09-23T02:00:00Z' }), await received(ctx, staff.editor, { receivedAt: '2025-09-24T02:00:00Z' })]
  await call('POST', `/v1/applications/${receipts[1]}/fee`, staff.editor, { amount: '10', noticedAt: '2025-10-09T01:00:00Z' })
  const first = (await call('GET', '/v1/applications?limit=2', staff.editor)).body
  t.same(first.items.map((a: any) => a.receipt), receipts.slice(0, 2))
  const second = (await call('GET', `/v1/applications?limit=2&cursor=${first.nextCursor}`, staff.editor)).body
  t.same(second.items.map((a: any) => a.receipt), receipts.slice(2))
  t.equal(second.nextCursor, null)
  const fee = (await call('GET', '/v1/applications?status=awaiting_fee&limit=1', staff.editor)).body
  t.same(fee.items.map((a: any) => a.receipt), [receipts[1]])
  // A derived status is filtered after reading, so a full page may be followed by an empty one.
  const rest = (await call('GET', `/v1/applications?status=awaiting_fee&limit=1&cursor=${fee.nextCursor}`, staff.editor)).body
  t.same(rest, { items: [], nextCursor: null })
  t.equal((await call('GET', '/v1/applications?cursor=bogus', staff.editor)).status, 400)
  t.equal((await call('GET', '/v1/applications?department=housing', (await staffOf(ctx.app, 'finance')).editor)).status, 403)
})

t.test('staff entry retried with the same Idempotency-Key records one application', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-26T02:30:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const call = caller(ctx)
  const key = { 'idempotency-key': '3f1c2a9e-0d5b-4c1e-9f7a-6b2d8e4c1a07' }
  const first = await call('POST', '/v1/applications', staff.editor, applicationBody(), key)
  const retry = await call('POST', '/v1/applications', staff.editor, applicationBody(), key)
  t.equal(first.status, 201)
  t.equal(retry.status, 201)
  t.equal(retry.headers['idempotent-replayed'], 'true')
  t.equal(retry.body.receipt, first.body.receipt)
  t.equal(retry.headers.location, `/v1/applications/${first.body.receipt}`)
  t.equal((await call('POST', '/v1/applications', staff.editor, applicationBody({ request: '另一件事。' }), key)).status, 422, 'the same key for another request')
  t.equal((await call('GET', '/v1/applications', staff.editor)).body.items.length, 1)
})
