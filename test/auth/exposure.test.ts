// What the public learns about staff and callers (issue 14 #6, #11, #18, #20): display names instead of
// login names, addresses that cannot be forged through X-Forwarded-For, tampered HTTP Basic credentials,
// and accounts and audit entries that stay within the caller's region.
import { sql } from 'drizzle-orm'
import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { createUser } from '../../src/modules/auth/accounts.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'
import { itemBody } from '../catalog/builders.js'

const fixture = (app: any, regionCode = '230202') => ({ actor: { type: 'system' as const, id: null, name: 'test fixture' }, requestId: null, regionCode, now: app.clock.now() })

async function person(app: any, username: string, displayName: string, role: 'editor' | 'reviewer', departmentCode: string) {
  const password = 'a sturdy test passphrase'
  await createUser(app.db, fixture(app), { username, displayName, password, grants: [{ role, departmentCode }], mustChangePassword: false })
  const res = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'password', username, password } })
  return json(res).access_token as string
}

t.test('the public sees display names, never login names; the audit log keeps the login', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await person(app, 'zhao.bianji', '赵编辑', 'editor', 'housing')
  const reviewer = await person(app, 'qian.shenhe', '钱审核', 'reviewer', 'housing')
  const post = json(await app.inject({ method: 'POST', url: '/v1/posts', headers: bearer(editor), payload: { departmentCode: 'housing', domainCode: 'affordable_housing', category: 'case', title: '公租房摇号全程公开' } }))
  for (const [action, tok] of [['submit', editor], ['approve', reviewer], ['publish', editor]] as const) {
    t.equal((await app.inject({ method: 'POST', url: `/v1/posts/${post.id}/${action}`, headers: bearer(tok), payload: {} })).statusCode, 200, action)
  }
  const published = await app.inject({ method: 'GET', url: `/v1/posts/${post.id}` })
  t.match(json(published).review, { author: '赵编辑', reviewer: '钱审核' })
  t.notMatch(published.body, /zhao\.bianji|qian\.shenhe/)

  const itemEditor = await person(app, 'sun.bianji', '孙编辑', 'editor', 'civil_affairs')
  t.equal((await app.inject({ method: 'POST', url: '/v1/items', headers: bearer(itemEditor), payload: itemBody() })).statusCode, 201)
  const history = await app.inject({ method: 'GET', url: '/v1/items/disaster_relief.recipients/history' })
  t.match(json(history).items, [{ actor: { name: '孙编辑' } }])
  t.notMatch(history.body, /sun\.bianji/)

  const admin = await userWith(app, 'admin', undefined, 'chief')
  const audit = json(await app.inject({ method: 'GET', url: '/v1/audit?targetType=post', headers: bearer(admin.token) }))
  t.ok(audit.items.some((e: any) => e.actorName === 'zhao.bianji'), 'the audit log names the login')
  const me = json(await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(editor) }))
  t.match(me, { name: 'zhao.bianji', displayName: '赵编辑' })
})

t.test('TRUST_PROXY takes a hop count or proxy addresses, never "true"', async (t) => {
  t.throws(() => loadConfig({ TRUST_PROXY: 'true' }), /^TRUST_PROXY: "true" would believe/)
  t.throws(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' }), /^TRUST_PROXY/)
  t.throws(() => loadConfig({ TRUST_PROXY: 'proxy.internal' }), /^TRUST_PROXY/)
  t.throws(() => loadConfig({ TRUST_PROXY: '11' }), /^TRUST_PROXY/)
  t.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false)
  t.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1)
  t.same(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.7,fd00::/8' }).trustProxy, ['10.0.0.0/8', '192.0.2.7', 'fd00::/8'])
})

t.test('a forged X-Forwarded-For does not get around the per-address limit', async (t) => {
  // Behind one load balancer (127.0.0.1, the inject socket): the client is the right-most forwarded address.
  for (const trustProxy of [1, ['127.0.0.1/32']] as const) {
    const { app } = await buildTestApp(t, { config: { trustProxy: trustProxy as any } })
    const statuses: number[] = []
    for (let i = 0; i < 21; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/auth/token',
        headers: { 'x-forwarded-for': `203.0.113.${i + 1}, 198.51.100.7` },
        payload: { grant_type: 'password', username: `nobody${i}`, password: 'x' },
      })
      statuses.push(res.statusCode)
    }
    t.equal(statuses[20], 429, `${JSON.stringify(trustProxy)}: a made-up left-most address changes nothing`)
    const other = await app.inject({ method: 'POST', url: '/v1/auth/token', headers: { 'x-forwarded-for': '198.51.100.8' }, payload: { grant_type: 'password', username: 'nobody', password: 'x' } })
    t.equal(other.statusCode, 401, 'another client behind the same proxy has its own limit')
  }
})

t.test('a stray % in HTTP Basic client credentials is a 401 problem, not a 500', async (t) => {
  const { app } = await buildTestApp(t)
  for (const pair of ['gkc_abc%:secret', 'gkc_abc:sec%zzret', '%E0%A4%A:x']) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      headers: { authorization: `Basic ${Buffer.from(pair).toString('base64')}` },
      payload: { grant_type: 'client_credentials' },
    })
    t.equal(res.statusCode, 401, pair)
    t.match(res.headers['content-type'], /application\/problem\+json/)
  }
})

t.test('users, clients and audit entries of another region do not exist for the caller', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await userWith(app, 'admin', undefined, 'chief')
  await app.db.execute(sql`insert into regions (code, name_zh, name_en) values ('230203', '建华区', 'Jianhua District') on conflict do nothing`)
  await createUser(app.db, fixture(app, '230203'), { username: 'jianhua.admin', displayName: '建华管理员', password: 'a sturdy test passphrase', grants: [{ role: 'admin' }], mustChangePassword: false })
  const other = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'password', username: 'jianhua.admin', password: 'a sturdy test passphrase' } })
  const otherToken = json(other).access_token
  const client = json(await app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(otherToken), payload: { name: '建华脚本', scopes: ['items:write'] } })).client
  const get = (url: string) => app.inject({ method: 'GET', url, headers: bearer(admin.token) })
  t.equal((await get('/v1/users/jianhua.admin')).statusCode, 404)
  t.notMatch((await get('/v1/users')).body, /jianhua/)
  t.equal((await get(`/v1/clients/${client.clientId}`)).statusCode, 404)
  t.notMatch((await get('/v1/clients')).body, new RegExp(client.clientId))
  t.equal((await app.inject({ method: 'POST', url: '/v1/users/jianhua.admin/password-reset', headers: bearer(admin.token) })).statusCode, 404, 'nor can it be changed')
  t.notMatch((await get('/v1/audit?limit=200')).body, /jianhua|230203/)
  t.match((await app.inject({ method: 'GET', url: '/v1/audit?limit=200', headers: bearer(otherToken) })).body, /client\.create/, 'the other region reads its own')
})
