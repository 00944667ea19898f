// What admins change — a year's official arrangement, one-day corrections, region closures — is
// checked, audited, guarded, and used by the very next computation on every instance.
import { PGlite } from '@electric-sql/pglite'
import { and, eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/pglite'
import t, { type Test } from 'tap'
import { openDatabase, type Db } from '../../src/db/client.js'
import * as schema from '../../src/db/schema.js'
import { verifyAuditChain } from '../../src/modules/audit/service.js'
import { auditLog } from '../../src/modules/audit/tables.js'
import { computeForRule, seedCalendar } from '../../src/modules/calendar/service.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, tokenFor } from '../helpers/auth.js'

async function calendarApp(t: Test) {
  const built = await buildTestApp(t)
  await seedCalendar(built.app.db, built.app.config.defaultRegion)
  // `*`: these tests change years knowingly; the If-Match rules themselves are tested below.
  return { ...built, admin: { ...bearer(await tokenFor(built.app, 'admin')), 'if-match': '*' } }
}
type App = Awaited<ReturnType<typeof calendarApp>>['app']

/** A 2027 arrangement as the State Council might announce it (hypothetical: the real one differs). */
const arrangement2027 = {
  holidays: [
    { name: '元旦', nameEn: "New Year's Day", from: '2027-01-01', to: '2027-01-03' },
    { name: '春节', nameEn: 'Spring Festival', from: '2027-02-05', to: '2027-02-12' },
    { name: '清明', from: '2027-04-03', to: '2027-04-05' },
    { name: '劳动节', from: '2027-05-01', to: '2027-05-05' },
    { name: '端午', from: '2027-06-09', to: '2027-06-09' },
    { name: '中秋', from: '2027-09-15', to: '2027-09-15' },
    { name: '国庆节', from: '2027-10-01', to: '2027-10-07' },
  ],
  makeupWorkdays: [
    { date: '2027-01-31', name: '春节' },
    { date: '2027-02-20', name: '春节' },
    { date: '2027-09-26', name: '国庆节' },
    { date: '2027-10-09', name: '国庆节' },
  ],
}

const compute = async (app: App, body: Record<string, unknown>) => json(await app.inject({ method: 'POST', url: '/v1/periods/compute', payload: body }))
const auditRows = (app: App, action: string) => app.db.select().from(auditLog).where(eq(auditLog.action, action))

t.test('a period crossing into a provisional year says so; once the year is loaded it is official and ends elsewhere', async (t) => {
  const { app, admin } = await calendarApp(t)
  // 25 working days from Thu 2026-12-31. Provisional 2027: 01-01 rest, Jan 4..29 is 20 weekdays,
  // Feb 1..4 (21–24), 02-05..02-10 Spring Festival, Thu 02-11 (25).
  const period = { start: '2026-12-31T09:00:00+08:00', unit: 'working_day', length: 25, explain: false }
  t.match(await compute(app, period), { lastDay: '2027-02-11', provisional: true, provisionalYears: [2027] })

  const put = await app.inject({ method: 'PUT', url: '/v1/calendar/2027', headers: admin, payload: arrangement2027 })
  t.equal(put.statusCode, 200)
  t.match(json(put), { year: 2027, status: 'official', source: 'admin', version: 1 })
  t.match(put.headers.etag, /^W\/"calendar-2027-v1-r\d+"$/)

  // Official 2027: 01-01..03 rest, Jan 4..29 (1–20), Sun 01-31 worked (21), Feb 1..4 (22–25).
  t.match(await compute(app, period), { lastDay: '2027-02-04', provisional: false, provisionalYears: [] })
  t.match(json(await app.inject({ method: 'GET', url: '/v1/calendar/2027' })), { status: 'official', source: 'admin', version: 1 })
})

t.test('loading a year is audited in the same transaction', async (t) => {
  const { app, admin } = await calendarApp(t)
  await app.inject({ method: 'PUT', url: '/v1/calendar/2027', headers: admin, payload: arrangement2027 })
  const rows = await auditRows(app, 'calendar.year.put')
  t.equal(rows.length, 1)
  t.match(rows[0], { targetType: 'calendar_year', targetId: '2027', actorType: 'user', regionCode: '230202', details: { version: 1, previousVersion: null } })
  t.equal((rows[0]!.details as any).makeupWorkdays.length, 4)
  const patch = await app.inject({ method: 'PATCH', url: '/v1/calendar/2027', headers: admin, payload: { op: 'add_makeup_workday', date: '2027-02-21', name: '春节' } })
  t.equal(patch.statusCode, 200)
  t.match(await verifyAuditChain(app.db), { valid: true }, 'the rows chain')
})

t.test('an arrangement with problems is refused with every problem, and nothing is stored', async (t) => {
  const { app, admin } = await calendarApp(t)
  const res = await app.inject({
    method: 'PUT',
    url: '/v1/calendar/2027',
    headers: admin,
    payload: {
      holidays: [
        { name: '春节', from: '2027-02-05', to: '2027-02-12' },
        { name: '元宵', from: '2027-02-11', to: '2027-02-13' }, // overlaps the Spring Festival break
        { name: '清明', from: '2027-04-05', to: '2027-04-03' }, // ends before it starts
      ],
      makeupWorkdays: [
        { date: '2027-02-17' }, // a Wednesday
        { date: '2027-02-06' }, // a Saturday, but inside the break
      ],
    },
  })
  t.equal(res.statusCode, 422)
  const problem = json(res)
  t.equal(problem.type, '/problems/unprocessable-content')
  t.same(problem.errors.map((e: any) => e.pointer).sort(), ['/body/holidays/1', '/body/holidays/2/to', '/body/makeupWorkdays/0/date', '/body/makeupWorkdays/1/date'])
  t.match(problem.errors.find((e: any) => e.pointer === '/body/makeupWorkdays/0/date').message, /weekday/)
  t.match(json(await app.inject({ method: 'GET', url: '/v1/calendar/2027' })), { status: 'provisional', version: 0 })
  t.equal((await auditRows(app, 'calendar.year.put')).length, 0)
})

t.test('a year whose New Year break clashes with the stored year before it is refused', async (t) => {
  const { app, admin } = await calendarApp(t)
  // Sun 2026-12-27 made a working day in the stored 2026 arrangement; a 2027 New Year break that
  // reaches back over it contradicts 2026.
  const patch = await app.inject({ method: 'PATCH', url: '/v1/calendar/2026', headers: admin, payload: { op: 'add_makeup_workday', date: '2026-12-27', name: '元旦' } })
  t.equal(patch.statusCode, 200)
  const res = await app.inject({
    method: 'PUT',
    url: '/v1/calendar/2027',
    headers: admin,
    payload: { holidays: [{ name: '元旦', from: '2026-12-27', to: '2027-01-01' }], makeupWorkdays: [] },
  })
  t.equal(res.statusCode, 422)
  t.match(json(res).errors, [{ pointer: '/body', message: /2026-12-27/ }])
})

t.test('only admins load a year: anonymous is 401, an editor or auditor 403', async (t) => {
  const { app } = await calendarApp(t)
  const anonymous = await app.inject({ method: 'PUT', url: '/v1/calendar/2027', payload: arrangement2027 })
  t.equal(anonymous.statusCode, 401)
  t.match(json(anonymous), { type: '/problems/unauthorized' })
  for (const role of ['editor', 'reviewer', 'auditor'] as const) {
    const res = await app.inject({ method: 'PUT', url: '/v1/calendar/2027', headers: bearer(await tokenFor(app, role)), payload: arrangement2027 })
    t.equal(res.statusCode, 403, role)
  }
  t.equal((await app.inject({ method: 'PATCH', url: '/v1/calendar/2025', payload: { op: 'remove_holiday', date: '2025-10-08' } })).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: '/v1/calendar/closures', payload: { date: '2026-03-04', name: '停电' } })).statusCode, 401)
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/calendar/closures/2026-03-04' })).statusCode, 401)
  t.match(json(await app.inject({ method: 'GET', url: '/v1/calendar/2027' })), { status: 'provisional' })
})

