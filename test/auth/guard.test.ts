// The guard's rules that hold on every route, public ones included (issue 14 #7, #8, #17, #21).
import t from 'tap'
import { sql } from 'drizzle-orm'
import { createUser } from '../../src/modules/auth/accounts.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, clientWith, testPassword, userWith } from '../helpers/auth.js'
import { noticeBody, publishedNotice, staffOf } from '../notices/builders.js'

const token = (app: any, payload: Record<string, string>) => app.inject({ method: 'POST', url: '/v1/auth/token', payload })
const fixture = (app: any) => ({ actor: { type: 'system' as const, id: null, name: 'test fixture' }, requestId: null, regionCode: '230202', now: app.clock.now() })

t.test('a reviewer still on a one-time password reads nothing with the token, public routes included', async (t) => {
  const testApp = await buildTestApp(t)
  const { app } = testApp
  const id = await publishedNotice(testApp, await staffOf(app, 'housing'))
  await createUser(app.db, fixture(app), { username: 'new.reviewer', displayName: '新审核员', password: 'a one-time passphrase', grants: [{ role: 'reviewer', departmentCode: 'housing' }], mustChangePassword: true })
  const signIn = json(await token(app, { grant_type: 'password', username: 'new.reviewer', password: 'a one-time passphrase' }))
  const raw = await app.inject({ method: 'GET', url: `/v1/notices/${id}/entries?raw=true`, headers: bearer(signIn.access_token) })
  t.equal(raw.statusCode, 403, 'no unmasked ID numbers before the password is changed')
  t.match(json(raw).detail, /one-time password/)
  t.notMatch(raw.body, /230202198003151238/)
  const list = await app.inject({ method: 'GET', url: '/v1/notices', headers: bearer(signIn.access_token) })
  t.equal(list.statusCode, 403, 'a public list with the token is refused too')
  t.equal((await app.inject({ method: 'GET', url: '/v1/notices' })).statusCode, 200, 'the same list without a token is public')
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(signIn.access_token) })).statusCode, 200, 'who am I still answers')
})

t.test('a client with only items:write sees no unpublished notice, of any department', async (t) => {
  const { app } = await buildTestApp(t)
  const staff = await staffOf(app, 'housing')
  const draft = json(await app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(staff.editor), payload: noticeBody({ title: '草稿：尚未公开' }) }))
  const pusher = await clientWith(app, ['items:write'])
  const list = await app.inject({ method: 'GET', url: '/v1/notices', headers: bearer(pusher.token) })
  t.equal(list.statusCode, 200)
  t.same(json(list).items, [], 'no drafts in the list')
  t.equal((await app.inject({ method: 'GET', url: `/v1/notices/${draft.id}`, headers: bearer(pusher.token) })).statusCode, 404, 'nor by id')
  const writer = await clientWith(app, ['notices:write'], 'housing')
  t.equal(json(await app.inject({ method: 'GET', url: '/v1/notices', headers: bearer(writer.token) })).items.length, 1, 'a notices client of the department sees its draft')
  const editor = await app.inject({ method: 'GET', url: '/v1/notices', headers: bearer(staff.editor) })
  t.equal(json(editor).items.length, 1, 'and so does its editor')
})

