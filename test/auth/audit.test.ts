import { sql } from 'drizzle-orm'
import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'

t.test('every write appends an audit row with actor, action, target and request id', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await userWith(app, 'admin', undefined, 'chief')
  const created = await app.inject({ method: 'POST', url: '/v1/users', headers: { ...bearer(admin.token), 'x-request-id': 'req-create-user-1' }, payload: { username: 'new.user', displayName: 'x' } })
  t.equal(created.statusCode, 201)
  const list = json(await app.inject({ method: 'GET', url: '/v1/audit?action=user.create&limit=1', headers: bearer(admin.token) }))
  t.match(list.items[0], { actorType: 'user', actorName: 'chief', action: 'user.create', targetType: 'user', requestId: 'req-create-user-1', details: { username: 'new.user' } })
  t.notMatch(JSON.stringify(list), /password/i)
})

t.test('auditors read the log; editors cannot', async (t) => {
  const { app } = await buildTestApp(t)
  const auditor = await userWith(app, 'auditor')
  const editor = await userWith(app, 'editor')
  t.equal((await app.inject({ method: 'GET', url: '/v1/audit', headers: bearer(auditor.token) })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: bearer(auditor.token) })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/v1/audit', headers: bearer(editor.token) })).statusCode, 403)
})

t.test('the audit log pages newest first', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await userWith(app, 'admin')
  for (let i = 0; i < 5; i++) await app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(admin.token), payload: { name: `c${i}`, scopes: ['items:write'] } })
  const first = json(await app.inject({ method: 'GET', url: '/v1/audit?limit=3', headers: bearer(admin.token) }))
  const second = json(await app.inject({ method: 'GET', url: `/v1/audit?limit=3&cursor=${first.nextCursor}`, headers: bearer(admin.token) }))
  const seqs = [...first.items, ...second.items].map((e: any) => e.seq)
  t.same(seqs, [...seqs].sort((a, b) => b - a))
  t.equal(new Set(seqs).size, seqs.length)
})

t.test('the database itself refuses to update, delete or truncate audit rows', async (t) => {
  const { app } = await buildTestApp(t)
  await userWith(app, 'admin')
  await t.rejects(app.db.execute(sql`update audit_log set actor_name = 'someone else'`))
  await t.rejects(app.db.execute(sql`delete from audit_log`))
  await t.rejects(app.db.execute(sql`truncate audit_log`))
})

t.test('verification finds a row altered behind the API\'s back', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await userWith(app, 'admin')
  for (let i = 0; i < 4; i++) await app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(admin.token), payload: { name: `c${i}`, scopes: ['items:write'] } })
  const before = json(await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: bearer(admin.token) }))
  t.match(before, { valid: true, firstBroken: null })
  t.ok(before.rowsChecked >= 6)
  // Someone with database access switches the trigger off and edits row 3.
  await app.db.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`)
  await app.db.execute(sql`update audit_log set details = '{"name":"innocent"}' where seq = 3`)
  await app.db.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`)
  const after = json(await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: bearer(admin.token) }))
  t.match(after, { valid: false, rowsChecked: 2, firstBroken: { seq: 3, reason: /altered/ } })
})

t.test('verification finds a removed row', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await userWith(app, 'admin')
  for (let i = 0; i < 3; i++) await app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(admin.token), payload: { name: `c${i}`, scopes: ['items:write'] } })
  await app.db.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`)
  await app.db.execute(sql`delete from audit_log where seq = 2`)
  await app.db.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`)
  const after = json(await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: bearer(admin.token) }))
  t.match(after, { valid: false, firstBroken: { seq: 2, reason: /missing/ } })
})

t.test('100 concurrent writes leave one unbroken chain', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await userWith(app, 'admin')
  const results = await Promise.all(
    Array.from({ length: 100 }, (_, i) => app.inject({ method: 'POST', url: '/v1/clients', headers: bearer(admin.token), payload: { name: `concurrent ${i}`, scopes: ['items:write'] } })),
  )
  t.same([...new Set(results.map((r) => r.statusCode))], [201])
  const verify = json(await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: bearer(admin.token) }))
  t.equal(verify.valid, true)
  const creates = json(await app.inject({ method: 'GET', url: '/v1/audit?action=client.create&limit=200', headers: bearer(admin.token) }))
  t.equal(creates.items.length, 100)
  t.equal(verify.lastSeq, verify.rowsChecked, 'sequence numbers have no gaps')
})