t.test('If-Match: the ETag you read loads the year; a stale one is 412', async (t) => {
  const { app, admin } = await calendarApp(t)
  const read = await app.inject({ method: 'GET', url: '/v1/calendar/2027' })
  const etag = read.headers.etag as string
  const first = await app.inject({ method: 'PUT', url: '/v1/calendar/2027', headers: { ...admin, 'if-match': etag }, payload: arrangement2027 })
  t.equal(first.statusCode, 200)
  const stale = await app.inject({ method: 'PUT', url: '/v1/calendar/2027', headers: { ...admin, 'if-match': etag }, payload: arrangement2027 })
  t.equal(stale.statusCode, 412)
  t.match(json(stale), { type: '/problems/precondition-failed' })
  const fresh = await app.inject({ method: 'PUT', url: '/v1/calendar/2027', headers: { ...admin, 'if-match': first.headers.etag as string }, payload: arrangement2027 })
  t.equal(fresh.statusCode, 200)
  t.equal(json(fresh).version, 2)
  // A closure elsewhere changes the ETag (the view changed) but not the year's version: If-Match still holds.
  await app.inject({ method: 'POST', url: '/v1/calendar/closures', headers: admin, payload: { date: '2027-03-03', name: '停电' } })
  const after = await app.inject({ method: 'GET', url: '/v1/calendar/2027' })
  t.not(after.headers.etag, fresh.headers.etag)
  const patch = await app.inject({ method: 'PATCH', url: '/v1/calendar/2027', headers: { ...admin, 'if-match': fresh.headers.etag as string }, payload: { op: 'remove_makeup_workday', date: '2027-10-09' } })
  t.equal(patch.statusCode, 200)
})

