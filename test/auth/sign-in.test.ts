// Sign-in under attack (issue 14 #6, #19): failures are counted atomically, per name and address with
// a back-off instead of a lock anyone can trigger; unknown names answer exactly like real ones; every
// failure is audited without its secret; changing one's password is throttled the same way.
import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, clientWith, testPassword, userWith } from '../helpers/auth.js'

/** A problem body without what differs per request. */
const problem = (res: any) => {
  const { requestId: _r, ...rest } = json(res)
  return rest
}

const signIn = (app: any, username: string, password: string, remoteAddress = '127.0.0.1') =>
  app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'password', username, password }, remoteAddress })

t.test('parallel wrong passwords are all counted', async (t) => {
  const { app } = await buildTestApp(t)
  await userWith(app, 'reviewer', 'housing', 'wang.fang')
  const statuses = await Promise.all(Array.from({ length: 5 }, (_, i) => signIn(app, 'wang.fang', `wrong ${i}`).then((r: any) => r.statusCode)))
  t.same(statuses, [401, 401, 401, 401, 401])
  t.equal((await signIn(app, 'wang.fang', testPassword)).statusCode, 429, 'the five failures made the sixth try wait')
})

t.test('a throttled name and an unknown name answer alike', async (t) => {
  const { app } = await buildTestApp(t)
  await userWith(app, 'reviewer', 'housing', 'wang.fang')
  const answers: Record<string, any[]> = { 'wang.fang': [], 'no.such.person': [] }
  for (const name of Object.keys(answers)) {
    for (let i = 0; i < 6; i++) answers[name]!.push(await signIn(app, name, `wrong ${i}`))
  }
  const [real, unknown] = [answers['wang.fang']!, answers['no.such.person']!]
  t.same(real.map((r) => r.statusCode), [401, 401, 401, 401, 401, 429])
  t.same(unknown.map((r) => r.statusCode), real.map((r) => r.statusCode), 'same statuses')
  for (let i = 0; i < 6; i++) t.same(problem(unknown[i]), problem(real[i]), `same body, attempt ${i + 1}`)
  t.equal(unknown[5].headers['retry-after'], real[5].headers['retry-after'], 'same Retry-After')
})

t.test('the back-off doubles, and failures elsewhere never keep the owner out at a known address', async (t) => {
  const { app, clock } = await buildTestApp(t)
  await userWith(app, 'reviewer', 'housing', 'wang.fang')
  t.equal((await signIn(app, 'wang.fang', testPassword, '10.1.1.1')).statusCode, 200, 'the owner signs in from the office')
  for (let i = 0; i < 5; i++) await signIn(app, 'wang.fang', 'guess', '192.0.2.9')
  t.equal((await signIn(app, 'wang.fang', 'guess', '192.0.2.9')).headers['retry-after'], '30')
  clock.advance(31_000)
  await signIn(app, 'wang.fang', 'guess', '192.0.2.9')
  t.equal((await signIn(app, 'wang.fang', 'guess', '192.0.2.9')).headers['retry-after'], '60', 'the wait doubles')
  // Guessers at other addresses, one try each: at 20 failures in all, the account's own back-off
  // starts for every address it does not know.
  const guesses: number[] = []
  for (let i = 0; i < 15; i++) guesses.push((await signIn(app, 'wang.fang', 'guess', `198.51.100.${i + 1}`)).statusCode)
  t.same(guesses, [...Array(14).fill(401), 429], 'after 20 failures in all (6 + 14), the next address waits')
  t.equal((await signIn(app, 'wang.fang', testPassword, '203.0.113.50')).statusCode, 429, 'a new address waits, even with the right password')
  t.equal((await signIn(app, 'wang.fang', testPassword, '10.1.1.1')).statusCode, 200, 'the owner at a known address signs in as always')
  t.equal((await signIn(app, 'wang.fang', testPassword, '203.0.113.50')).statusCode, 200, "the owner's sign-in ends the account's wait")
  t.equal((await signIn(app, 'wang.fang', 'guess', '192.0.2.9')).statusCode, 429, 'but not the wait of the guessing address')
})

t.test('failed sign-ins of unknown names and of clients are audited, without the secret', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await userWith(app, 'admin', undefined, 'chief')
  const client = await clientWith(app, ['items:write'], 'housing')
  await signIn(app, 'no.such.person', 'secret guess 1')
  const bad = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'gks_not-the-secret' } })
  t.equal(bad.statusCode, 401)
  const unknownClient = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'client_credentials', client_id: 'gkc_nobody', client_secret: 'gks_whatever' } })
  t.equal(unknownClient.statusCode, 401)
  t.same(problem(unknownClient), problem(bad), 'an unknown client and a wrong secret answer alike')
  const failures = json(await app.inject({ method: 'GET', url: '/v1/audit?action=auth.sign_in_failed', headers: bearer(admin.token) })).items
  t.match(failures, [{ actorName: 'no.such.person', targetId: 'unknown', details: { reason: 'unknown user' } }])
  const clients = json(await app.inject({ method: 'GET', url: '/v1/audit?action=auth.client_credentials_failed', headers: bearer(admin.token) })).items
  t.match(clients, [
    { details: { clientId: 'gkc_nobody', reason: 'unknown client' } },
    { details: { clientId: client.clientId, reason: 'wrong secret' } },
  ])
  const all = JSON.stringify(json(await app.inject({ method: 'GET', url: '/v1/audit?limit=200', headers: bearer(admin.token) })))
  t.notMatch(all, /secret guess|gks_not-the-secret|gks_whatever/, 'no presented secret is recorded')
})

t.test('changing one\'s password has an attempt limit', async (t) => {
  const { app } = await buildTestApp(t)
  const user = await userWith(app, 'editor', 'housing', 'li.na')
  const change = (currentPassword: string) =>
    app.inject({ method: 'POST', url: '/v1/me/password', headers: bearer(user.token), payload: { currentPassword, newPassword: 'a brand new passphrase' } })
  for (let i = 0; i < 5; i++) t.equal((await change(`guess ${i}`)).statusCode, 422)
  const limited = await change(testPassword)
  t.equal(limited.statusCode, 429, 'the sixth try waits, even with the right password')
  t.ok(Number(limited.headers['retry-after']) > 0)
  t.equal((await signIn(app, 'li.na', testPassword)).statusCode, 429, 'and so does signing in from that address: guesses count once, wherever they are made')
})
