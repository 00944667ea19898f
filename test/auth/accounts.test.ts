import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, clientWith, userWith } from '../helpers/auth.js'

const token = (app: any, payload: Record<string, string>) => app.inject({ method: 'POST', url: '/v1/auth/token', payload })

t.test('an admin creates a user with a one-time password, shown once; the user must change it first', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await userWith(app, 'admin')
  const created = await app.inject({
    method: 'POST',
    url: '/v1/users',
    headers: bearer(admin.token),
    payload: { username: 'wang.fang', displayName: '王芳', grants: [{ role: 'editor', departmentCode: 'housing' }] },
  })
  t.equal(created.statusCode, 201)
  t.equal(created.headers.location, '/v1/users/wang.fang')
  const { user, oneTimePassword } = json(created)
  t.match(oneTimePassword, /^[A-Za-z0-9]{20}$/)
  t.match(user, { username: 'wang.fang', mustChangePassword: true, grants: [{ role: 'editor', departmentCode: 'housing' }] })
  t.notMatch(JSON.stringify(json(await app.inject({ method: 'GET', url: '/v1/users/wang.fang', headers: bearer(admin.token) }))), oneTimePassword, 'never shown again')

  const signIn = json(await token(app, { grant_type: 'password', username: 'wang.fang', password: oneTimePassword }))
  const blocked = await app.inject({ method: 'GET', url: '/v1/users', headers: bearer(signIn.access_token) })
  t.equal(blocked.statusCode, 403)
  t.match(json(blocked).detail, /one-time password/)
  const me = json(await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(signIn.access_token) }))
  t.equal(me.mustChangePassword, true)
  const weak = await app.inject({ method: 'POST', url: '/v1/me/password', headers: bearer(signIn.access_token), payload: { currentPassword: oneTimePassword, newPassword: 'short' } })
  t.equal(weak.statusCode, 422)
  t.equal(json(weak).errors[0].pointer, '/body/newPassword')
  const changed = await app.inject({ method: 'POST', url: '/v1/me/password', headers: bearer(signIn.access_token), payload: { currentPassword: oneTimePassword, newPassword: 'a sturdy new passphrase' } })
  t.equal(changed.statusCode, 204)
  t.equal((await token(app, { grant_type: 'password', username: 'wang.fang', password: oneTimePassword })).statusCode, 401, 'the one-time password is gone')
  t.equal((await token(app, { grant_type: 'password', username: 'wang.fang', password: 'a sturdy new passphrase' })).statusCode, 200)
})

t.test('usernames are unique, and grants are checked against their role', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await userWith(app, 'admin', undefined, 'chief')
  const dup = await app.inject({ method: 'POST', url: '/v1/users', headers: bearer(admin.token), payload: { username: 'chief', displayName: 'x' } })
  t.equal(dup.statusCode, 409)
  const bad = await app.inject({
    method: 'POST',
    url: '/v1/users',
    headers: bearer(admin.token),
    payload: { username: 'new.one', displayName: 'x', grants: [{ role: 'editor' }, { role: 'admin', departmentCode: 'housing' }, { role: 'reviewer', departmentCode: 'nowhere' }] },
  })
  t.equal(bad.statusCode, 422)
  t.match(json(bad).errors[0], { pointer: '/body/grants/0/departmentCode' })
})