t.test('a one-day correction moves the periods that rely on it, and is audited', async (t) => {
  const { app, admin } = await calendarApp(t)
  const period = { start: '2025-09-24', rule: 'PUBLICITY_7D', explain: false }
  t.match(await compute(app, period), { lastDay: '2025-10-09' })
  const res = await app.inject({ method: 'PATCH', url: '/v1/calendar/2025', headers: admin, payload: { op: 'add_holiday', date: '2025-10-09', name: '国庆节' } })
  t.equal(res.statusCode, 200)
  const body = json(res)
  t.match(body, { version: 2, source: 'admin', status: 'official' })
  t.ok(body.holidays.some((h: any) => h.name === '国庆节' && h.from === '2025-10-07' && h.to === '2025-10-09'), 'the day joins the break it touches')
  // 10-09 is now a rest day too: the end moves to Fri 10-10.
  t.match(await compute(app, period), { lastDay: '2025-10-10', movedFrom: '2025-10-01' })
  const [row] = await auditRows(app, 'calendar.year.patch')
  t.match(row, { targetId: '2025', details: { op: 'add_holiday', date: '2025-10-09', version: 2, previousVersion: 1 } })

  const undo = await app.inject({ method: 'PATCH', url: '/v1/calendar/2025', headers: admin, payload: { op: 'remove_holiday', date: '2025-10-09' } })
  t.equal(undo.statusCode, 200)
  t.match(await compute(app, period), { lastDay: '2025-10-09' })
})

t.test('a correction that breaks the arrangement is refused, pointing at the body', async (t) => {
  const { app, admin } = await calendarApp(t)
  const patch = (payload: Record<string, unknown>, year = 2025) => app.inject({ method: 'PATCH', url: `/v1/calendar/${year}`, headers: admin, payload })
  const weekday = await patch({ op: 'add_makeup_workday', date: '2025-10-15' })
  t.equal(weekday.statusCode, 422)
  t.match(json(weekday).errors, [{ pointer: '/body/date', message: /weekday/ }])
  const inBreak = await patch({ op: 'add_makeup_workday', date: '2025-10-04' })
  t.match(json(inBreak), { status: 422, errors: [{ pointer: '/body/date' }] })
  const notAHoliday = await patch({ op: 'remove_holiday', date: '2025-10-15' })
  t.match(json(notAHoliday), { status: 422, errors: [{ pointer: '/body/date', message: /not a rest day/ }] })
  const noName = await patch({ op: 'add_holiday', date: '2025-10-15' })
  t.match(json(noName), { status: 400, errors: [{ pointer: '/body/name' }] })
  const unknownOp = await patch({ op: 'move_holiday', date: '2025-10-15' })
  t.match(json(unknownOp), { status: 400, errors: [{ pointer: '/body/op' }] })
  const provisional = await patch({ op: 'remove_holiday', date: '2027-10-01' }, 2027)
  t.equal(provisional.statusCode, 404, 'a provisional year is loaded with PUT, not corrected')
  t.equal(json(await app.inject({ method: 'GET', url: '/v1/calendar/2025' })).version, 1, 'nothing changed')
})

t.test('a region closure makes a working day a rest day for later computations, until it is removed', async (t) => {
  const { app, admin } = await calendarApp(t)
  // Mon 2026-03-02: 03, 04, 05, 06, 09, 10, 11.
  const period = { start: '2026-03-02', rule: 'PUBLICITY_7WD' }
  t.match(await compute(app, period), { lastDay: '2026-03-11' })

  const added = await app.inject({ method: 'POST', url: '/v1/calendar/closures', headers: admin, payload: { date: '2026-03-04', name: '暴雪停工' } })
  t.equal(added.statusCode, 201)
  t.match(json(added), { regionCode: '230202', date: '2026-03-04', name: '暴雪停工' })

  const closed = await compute(app, period)
  t.equal(closed.lastDay, '2026-03-12')
  t.same(closed.explanation.skipped.find((d: any) => d.date === '2026-03-04'), { date: '2026-03-04', reason: 'closure', name: '暴雪停工' })
  const year = json(await app.inject({ method: 'GET', url: '/v1/calendar/2026' }))
  t.match(year.closures, [{ date: '2026-03-04', name: '暴雪停工' }])
  t.ok(year.specialDays.some((d: any) => d.date === '2026-03-04' && d.kind === 'closure'))
  t.equal((await app.inject({ method: 'POST', url: '/v1/calendar/closures', headers: admin, payload: { date: '2026-03-04', name: '再次' } })).statusCode, 409)

  const removed = await app.inject({ method: 'DELETE', url: '/v1/calendar/closures/2026-03-04', headers: admin })
  t.equal(removed.statusCode, 204)
  t.match(await compute(app, period), { lastDay: '2026-03-11' })
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/calendar/closures/2026-03-04', headers: admin })).statusCode, 404)
  t.same(
    (await app.db.select().from(auditLog).where(and(eq(auditLog.targetType, 'region_closure')))).map((r) => r.action),
    ['calendar.closure.create', 'calendar.closure.delete'],
  )
})

