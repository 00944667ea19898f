// Personal data cannot reach the public unmasked, whatever a column is called or typed: a column named
// for a personal field must be typed personal, personal-looking values in other columns are refused at
// upload (JSON, CSV, XLSX), any list of people needs a privacy impact assessment, and a response that
// would still leak one is withheld (500) and logged without the value.
import { Writable } from 'node:stream'
import { eq } from 'drizzle-orm'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { ManualClock } from '../../src/lib/clock.js'
import { noticeEntries } from '../../src/modules/notices/tables.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'
import { createTestDatabase } from '../helpers/databases.js'
import { familyColumns, families, noticeBody, publishedNotice, staffOf } from './builders.js'

const withRemark = [...familyColumns, { key: 'remark', label: '备注', type: 'text', public: true }]

t.test('a column named for a personal field but typed text is refused when declared', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'housing')
  const columns = [
    { key: 'applicant', label: '姓名', type: 'text', public: true },
    { key: 'id_no', label: '身份证号码', type: 'text', public: true },
    { key: 'tel', label: '联系电话', type: 'text', public: true },
    { key: 'home', label: '家庭住址', type: 'text', public: true },
    { key: 'mail', label: '邮箱', type: 'text', public: true },
    { key: 'household_size', label: '家庭人口', type: 'integer', public: true },
  ]
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(staff.editor), payload: noticeBody({ columns }) })
  t.equal(res.statusCode, 422)
  t.same(json(res).errors.map((e: any) => e.pointer), ['/body/columns/0/type', '/body/columns/1/type', '/body/columns/2/type', '/body/columns/3/type', '/body/columns/4/type'])
  t.match(json(res).errors[1].message, /身份证号码.*declare it as id_number/)
  const created = await ctx.app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(staff.editor), payload: noticeBody() })
  const patched = await ctx.app.inject({
    method: 'PATCH',
    url: `/v1/notices/${json(created).id}`,
    headers: { ...bearer(staff.editor), 'if-match': String(created.headers.etag) },
    payload: { columns: [{ key: 'contact', label: '联系方式', type: 'text', public: true }] },
  })
  t.equal(patched.statusCode, 422, 'nor by an edit')
  const typed = await ctx.app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(staff.editor), payload: noticeBody({ columns: [...familyColumns, { key: 'mail', label: '邮箱', type: 'email', public: true }] }) })
  t.equal(typed.statusCode, 201, 'typed personal, the same columns are fine')
})

t.test('ID numbers, phones and e-mail addresses in a text column are refused at a JSON upload, naming row and column', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'housing')
  const created = await ctx.app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(staff.editor), payload: noticeBody({ columns: withRemark }) })
  const rows = [
    { ...families[0], remark: '230202199001011234' },
    { ...families[1], remark: '联系13812345678' },
    { ...families[0], remark: '座机0452-2712345' },
    { ...families[1], remark: 'zhang.san@example.com' },
    { ...families[0], remark: '三口之家' },
  ]
  const res = await ctx.app.inject({ method: 'PUT', url: `/v1/notices/${json(created).id}/entries`, headers: { ...bearer(staff.editor), 'if-match': String(created.headers.etag) }, payload: { entries: rows } })
  t.equal(res.statusCode, 422)
  const errors = json(res).errors
  t.same(errors.map((e: any) => e.pointer), ['/body/entries/0/remark', '/body/entries/1/remark', '/body/entries/2/remark', '/body/entries/3/remark'])
  t.match(errors.map((e: any) => e.message), [/an ID number/, /a mobile phone number/, /a phone number/, /an e-mail address/])
  t.notMatch(res.body, /230202199001011234|13812345678/, 'the refusal does not echo the values')
})

