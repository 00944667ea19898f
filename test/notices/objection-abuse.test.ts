// One address cannot shut the public out of objecting (issue 14, finding 10): the per-notice cap counts
// per address, many objections to one notice raise an alert instead of a block, and reviewers close
// obvious spam in bulk, audited.
import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'
import { publishedNotice, staffOf } from './builders.js'

t.test('many objections from many addresses raise an alert, not a block; one address is capped; spam is dismissed in bulk', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-26T02:00:00Z', captureLogs: true })
  const staff = await staffOf(ctx.app, 'housing')
  const id = await publishedNotice(ctx, staff)
  const object = (address: string, n: number) =>
    ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/objections`, remoteAddress: address, payload: { name: '赵强', contact: 'zq@example.com', reason: `第${n}条异议理由。`, channel: 'portal' } })
  for (let a = 1; a <= 7; a++) {
    for (let n = 0; n < 5; n++) t.equal((await object(`127.0.1.${a}`, n)).statusCode, 201, `address ${a}, objection ${n + 1}`)
  }
  t.equal((await object('127.0.2.1', 0)).statusCode, 201, 'a genuine objector is still heard after 35 objections in the hour')
  t.ok(ctx.logs.some((l) => l.includes('objection surge')), 'the surge is an alert in the log')

  const list = json(await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}/objections`, headers: bearer(staff.reviewer) })).items
  // Objections made in the same instant are ordered by receipt, which is random: group by address.
  const perAddress = new Map<string, number>()
  for (const o of list) perAddress.set(o.addressHash, (perAddress.get(o.addressHash) ?? 0) + 1)
  t.same([...perAddress.values()].sort(), [1, 5, 5, 5, 5, 5, 5, 5], 'one hash per address, the same for each of its objections')
  const spammer = [...perAddress].find(([, n]) => n === 5)![0]
  t.match(spammer, /^[0-9a-f]{64}$/)
  const dismiss = (token: string, payload: Record<string, unknown>) => ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/objections/dismiss`, headers: bearer(token), payload })
  t.equal((await dismiss(staff.editor, { addressHash: spammer, reply: '重复提交，作为无效信息处理。' })).statusCode, 403, 'reviewers only')
  t.equal((await dismiss(staff.reviewer, { reply: 'x' })).statusCode, 422, 'name what to dismiss')
  const done = await dismiss(staff.reviewer, { addressHash: spammer, reply: '重复提交，作为无效信息处理。' })
  t.equal(done.statusCode, 200)
  t.equal(json(done).dismissed.length, 5)
  const other = list.find((o: any) => o.addressHash !== spammer).receipt
  const byReceipt = await dismiss(staff.reviewer, { receipts: [other], reply: '无效信息。' })
  t.same(json(byReceipt).dismissed, [other])
  const counts = json(await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}` })).objections
  t.same(counts, { total: 36, open: 30, upheld: 0, rejected: 6 })
  const audit = json(await ctx.app.inject({ method: 'GET', url: '/v1/audit?action=objection.dismiss', headers: bearer((await userWith(ctx.app, 'auditor')).token) }))
  t.equal(audit.items.length, 2)
})

t.test('one address is capped per notice', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-26T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const id = await publishedNotice(ctx, staff)
  const object = (n: number) => ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/objections`, remoteAddress: '127.0.3.1', payload: { name: '赵强', contact: 'zq@example.com', reason: `第${n}条异议理由。`, channel: 'portal' } })
  for (let n = 0; n < 5; n++) t.equal((await object(n)).statusCode, 201)
  t.equal((await object(5)).statusCode, 429)
})