t.test('grants are added and withdrawn; the last admin cannot be removed or disabled', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await userWith(app, 'admin', undefined, 'only.admin')
  await userWith(app, 'editor', 'housing', 'e1')
  const added = await app.inject({ method: 'POST', url: '/v1/users/e1/grants', headers: bearer(admin.token), payload: { role: 'reviewer', departmentCode: 'finance' } })
  t.equal(added.statusCode, 201)
  const again = await app.inject({ method: 'POST', url: '/v1/users/e1/grants', headers: bearer(admin.token), payload: { role: 'reviewer', departmentCode: 'finance' } })
  t.equal(again.statusCode, 409)
  const grants = json(await app.inject({ method: 'GET', url: '/v1/users/e1', headers: bearer(admin.token) })).grants
  t.same(grants.map((g: any) => [g.role, g.departmentCode]), [['editor', 'housing'], ['reviewer', 'finance']])
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/users/e1/grants/${json(added).id}`, headers: bearer(admin.token) })).statusCode, 204)

  const self = json(await app.inject({ method: 'GET', url: '/v1/users/only.admin', headers: bearer(admin.token) }))
  const lastGrant = await app.inject({ method: 'DELETE', url: `/v1/users/only.admin/grants/${self.grants[0].id}`, headers: bearer(admin.token) })
  t.equal(lastGrant.statusCode, 409)
  t.match(json(lastGrant).detail, /last active admin/)
})

t.test('user updates need If-Match: 428 without, 412 when stale, and concurrent edits do not overwrite', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await userWith(app, 'admin')
  await userWith(app, 'editor', 'housing', 'e2')
  const res = await app.inject({ method: 'GET', url: '/v1/users/e2', headers: bearer(admin.token) })
  const etag = String(res.headers.etag)
  const none = await app.inject({ method: 'PATCH', url: '/v1/users/e2', headers: bearer(admin.token), payload: { displayName: 'A' } })
  t.equal(none.statusCode, 428)
  const [a, b] = await Promise.all([
    app.inject({ method: 'PATCH', url: '/v1/users/e2', headers: { ...bearer(admin.token), 'if-match': etag }, payload: { displayName: 'A' } }),
    app.inject({ method: 'PATCH', url: '/v1/users/e2', headers: { ...bearer(admin.token), 'if-match': etag }, payload: { displayName: 'B' } }),
  ])
  t.same([a.statusCode, b.statusCode].sort(), [200, 412])
  const winner = a.statusCode === 200 ? 'A' : 'B'
  t.equal(json(await app.inject({ method: 'GET', url: '/v1/users/e2', headers: bearer(admin.token) })).displayName, winner)
})

t.test('a password reset hands out a new one-time password and ends sessions', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await userWith(app, 'admin')
  const editor = await userWith(app, 'editor', 'housing', 'forgetful')
  const reset = await app.inject({ method: 'POST', url: '/v1/users/forgetful/password-reset', headers: bearer(admin.token) })
  t.equal(reset.statusCode, 200)
  const { oneTimePassword } = json(reset)
  t.equal((await token(app, { grant_type: 'refresh_token', refresh_token: editor.refreshToken })).statusCode, 401)
  t.equal((await token(app, { grant_type: 'password', username: 'forgetful', password: editor.password })).statusCode, 401)
  const fresh = json(await token(app, { grant_type: 'password', username: 'forgetful', password: oneTimePassword }))
  t.equal(json(await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(fresh.access_token) })).mustChangePassword, true)
})

t.test('API clients: the secret is shown once, rotation replaces it, disabling stops the client', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await userWith(app, 'admin')
  const created = await app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(admin.token), payload: { name: 'push script', departmentCode: 'civil_affairs', scopes: ['items:write'] } })
  t.equal(created.statusCode, 201)
  const { client, clientSecret } = json(created)
  t.match(client, { departmentCode: 'civil_affairs', scopes: ['items:write'], disabled: false })
  t.match(clientSecret, /^gks_/)
  const listed = await app.inject({ method: 'GET', url: '/v1/clients', headers: bearer(admin.token) })
  t.notMatch(listed.body, clientSecret)
  t.notMatch(listed.body, /secretHash|secret_hash/)

  const rotated = json(await app.inject({ method: 'POST', url: `/v1/clients/${client.clientId}/rotate-secret`, headers: bearer(admin.token) }))
  t.not(rotated.clientSecret, clientSecret)
  t.equal((await token(app, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: clientSecret })).statusCode, 401, 'old secret refused')
  const ok = json(await token(app, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: rotated.clientSecret }))
  const etag = (await app.inject({ method: 'GET', url: `/v1/clients/${client.clientId}`, headers: bearer(admin.token) })).headers.etag
  const off = await app.inject({ method: 'PATCH', url: `/v1/clients/${client.clientId}`, headers: { ...bearer(admin.token), 'if-match': String(etag) }, payload: { disabled: true } })
  t.equal(off.statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(ok.access_token) })).statusCode, 401, 'its live token stops working at once')
})

t.test('region-level scopes need a region-wide client', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await userWith(app, 'admin')
  const res = await app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(admin.token), payload: { name: 'x', departmentCode: 'finance', scopes: ['items:write', 'audit:read'] } })
  t.equal(res.statusCode, 422)
  t.same(json(res).errors, [{ pointer: '/body/scopes/1', message: 'audit:read needs a region-wide client (omit departmentCode)' }])
})

t.test('no API client manages users, with or without accounts:manage (people only: see guard.test.ts)', async (t) => {
  const { app } = await buildTestApp(t)
  const reader = await clientWith(app, ['accounts:read'])
  const payload = { username: 'from.script', displayName: 'x' }
  t.equal((await app.inject({ method: 'GET', url: '/v1/users', headers: bearer(reader.token) })).statusCode, 200, 'a region-wide client may read accounts')
  t.equal((await app.inject({ method: 'POST', url: '/v1/users', headers: bearer(reader.token), payload })).statusCode, 403)
})