t.test('the same values in a CSV upload are refused, naming the sheet row and column', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'housing')
  const created = await ctx.app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(staff.editor), payload: noticeBody({ columns: withRemark }) })
  const csv = ['申请人,身份证号,联系电话,住址,家庭人口,月补贴金额,备注', `张三明,230202198003151238,13812345678,龙沙区五龙街道,3,420,身份证230202199001011234`].join('\n')
  const res = await ctx.app.inject({ method: 'PUT', url: `/v1/notices/${json(created).id}/entries`, headers: { ...bearer(staff.editor), 'if-match': String(created.headers.etag), 'content-type': 'text/csv' }, payload: Buffer.from(csv) })
  t.equal(res.statusCode, 422)
  t.same(json(res).errors.map((e: any) => e.pointer), ['/body/2/备注'])
  t.match(json(res).errors[0].message, /row 2, column G \(备注\): looks like an ID number/)
})

t.test('an ID number or mobile in a notice’s public text is refused', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'housing')
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(staff.editor), payload: noticeBody({ body: '申请人张三明（身份证230202199001011234）' }) })
  t.equal(res.statusCode, 422)
  t.same(json(res).errors.map((e: any) => e.pointer), ['/body/body'])
  const hotline = await ctx.app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(staff.editor), payload: noticeBody({ body: '监督电话：0452-2712345' }) })
  t.equal(hotline.statusCode, 201, 'an office hotline is public on purpose')
})

t.test('any list of people needs a privacy impact assessment, even without personal columns', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'housing')
  const columns = [
    { key: 'community', label: '所在社区', type: 'text', public: true },
    { key: 'household_size', label: '家庭人口', type: 'integer', public: true },
  ]
  await t.rejects(
    publishedNotice(ctx, staff, { columns, privacyAssessment: null }, { entries: [{ community: '新政社区', household_size: 3 }], publish: false }),
    /approve failed: .*privacy impact assessment/,
  )
  const announcement = await publishedNotice(ctx, staff, { kind: 'announcement', columns: [], privacyAssessment: null }, { entries: [], publish: false })
  t.ok(announcement, 'an announcement without a list needs none')
})

t.test('a public response that would still carry an unmasked ID number or mobile is withheld and logged without the value', async (t) => {
  // Built without the test helper's own scan, which would (rightly) fail on the planted leak.
  const testDb = await createTestDatabase()
  const logs: string[] = []
  const logStream = new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) })
  const clock = new ManualClock('2025-09-26T02:00:00Z')
  const app = await buildApp({ ...loadConfig({}), logLevel: 'info', demoData: false, jwtSecret: null }, { database: testDb.database, clock, logStream })
  t.teardown(async () => {
    await app.close()
    await testDb.drop()
  })
  const staff = { editor: (await userWith(app, 'editor', 'housing')).token, reviewer: (await userWith(app, 'reviewer', 'housing')).token }
  const id = await publishedNotice({ app, clock, logs, databaseUrl: null }, staff, { columns: withRemark }, { entries: [{ ...families[0], remark: '三口之家' }] })
  t.equal((await app.inject({ method: 'GET', url: `/v1/notices/${id}` })).statusCode, 200)
  // A value that slipped past every check (written straight to the database).
  await app.db.update(noticeEntries).set({ data: { ...families[0], remark: '电话13912345678' } }).where(eq(noticeEntries.noticeId, id))
  for (const url of [`/v1/notices/${id}`, `/v1/notices/${id}/entries`]) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 500, url)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.notMatch(res.body, /13912345678/)
    t.match(json(res), { type: '/problems/internal', status: 500 })
  }
  // A problem only echoes the caller's own URL: a number typed there is not withheld (found by the fuzzer).
  const echoed = await app.inject({ method: 'GET', url: `/v1/notices/${id}/entries?cursor=13700001111` })
  t.equal(echoed.statusCode, 400, 'bad input stays a 400, not a withheld 500')
  const staffRead = await app.inject({ method: 'GET', url: `/v1/notices/${id}`, headers: bearer(staff.editor) })
  t.equal(staffRead.statusCode, 200, 'staff responses are not withheld (they are audited and authorised)')
  const logged = logs.filter((l) => l.includes('unmasked personal data'))
  t.equal(logged.length, 2)
  t.match(logged[0], /"leak":"mobile"/)
  t.notOk(logs.some((l) => l.includes('13912345678')), 'the value is in no log line')
})