t.test('access tokens end at once with a password change, a reset or a sign-out', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await userWith(app, 'admin', undefined, 'chief')
  const me = (tok: string) => app.inject({ method: 'GET', url: '/v1/me', headers: bearer(tok) })

  const changer = await userWith(app, 'editor', 'housing', 'changer')
  const changed = await app.inject({ method: 'POST', url: '/v1/me/password', headers: bearer(changer.token), payload: { currentPassword: testPassword, newPassword: 'another sturdy passphrase' } })
  t.equal(changed.statusCode, 204)
  const afterChange = await me(changer.token)
  t.equal(afterChange.statusCode, 401, 'the token used to change the password has ended')
  t.match(json(afterChange).detail, /revoked/)
  const fresh = json(await token(app, { grant_type: 'password', username: 'changer', password: 'another sturdy passphrase' }))
  t.equal((await me(fresh.access_token)).statusCode, 200, 'a new sign-in works')

  const resetee = await userWith(app, 'editor', 'housing', 'resetee')
  t.equal((await app.inject({ method: 'POST', url: '/v1/users/resetee/password-reset', headers: bearer(admin.token) })).statusCode, 200)
  t.equal((await me(resetee.token)).statusCode, 401, 'a reset ends the access token')

  const leaver = await userWith(app, 'editor', 'housing', 'leaver')
  t.equal((await app.inject({ method: 'POST', url: '/v1/auth/revoke', payload: { token: leaver.refreshToken } })).statusCode, 204)
  t.equal((await me(leaver.token)).statusCode, 401, 'signing out ends the access token')
  t.equal((await me(admin.token)).statusCode, 200, "other users' tokens are untouched")
})

t.test('API clients never manage accounts, whatever scopes they hold', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await userWith(app, 'admin', undefined, 'chief')
  const refused = await app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(admin.token), payload: { name: 'provisioning', scopes: ['accounts:manage'] } })
  t.equal(refused.statusCode, 422, 'accounts:manage cannot be given to a client')
  t.match(json(refused).errors, [{ pointer: '/body/scopes/0', message: /for people/ }])
  // A client that already holds it (created before this rule) still cannot use it.
  const legacy = await clientWith(app, ['accounts:read'])
  await app.db.execute(sql`update api_clients set scopes = array['accounts:read', 'accounts:manage'] where client_id = ${legacy.clientId}`)
  const again = json(await token(app, { grant_type: 'client_credentials', client_id: legacy.clientId, client_secret: legacy.clientSecret }))
  t.match(again.scope, /accounts:manage/)
  const attempts = [
    { method: 'POST', url: '/v1/users', payload: { username: 'shadow.admin', displayName: '影子', password: 'a password of its choosing', grants: [{ role: 'admin' }] } },
    { method: 'POST', url: '/v1/users/chief/password-reset' },
    { method: 'POST', url: '/v1/users/chief/grants', payload: { role: 'auditor' } },
    { method: 'PATCH', url: `/v1/clients/${legacy.clientId}`, headers: { 'if-match': '"x"' }, payload: { scopes: ['accounts:read', 'accounts:manage', 'read:private'] } },
    { method: 'POST', url: `/v1/clients/${legacy.clientId}/rotate-secret` },
  ]
  for (const a of attempts) {
    const res = await app.inject({ ...a, headers: { ...(a.headers ?? {}), ...bearer(again.access_token) } } as any)
    t.equal(res.statusCode, 403, `${a.method} ${a.url}`)
    t.match(json(res).detail, /people only/)
  }
  t.equal((await app.inject({ method: 'GET', url: '/v1/users/shadow.admin', headers: bearer(admin.token) })).statusCode, 404, 'no user was created')
  t.equal((await token(app, { grant_type: 'password', username: 'chief', password: testPassword })).statusCode, 200, "the admin's password still works")
})

t.test('private answers are never cached; public ones keep their caching', async (t) => {
  const testApp = await buildTestApp(t)
  const { app } = testApp
  const admin = await userWith(app, 'admin', undefined, 'chief')
  const staff = await staffOf(app, 'housing')
  const id = await publishedNotice(testApp, staff)
  for (const url of ['/v1/users', '/v1/users/chief', '/v1/clients', '/v1/audit', `/v1/notices/${id}/entries?raw=true`, `/v1/notices/${id}`]) {
    const res = await app.inject({ method: 'GET', url, headers: bearer(admin.token) })
    t.equal(res.statusCode, 200, url)
    t.equal(res.headers['cache-control'], 'no-store', `${url} with a token`)
  }
  const publicDetail = await app.inject({ method: 'GET', url: `/v1/notices/${id}` })
  t.not(publicDetail.headers['cache-control'], 'no-store', 'the public detail is not marked private')
})