t.test('a closure is refused on an impossible date', async (t) => {
  const { app, admin } = await calendarApp(t)
  const res = await app.inject({ method: 'POST', url: '/v1/calendar/closures', headers: admin, payload: { date: '2026-02-30', name: 'x' } })
  t.match(json(res), { status: 400, errors: [{ pointer: '/body/date' }] })
})

t.test('admins add period rules; a code that exists is a conflict', async (t) => {
  const { app, admin } = await calendarApp(t)
  const rule = { code: 'HEARING_NOTICE_5WD', unit: 'working_day', length: 5, nameZh: '听证会举行5个工作日前通知', nameEn: 'Hearing notice', legalSource: '《中华人民共和国行政许可法》第四十八条' }
  const created = await app.inject({ method: 'POST', url: '/v1/period-rules', headers: admin, payload: rule })
  t.equal(created.statusCode, 201)
  t.equal(created.headers.location, '/v1/period-rules/HEARING_NOTICE_5WD')
  t.match(json(created), { ...rule, builtIn: false, description: '' })
  // Fri 2025-09-26: Sun 09-28 (worked), 29, 30, [10-01..08], 10-09, 10-10.
  t.match(await compute(app, { start: '2025-09-26', rule: 'HEARING_NOTICE_5WD', explain: false }), { rule: { code: 'HEARING_NOTICE_5WD' }, lastDay: '2025-10-10' })
  t.equal((await app.inject({ method: 'POST', url: '/v1/period-rules', headers: admin, payload: rule })).statusCode, 409)
  t.equal((await app.inject({ method: 'POST', url: '/v1/period-rules', headers: admin, payload: { ...rule, code: 'PUBLICITY_7D' } })).statusCode, 409)
  const bad = await app.inject({ method: 'POST', url: '/v1/period-rules', headers: admin, payload: { ...rule, code: 'x', length: 0 } })
  t.match(json(bad), { status: 400 })
  t.same(json(bad).errors.map((e: any) => e.pointer).sort(), ['/body/code', '/body/length'])
  t.equal((await app.inject({ method: 'POST', url: '/v1/period-rules', payload: { ...rule, code: 'OTHER_RULE' } })).statusCode, 401)
  t.equal((await auditRows(app, 'calendar.rule.create')).length, 1)
})

t.test('a change made through one instance is used by the next computation of another', async (t) => {
  const { app, admin, databaseUrl } = await calendarApp(t)
  // The other instance: its own connection to the same database, its own cached calendar.
  let other: Db
  if (databaseUrl) {
    const database = await openDatabase({ kind: 'postgres', url: databaseUrl })
    t.teardown(() => database.close())
    other = database.db
  } else {
    other = drizzle(app.database.pglite as PGlite, { schema }) as unknown as Db
  }
  const period = { start: '2026-03-02', rule: 'PUBLICITY_7WD' }
  t.equal((await computeForRule(other, '230202', period)).lastDay, '2026-03-11')
  await app.inject({ method: 'POST', url: '/v1/calendar/closures', headers: admin, payload: { date: '2026-03-04', name: '暴雪停工' } })
  t.equal((await computeForRule(other, '230202', period)).lastDay, '2026-03-12')
  await app.inject({ method: 'PATCH', url: '/v1/calendar/2026', headers: admin, payload: { op: 'add_holiday', date: '2026-03-05', name: '测试' } })
  t.equal((await computeForRule(other, '230202', period)).lastDay, '2026-03-13')
})

t.test('changing a stored year needs If-Match: 428 without it', async (t) => {
  const { app, admin } = await calendarApp(t)
  const { 'if-match': _star, ...noIfMatch } = admin
  const res = await app.inject({ method: 'PATCH', url: '/v1/calendar/2025', headers: noIfMatch, payload: { op: 'add_holiday', date: '2025-10-09', name: '国庆节' } })
  t.equal(res.statusCode, 428)
  t.equal(json(res).type, '/problems/precondition-required')
  const fresh = await app.inject({ method: 'PUT', url: '/v1/calendar/2031', headers: noIfMatch, payload: { holidays: [], makeupWorkdays: [] } })
  t.equal(fresh.statusCode, 200, 'a year nobody stored yet loads without one')
})
