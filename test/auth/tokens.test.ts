import { createHmac } from 'node:crypto'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, clientWith, testPassword, userWith } from '../helpers/auth.js'

const secret = 'test-secret-0123456789-abcdefghijklmnop'

const token = (app: any, payload: Record<string, string>) =>
  app.inject({ method: 'POST', url: '/v1/auth/token', payload })

t.test('a staff user signs in with a password and the token identifies them', async (t) => {
  const { app } = await buildTestApp(t)
  const user = await userWith(app, 'editor', 'civil_affairs', 'zhang.min')
  const res = await token(app, { grant_type: 'password', username: 'zhang.min', password: testPassword })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store')
  const body = json(res)
  t.match(body, { token_type: 'Bearer', expires_in: 900, refresh_token: /^gkr_/ })
  t.equal(body.scope, 'applications:write items:write notices:write posts:write reports:write')
  const me = await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(body.access_token) })
  t.equal(me.statusCode, 200)
  t.match(json(me), { type: 'user', id: user.id, name: 'zhang.min', regionCode: '230202', grants: [{ role: 'editor', departmentCode: 'civil_affairs' }], mustChangePassword: false })
})

t.test('a wrong password and an unknown user get the same 401 problem', async (t) => {
  const { app } = await buildTestApp(t)
  await userWith(app, 'editor', 'civil_affairs', 'zhang.min')
  const wrong = await token(app, { grant_type: 'password', username: 'zhang.min', password: 'not the password' })
  const unknown = await token(app, { grant_type: 'password', username: 'nobody', password: 'whatever' })
  t.equal(wrong.statusCode, 401)
  t.equal(unknown.statusCode, 401)
  t.equal(json(wrong).detail, json(unknown).detail)
  t.equal(json(wrong).type, '/problems/unauthorized')
})

t.test('a grant without its fields is a 400 naming them', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await token(app, { grant_type: 'password', username: 'x' })
  t.equal(res.statusCode, 400)
  t.same(json(res).errors, [{ pointer: '/body/password', message: 'is required for grant_type password' }])
})

t.test('five failed sign-ins from one address make the next try from there wait: 429 with Retry-After, even with the right password', async (t) => {
  const { app, clock } = await buildTestApp(t)
  await userWith(app, 'editor', 'civil_affairs', 'zhang.min')
  for (let i = 0; i < 5; i++) t.equal((await token(app, { grant_type: 'password', username: 'zhang.min', password: `wrong ${i}` })).statusCode, 401)
  const waiting = await token(app, { grant_type: 'password', username: 'zhang.min', password: testPassword })
  t.equal(waiting.statusCode, 429)
  t.equal(json(waiting).type, '/problems/too-many-requests')
  t.equal(waiting.headers['retry-after'], '30')
  clock.advance(31_000)
  t.equal((await token(app, { grant_type: 'password', username: 'zhang.min', password: testPassword })).statusCode, 200, 'signs in once the wait is over')
})

t.test('the token endpoint is rate-limited per address', async (t) => {
  const { app } = await buildTestApp(t)
  const statuses: number[] = []
  for (let i = 0; i < 21; i++) statuses.push((await token(app, { grant_type: 'password', username: `nobody${i}`, password: 'x' })).statusCode)
  t.same(statuses.slice(0, 20), Array(20).fill(401))
  t.equal(statuses[20], 429)
  const limited = await token(app, { grant_type: 'password', username: 'nobody', password: 'x' })
  t.equal(json(limited).type, '/problems/too-many-requests')
  t.ok(Number(limited.headers['retry-after']) > 0)
})

