import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, testPassword, userWith } from '../helpers/auth.js'

t.test('no password, secret, token or hash appears in any log line or in any response but the one that issues it', async (t) => {
  const { app, logs } = await buildTestApp(t, { captureLogs: true })
  const admin = await userWith(app, 'admin', undefined, 'chief')
  const secrets: string[] = [testPassword, admin.refreshToken, admin.token]
  const responses: { issued: string[]; body: string }[] = []
  const call = async (opts: any, issues: (body: any) => string[] = () => []) => {
    const res = await app.inject(opts)
    let issued: string[] = []
    try {
      issued = issues(json(res))
    } catch {
      /* not JSON */
    }
    secrets.push(...issued)
    responses.push({ issued, body: res.body })
    return res
  }
  const signIn = await call({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'password', username: 'chief', password: testPassword } }, (b) => [b.access_token, b.refresh_token])
  const tokens = json(signIn)
  await call({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'refresh_token', refresh_token: tokens.refresh_token } }, (b) => [b.access_token, b.refresh_token])
  await call({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'password', username: 'chief', password: 'a wrong password here' } })
  await call({ method: 'POST', url: '/v1/users', headers: bearer(admin.token), payload: { username: 'new.one', displayName: 'x' } }, (b) => [b.oneTimePassword])
  await call({ method: 'POST', url: '/v1/users/new.one/password-reset', headers: bearer(admin.token) }, (b) => [b.oneTimePassword])
  const client = await call({ method: 'POST', url: '/v1/clients', headers: bearer(admin.token), payload: { name: 'script', scopes: ['items:write'] } }, (b) => [b.clientSecret])
  const clientId = json(client).client.clientId
  await call({ method: 'POST', url: `/v1/clients/${clientId}/rotate-secret`, headers: bearer(admin.token) }, (b) => [b.clientSecret])
  await call({ method: 'POST', url: '/v1/auth/token', headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secrets[secrets.length - 1]}`).toString('base64')}` }, payload: { grant_type: 'client_credentials' } }, (b) => [b.access_token])
  for (const url of ['/v1/users', '/v1/clients', '/v1/audit?limit=200', '/v1/me', `/v1/clients/${clientId}`, '/v1/users/new.one']) {
    await call({ method: 'GET', url, headers: bearer(admin.token) })
  }

  t.ok(secrets.length >= 10)
  t.ok(logs.length > 10, 'logs were captured')
  const allLogs = logs.join('\n')
  for (const secret of secrets) t.notOk(allLogs.includes(secret), `a secret (${secret.slice(0, 6)}…) is not logged`)
  t.notMatch(allLogs, /\$argon2id\$/, 'no password hash is logged')
  for (const [i, r] of responses.entries()) {
    for (const secret of secrets) {
      if (r.issued.includes(secret)) continue
      t.notOk(r.body.includes(secret), `response ${i} does not repeat a secret issued elsewhere`)
    }
    t.notMatch(r.body, /\$argon2id\$|secretHash|passwordHash|tokenHash/, `response ${i} exposes no hash`)
  }
})
