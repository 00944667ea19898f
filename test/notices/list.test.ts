// The lists the portal, the E-Net app and WeChat read: notices in publicity, newest change first, with
// each notice's objection counts, filtered by domain or department, paged by cursor.
import t from 'tap'
import { buildTestApp, json, type TestApp } from '../helpers/app.js'
import { createUser } from '../../src/modules/auth/accounts.js'
import { passwordGrant } from '../../src/modules/auth/tokens.js'
import { bearer, clientWith, testPassword, tokenFor } from '../helpers/auth.js'
import { noticeBody, publishedNotice, staffOf } from './builders.js'

/** A signed-in user holding no grant at all. */
async function grantless({ app }: TestApp) {
  const ctx = { actor: { type: 'system' as const, id: null, name: 'test fixture' }, requestId: null, regionCode: app.config.defaultRegion, now: app.clock.now() }
  await createUser(app.db, ctx, { username: 'no.grants', displayName: 'no.grants', password: testPassword, grants: [], mustChangePassword: false })
  return (await passwordGrant({ db: app.db, signer: app.tokenSigner, clock: app.clock, config: app.config }, ctx, 'no.grants', testPassword)).access_token
}

async function threeNotices(ctx: TestApp) {
  const housing = await staffOf(ctx.app, 'housing')
  const civil = await staffOf(ctx.app, 'civil_affairs')
  const first = await publishedNotice(ctx, housing, { title: '第一批' })
  ctx.clock.advance(60_000)
  const second = await publishedNotice(ctx, civil, { departmentCode: 'civil_affairs', domainCode: 'disaster_relief', kind: 'relief_recipients', title: '第二批' })
  ctx.clock.advance(60_000)
  const third = await publishedNotice(ctx, housing, { title: '第三批' })
  ctx.clock.advance(60_000)
  for (const reason of ['名单有误，请核实。', '收入情况不符。']) {
    const res = await ctx.app.inject({ method: 'POST', url: `/v1/notices/${second}/objections`, payload: { name: '赵强', contact: 'zq@example.com', reason, channel: 'portal' } })
    t.equal(res.statusCode, 201, res.body)
  }
  return { first, second, third, housing }
}

t.test('the public list of notices in publicity shows each one’s objection counts, newest change first', async (t) => {
  const ctx = await buildTestApp(t)
  const { first, second, third } = await threeNotices(ctx)
  const list = json(await ctx.app.inject({ method: 'GET', url: '/v1/notices?status=in_publicity' }))
  t.same(list.items.map((n: { id: string }) => n.id), [third, second, first])
  t.same(list.items.map((n: { objections: unknown }) => n.objections), [
    { total: 0, open: 0, upheld: 0, rejected: 0 },
    { total: 2, open: 2, upheld: 0, rejected: 0 },
    { total: 0, open: 0, upheld: 0, rejected: 0 },
  ])
  t.ok(list.items.every((n: { status: string }) => n.status === 'in_publicity'))
  t.notOk('body' in list.items[0], 'the list view leaves out the body and the list')
})

t.test('a list pages by cursor and filters by domain and department, the same for staff', async (t) => {
  const ctx = await buildTestApp(t)
  const { first, second, third, housing } = await threeNotices(ctx)
  const page1 = json(await ctx.app.inject({ method: 'GET', url: '/v1/notices?status=in_publicity&limit=2' }))
  t.same(page1.items.map((n: { id: string }) => n.id), [third, second])
  const page2 = json(await ctx.app.inject({ method: 'GET', url: `/v1/notices?status=in_publicity&limit=2&cursor=${page1.nextCursor}` }))
  t.same(page2.items.map((n: { id: string }) => n.id), [first])
  t.equal(page2.nextCursor, null)
  const byDomain = json(await ctx.app.inject({ method: 'GET', url: '/v1/notices?status=in_publicity&domain=disaster_relief' }))
  t.same(byDomain.items.map((n: { id: string }) => n.id), [second])
  t.same(byDomain.items[0].objections, { total: 2, open: 2, upheld: 0, rejected: 0 })
  const byDepartment = json(await ctx.app.inject({ method: 'GET', url: '/v1/notices?status=in_publicity&department=housing&limit=1' }))
  t.same(byDepartment.items.map((n: { id: string }) => n.id), [third])
  const next = json(await ctx.app.inject({ method: 'GET', url: `/v1/notices?status=in_publicity&department=housing&limit=1&cursor=${byDepartment.nextCursor}` }))
  t.same(next.items.map((n: { id: string }) => n.id), [first])
  // An editor's list (their department's drafts too) is built differently; the counts are the same.
  const staffList = json(await ctx.app.inject({ method: 'GET', url: '/v1/notices?status=in_publicity', headers: bearer(housing.editor) }))
  t.same(staffList.items.map((n: { objections: { total: number } }) => n.objections.total), [0, 2, 0])
})

t.test('staff ask for drafts by status: an admin, a region-wide client and a department editor alike', async (t) => {
  const ctx = await buildTestApp(t)
  const housing = await staffOf(ctx.app, 'housing')
  const draft = json(await ctx.app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(housing.editor), payload: noticeBody({ title: '草稿' }) })).id
  const published = await publishedNotice(ctx, housing)
  const admin = await tokenFor(ctx.app, 'admin')
  const client = await clientWith(ctx.app, ['notices:write'])
  // Someone signed in without any grant sees what the public sees — and asking first must not make
  // the admins' list of the same shape the public one (prepared statements are shared per shape).
  const nobody = await grantless(ctx)
  t.same(json(await ctx.app.inject({ method: 'GET', url: '/v1/notices?status=draft', headers: bearer(nobody) })).items, [], 'no grant, no drafts')
  for (const [who, token] of [['an admin', admin], ['a region-wide client', client.token], ['the department editor', housing.editor]] as const) {
    for (let round = 0; round < 2; round++) {
      const list = json(await ctx.app.inject({ method: 'GET', url: '/v1/notices?status=draft', headers: bearer(token) }))
      t.same(list.items.map((n: { id: string }) => n.id), [draft], `${who} (round ${round + 1})`)
    }
  }
  t.same(json(await ctx.app.inject({ method: 'GET', url: '/v1/notices?status=draft' })).items, [], 'the public sees no drafts')
  t.same(json(await ctx.app.inject({ method: 'GET', url: '/v1/notices?status=draft', headers: bearer(nobody) })).items, [], 'nor, after the admins asked, someone without a grant')
  t.same(json(await ctx.app.inject({ method: 'GET', url: '/v1/notices?status=in_publicity', headers: bearer(admin) })).items.map((n: { id: string }) => n.id), [published])
})

t.test('an empty filter after a filled one of the same name filters nothing (found by the fuzzer: a 500)', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await tokenFor(app, 'admin')
  for (const url of ['/v1/notices?domain=housing', '/v1/notices?domain=', '/v1/notices?department=housing', '/v1/notices?department=']) {
    t.equal((await app.inject({ method: 'GET', url, headers: bearer(admin) })).statusCode, 200, url)
  }
})