t.test('a script gets a token with client credentials, in JSON, form-encoded or HTTP Basic', async (t) => {
  const { app } = await buildTestApp(t)
  const client = await clientWith(app, ['items:write'], 'civil_affairs')
  const asJson = await token(app, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret })
  t.equal(asJson.statusCode, 200)
  t.equal(json(asJson).scope, 'items:write')
  t.notOk(json(asJson).refresh_token, 'clients get no refresh token')
  const form = await app.inject({
    method: 'POST',
    url: '/v1/auth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).toString(),
  })
  t.equal(form.statusCode, 200)
  const basic = await app.inject({
    method: 'POST',
    url: '/v1/auth/token',
    headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}` },
    payload: { grant_type: 'client_credentials' },
  })
  t.equal(basic.statusCode, 200)
  const me = json(await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(json(basic).access_token) }))
  t.match(me, { type: 'client', name: client.clientId, grants: [{ role: 'editor', departmentCode: 'civil_affairs' }], scopes: ['items:write'] })
  const wrong = await token(app, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'gks_wrong' })
  t.equal(wrong.statusCode, 401)
})

t.test('refresh tokens rotate; reusing an old one revokes the whole family', async (t) => {
  const { app } = await buildTestApp(t)
  const user = await userWith(app, 'reviewer', 'housing')
  const first = await token(app, { grant_type: 'refresh_token', refresh_token: user.refreshToken })
  t.equal(first.statusCode, 200)
  const second = json(first).refresh_token
  t.not(second, user.refreshToken)
  const replay = await token(app, { grant_type: 'refresh_token', refresh_token: user.refreshToken })
  t.equal(replay.statusCode, 401)
  t.match(json(replay).detail, /already used/)
  const afterReuse = await token(app, { grant_type: 'refresh_token', refresh_token: second })
  t.equal(afterReuse.statusCode, 401, 'the newer token of the same family is revoked too')
})

t.test('revoking a refresh token ends its session; unknown tokens answer the same', async (t) => {
  const { app } = await buildTestApp(t)
  const user = await userWith(app, 'editor')
  t.equal((await app.inject({ method: 'POST', url: '/v1/auth/revoke', payload: { token: user.refreshToken } })).statusCode, 204)
  t.equal((await app.inject({ method: 'POST', url: '/v1/auth/revoke', payload: { token: 'gkr_unknown' } })).statusCode, 204)
  t.equal((await token(app, { grant_type: 'refresh_token', refresh_token: user.refreshToken })).statusCode, 401)
})

function sign(header: object, payload: object, key: string | null) {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const data = `${enc(header)}.${enc(payload)}`
  if (key === null) return `${data}.`
  const alg = (header as any).alg === 'HS512' ? 'sha512' : 'sha256'
  return `${data}.${createHmac(alg, key).update(data).digest('base64url')}`
}

t.test('expired, tampered, wrong-algorithm and alg:none tokens are refused with 401', async (t) => {
  const { app } = await buildTestApp(t, { config: { jwtSecret: secret } })
  const user = await userWith(app, 'admin')
  const [h, p] = user.token.split('.')
  const header = JSON.parse(Buffer.from(h!, 'base64url').toString())
  const payload = JSON.parse(Buffer.from(p!, 'base64url').toString())
  t.equal(header.alg, 'HS256')
  const now = Math.floor(Date.now() / 1000)
  const cases: Record<string, string> = {
    expired: sign(header, { ...payload, iat: now - 3600, exp: now - 1800 }, secret),
    tampered: `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: '00000000-0000-0000-0000-000000000000' })).toString('base64url')}.${user.token.split('.')[2]}`,
    'wrong algorithm': sign({ ...header, alg: 'HS512' }, payload, secret),
    'alg none': sign({ alg: 'none', typ: 'JWT', kid: header.kid }, payload, null),
    'other key': sign(header, payload, 'another-secret-0123456789-abcdefghijk'),
    garbage: 'not.a.token',
  }
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(sign(header, payload, secret)) })).statusCode, 200, 'a correctly re-signed token works (the control)')
  for (const [name, bad] of Object.entries(cases)) {
    const res = await app.inject({ method: 'GET', url: '/v1/users', headers: bearer(bad) })
    t.equal(res.statusCode, 401, name)
    t.equal(json(res).type, '/problems/unauthorized', name)
    t.match(res.headers['www-authenticate'], /^Bearer/, name)
  }
})

t.test('a token signed with the previous key still verifies during a rotation', async (t) => {
  const { app: old } = await buildTestApp(t, { config: { jwtSecret: secret } })
  const user = await userWith(old, 'admin', undefined, 'rotating.admin')
  // A second instance on the same database, with the key rotated: JWT_SECRET new, JWT_PREVIOUS_SECRET old.
  const shared = { ...old.database, close: async () => {} }
  const rotated = await buildApp({ ...old.config, jwtSecret: 'brand-new-secret-0123456789-abcdefgh', jwtPreviousSecret: secret }, { database: shared })
  t.teardown(() => rotated.close())
  const res = await rotated.inject({ method: 'GET', url: '/v1/me', headers: bearer(user.token) })
  t.equal(res.statusCode, 200, 'the old token verifies with the previous key')
  t.equal(json(res).name, 'rotating.admin')
  const newToken = json(await rotated.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'password', username: 'rotating.admin', password: testPassword } })).access_token
  t.not(JSON.parse(Buffer.from(newToken.split('.')[0], 'base64url').toString()).kid, JSON.parse(Buffer.from(user.token.split('.')[0]!, 'base64url').toString()).kid, 'new tokens carry the new key id')
  const dropped = await buildApp({ ...old.config, jwtSecret: 'brand-new-secret-0123456789-abcdefgh', jwtPreviousSecret: null }, { database: shared })
  t.teardown(() => dropped.close())
  t.equal((await dropped.inject({ method: 'GET', url: '/v1/me', headers: bearer(user.token) })).statusCode, 401, 'once the previous key is dropped, old tokens fail')
  t.equal((await dropped.inject({ method: 'GET', url: '/v1/me', headers: bearer(newToken) })).statusCode, 200)
})

t.test('disabling a user ends their access at once', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await userWith(app, 'admin')
  const editor = await userWith(app, 'editor', 'civil_affairs', 'leaving.editor')
  const user = json(await app.inject({ method: 'GET', url: '/v1/users/leaving.editor', headers: bearer(admin.token) }))
  t.equal(user.disabled, false)
  const etag = (await app.inject({ method: 'GET', url: '/v1/users/leaving.editor', headers: bearer(admin.token) })).headers.etag
  const off = await app.inject({ method: 'PATCH', url: '/v1/users/leaving.editor', headers: { ...bearer(admin.token), 'if-match': String(etag) }, payload: { disabled: true } })
  t.equal(off.statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(editor.token) })).statusCode, 401)
  t.equal((await token(app, { grant_type: 'refresh_token', refresh_token: editor.refreshToken })).statusCode, 401)
})
