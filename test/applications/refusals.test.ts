// What the clock actions refuse, each with the problem that says why.
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { clientWith } from '../helpers/auth.js'
import { caller, received, staffOf } from './builders.js'

t.test('clock actions out of order or with impossible dates are refused', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-10-09T03:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const call = caller(ctx)
  const receipt = await received(ctx, staff.editor)
  const post = (path: string, body: unknown, token = staff.editor) => call('POST', `/v1/applications/${receipt}/${path}`, token, body)
  const statusOf = async (path: string, body: unknown, token?: string) => (await post(path, body, token)).status

  t.equal(await statusOf('correction', { receivedAt: '2025-10-09T01:00:00Z' }), 409, 'no correction was asked for')
  t.equal(await statusOf('extension/approve', {}), 403, 'an editor cannot approve')
  t.equal(await statusOf('extension/approve', {}, staff.reviewer), 409, 'no extension was asked for')
  t.equal(await statusOf('fee/payment', { paidAt: '2025-10-09T01:00:00Z' }), 409, 'no fee notice')
  t.equal(await statusOf('reply/submit', {}), 409, 'no reply yet')
  t.equal(await statusOf('consultations', { consultee: 'x', consulteeKind: 'agency', sentAt: '2025-10-10T01:00:00Z' }), 422, 'a letter in the future')
  t.equal(await statusOf('consultations', { consultee: 'x', consulteeKind: 'agency', sentAt: '2025-09-25T01:00:00Z' }), 422, 'a letter before the application')
  t.equal(await statusOf('fee', { amount: '10', noticedAt: '2025-10-09T01:00:00Z', dueDate: '2025-10-09' }), 422, 'a payment deadline on the day of the notice')
  t.equal(await statusOf('correction-request', { items: 'x', dueDate: '2025-10-09' }), 422, 'a correction deadline today')

  await post('consultations', { consultee: '某公司', consulteeKind: 'third_party', sentAt: '2025-10-09T01:00:00Z' })
  t.equal(await statusOf('consultations/1/answer', { answeredAt: '2025-10-08T01:00:00Z', answer: 'x' }), 422, 'an answer before the letter')
  await post('fee', { amount: '10', noticedAt: '2025-10-09T01:00:00Z' })
  t.equal(await statusOf('fee', { amount: '10', noticedAt: '2025-10-09T01:00:00Z' }), 409, 'one fee notice')
  t.equal(await statusOf('fee/payment', { paidAt: '2025-10-08T01:00:00Z' }), 422, 'paid before the notice')

  await post('extension', { days: 5, reason: '需要调阅档案。' })
  const client = await clientWith(ctx.app, ['applications:write'], 'housing')
  t.equal(await statusOf('extension/approve', {}, client.token), 403, 'an API client cannot approve')

  const other = await received(ctx, staff.editor)
  const o = (path: string, body: unknown, token = staff.editor) => call('POST', `/v1/applications/${other}/${path}`, token, body)
  await o('correction-request', { items: '请明确。', dueDate: '2025-10-20' })
  t.equal((await o('extension', { days: 5, reason: 'x' })).status, 409, 'no extension while the correction is awaited')
  t.equal((await o('consultations', { consultee: 'x', consulteeKind: 'agency', sentAt: '2025-10-09T01:00:00Z' })).status, 409)
  t.equal((await o('correction', { receivedAt: '2025-10-09T02:00:00Z' })).status, 422, 'before the request for it')
  t.equal((await o('correction', { receivedAt: '2025-10-10T02:00:00Z' })).status, 422, 'in the future')
  t.equal((await o('correction', { receivedAt: '2025-10-09T03:00:00Z' })).status, 200)
  t.equal((await o('correction', { receivedAt: '2025-10-09T03:00:00Z' })).status, 409, 'received once')
  t.equal((await call('GET', `/v1/applications/${other}?raw=true`, null)).status, 403, 'no raw data for the public')
})
