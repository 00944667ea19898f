// Anchoring the audit log's head (issue 14 #22): the application's own database role can drop the
// append-only triggers and cut the log's tail; the chain alone does not show it, a signed anchor does.
import { sql } from 'drizzle-orm'
import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'

async function withLog(t: any, options = {}) {
  const testApp = await buildTestApp(t, options)
  const admin = await userWith(testApp.app, 'admin', undefined, 'chief')
  const call = (method: string, url: string, payload?: unknown) => testApp.app.inject({ method, url, headers: bearer(admin.token), payload } as any)
  const write = async (n: number) => {
    for (let i = 0; i < n; i++) await call('POST', '/v1/clients', { name: `c${i}`, scopes: ['items:write'] })
  }
  /** What an intruder with the application's credentials can do: drop the trigger and delete. */
  const cutTail = async (fromSeq: number) => {
    await testApp.app.db.execute(sql`drop trigger audit_log_no_update_delete on audit_log`)
    await testApp.app.db.execute(sql`delete from audit_log where seq >= ${fromSeq}`)
  }
  return { ...testApp, admin, call, write, cutTail }
}

t.test('an anchored head is signed, listed, logged, and verification checks it', async (t) => {
  const { app, call, write, logs } = await withLog(t, { captureLogs: true })
  await write(3)
  const created = await call('POST', '/v1/audit/anchors')
  t.equal(created.statusCode, 201)
  const anchor = json(created)
  t.match(anchor, { seq: Number, hash: /^[0-9a-f]{64}$/, kid: /^[0-9a-f]{16}$/, mac: /^[0-9a-f]{64}$/ })
  const again = await call('POST', '/v1/audit/anchors')
  t.equal(again.statusCode, 200, 'the head did not move: nothing new')
  t.same(json(again), anchor)
  t.same(json(await call('GET', '/v1/audit/anchors')).items, [anchor])
  t.ok(logs.some((l) => l.includes('audit log anchored') && l.includes(anchor.mac)), 'the anchor is in the log output')
  const verify = json(await call('GET', '/v1/audit/verify'))
  t.match(verify, { valid: true, anchor: { seq: anchor.seq, hash: anchor.hash } })
  await t.rejects(app.db.execute(sql`delete from audit_anchors`), 'anchors are append-only too')
})

t.test('a tail cut below the latest anchor is found', async (t) => {
  const { call, write, cutTail } = await withLog(t)
  await write(4)
  const anchor = json(await call('POST', '/v1/audit/anchors'))
  await cutTail(anchor.seq - 2)
  const verify = json(await call('GET', '/v1/audit/verify'))
  t.equal(verify.valid, false)
  t.match(verify.firstBroken, { seq: anchor.seq - 2, reason: /removed from its end/ })
})

t.test('a log cut and written again past its anchor is found', async (t) => {
  const { call, write, cutTail } = await withLog(t)
  await write(4)
  const anchor = json(await call('POST', '/v1/audit/anchors'))
  await cutTail(anchor.seq - 2)
  await write(5) // the chain grows again, valid in itself, past the anchored sequence number
  const verify = json(await call('GET', '/v1/audit/verify'))
  t.equal(verify.valid, false)
  t.match(verify.firstBroken, { seq: anchor.seq, reason: /differs from its anchor/ })
})

t.test('a forged anchor is found', async (t) => {
  const { app, call, write } = await withLog(t)
  await write(2)
  const anchor = json(await call('POST', '/v1/audit/anchors'))
  await write(2)
  const head = json(await call('GET', '/v1/audit?limit=1')).items[0]
  await app.db.execute(sql`insert into audit_anchors (seq, hash, at, kid, mac) values (${head.seq}, ${head.hash}, now(), ${anchor.kid}, ${'0'.repeat(64)})`)
  const verify = json(await call('GET', '/v1/audit/verify'))
  t.match(verify, { valid: false, firstBroken: { seq: head.seq, reason: /forged/ } })
})

t.test('instances anchoring at once write one anchor', async (t) => {
  const { call, write } = await withLog(t)
  await write(2)
  const answers = await Promise.all([call('POST', '/v1/audit/anchors'), call('POST', '/v1/audit/anchors'), call('POST', '/v1/audit/anchors')])
  t.same(answers.map((a) => a.statusCode).sort(), [200, 200, 201])
  t.equal(json(await call('GET', '/v1/audit/anchors')).items.length, 1)
})

t.test('anchors of a key no longer configured are skipped; the copy goes to the data directory', async (t) => {
  const dataDir = t.testdir({})
  const { app, call, write } = await withLog(t, { config: { jwtSecret: 'anchor-test-secret-0123456789-abcdefghij', dataDir } })
  await write(2)
  const anchor = json(await call('POST', '/v1/audit/anchors'))
  const { readFileSync } = await import('node:fs')
  t.match(readFileSync(`${dataDir}/audit-anchors.jsonl`, 'utf8'), anchor.mac, 'the data directory keeps a copy')
  await write(1)
  const head = json(await call('GET', '/v1/audit?limit=1')).items[0]
  // An anchor signed under a key rotated out long ago cannot be checked: it neither fails nor counts.
  await app.db.execute(sql`insert into audit_anchors (seq, hash, at, kid, mac) values (${head.seq}, ${head.hash}, now(), ${'f'.repeat(16)}, ${'0'.repeat(64)})`)
  t.match(json(await call('GET', '/v1/audit/verify')), { valid: true, anchor: { seq: anchor.seq } })
  const page = json(await call('GET', '/v1/audit/anchors?limit=1'))
  t.equal(page.items[0].seq, head.seq)
  t.equal(json(await call('GET', `/v1/audit/anchors?limit=1&cursor=${page.nextCursor}`)).items[0].seq, anchor.seq, 'pages newest first')
})
