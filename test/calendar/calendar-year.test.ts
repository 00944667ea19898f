// The public calendar: a year's special days and status, and the day-by-day view for front ends.
import t, { type Test } from 'tap'
import { seedCalendar } from '../../src/modules/calendar/service.js'
import { buildTestApp, json } from '../helpers/app.js'

/** An app whose calendar is seeded (idempotent: harmless once the start-up seed does it too). */
async function calendarApp(t: Test) {
  const built = await buildTestApp(t)
  await seedCalendar(built.app.db, built.app.config.defaultRegion)
  return built
}

t.test('2025 is official, with National Day + Mid-Autumn as one break 10-01..10-08 and its two make-up days', async (t) => {
  const { app } = await calendarApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/calendar/2025' })
  t.equal(res.statusCode, 200)
  const body = json(res)
  t.match(body, { year: 2025, regionCode: '230202', status: 'official', source: 'package', version: 1 })
  t.ok(body.updatedAt, 'a stored year says when it was stored')
  const october = body.specialDays.filter((d: any) => d.date >= '2025-09-25' && d.date <= '2025-10-15')
  t.same(
    october.map((d: any) => [d.date, d.kind, d.name]),
    [
      ['2025-09-28', 'makeup_workday', '国庆节'],
      ['2025-10-01', 'holiday', '国庆节'],
      ['2025-10-02', 'holiday', '国庆节'],
      ['2025-10-03', 'holiday', '国庆节'],
      ['2025-10-04', 'holiday', '国庆节'],
      ['2025-10-05', 'holiday', '国庆节'],
      ['2025-10-06', 'holiday', '中秋'],
      ['2025-10-07', 'holiday', '国庆节'],
      ['2025-10-08', 'holiday', '国庆节'],
      ['2025-10-11', 'makeup_workday', '国庆节'],
    ],
  )
  t.match(body.makeupWorkdays, [{ date: '2025-01-26' }, { date: '2025-02-08' }, { date: '2025-04-27' }, { date: '2025-09-28' }, { date: '2025-10-11' }])
  t.ok(body.holidays.some((h: any) => h.name === '中秋' && h.from === '2025-10-06' && h.to === '2025-10-06'))
  t.same(body.closures, [])
  const dates = body.specialDays.map((d: any) => d.date)
  t.same(dates, [...dates].sort(), 'special days in date order')
})

t.test('a year without official data (2027 in the seeded package) is provisional, computed from the statutory holidays', async (t) => {
  const { app } = await calendarApp(t)
  const body = json(await app.inject({ method: 'GET', url: '/v1/calendar/2027' }))
  t.match(body, { year: 2027, status: 'provisional', source: 'computed', version: 0, updatedAt: null, makeupWorkdays: [] })
  // Lunar New Year 2027 is Saturday 02-06: the eve (Fri 02-05) plus three days, the weekend made up on Tue and Wed.
  t.match(body.holidays, [{ name: '元旦', from: '2027-01-01', to: '2027-01-01' }, { name: '春节', from: '2027-02-05', to: '2027-02-10' }])
  t.notOk(body.specialDays.some((d: any) => d.kind === 'makeup_workday'))
})

t.test('the year answers with an ETag and If-None-Match with 304', async (t) => {
  const { app } = await calendarApp(t)
  const first = await app.inject({ method: 'GET', url: '/v1/calendar/2025' })
  const etag = first.headers.etag as string
  t.match(etag, /^W\/"calendar-2025-v1-r\d+"$/)
  const again = await app.inject({ method: 'GET', url: '/v1/calendar/2025', headers: { 'if-none-match': etag } })
  t.equal(again.statusCode, 304)
  t.match(json(await app.inject({ method: 'GET', url: '/v1/calendar/2027' })), { version: 0 })
})

t.test('years outside 1901–2099 and unknown regions are problems, not errors', async (t) => {
  const { app } = await calendarApp(t)
  const tooLate = await app.inject({ method: 'GET', url: '/v1/calendar/2100' })
  t.equal(tooLate.statusCode, 400)
  t.match(json(tooLate).errors, [{ pointer: '/params/year' }])
  t.equal((await app.inject({ method: 'GET', url: '/v1/calendar/twenty' })).statusCode, 400)
  const region = await app.inject({ method: 'GET', url: '/v1/calendar/2025?region=999999' })
  t.equal(region.statusCode, 404)
  t.match(json(region), { type: '/problems/not-found', detail: /999999/ })
})

t.test('the days view lists each day with whether it is worked, why, and the holiday name', async (t) => {
  const { app } = await calendarApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/calendar/days?from=2025-09-26&to=2025-10-13' })
  t.equal(res.statusCode, 200)
  const { items, nextCursor } = json(res)
  t.equal(nextCursor, null)
  t.equal(items.length, 18)
  const byDate = new Map(items.map((d: any) => [d.date, d]))
  t.same(byDate.get('2025-09-26'), { date: '2025-09-26', weekday: 5, working: true, reason: 'weekday', provisional: false })
  t.same(byDate.get('2025-09-27'), { date: '2025-09-27', weekday: 6, working: false, reason: 'weekend', provisional: false })
  t.match(byDate.get('2025-09-28'), { weekday: 7, working: true, reason: 'makeup_workday', name: '国庆节' })
  t.match(byDate.get('2025-10-06'), { working: false, reason: 'holiday', name: '中秋', nameEn: 'Mid-autumn Festival' })
  t.match(byDate.get('2025-10-11'), { weekday: 6, working: true, reason: 'makeup_workday' })
  // 09-26, 28 (Sun, worked), 29, 30, 10-09, 10, 11 (Sat, worked), 13.
  t.equal(items.filter((d: any) => d.working).length, 8)
})

t.test('the days view says which days rely on a provisional year', async (t) => {
  const { app } = await calendarApp(t)
  const { items } = json(await app.inject({ method: 'GET', url: '/v1/calendar/days?from=2026-12-20&to=2027-01-05' }))
  const provisional = items.filter((d: any) => d.provisional).map((d: any) => d.date)
  // 2027's notice may still reach back into the last week of December 2026.
  t.equal(provisional[0], '2026-12-25')
  t.ok(items.filter((d: any) => d.date >= '2027-01-01').every((d: any) => d.provisional))
  t.notOk(items.find((d: any) => d.date === '2026-12-24').provisional)
})

t.test('the days view takes at most 366 days, in order, as real dates', async (t) => {
  const { app } = await calendarApp(t)
  t.equal((await app.inject({ method: 'GET', url: '/v1/calendar/days?from=2024-01-01&to=2024-12-31' })).statusCode, 200, '366 days of a leap year')
  const tooMany = await app.inject({ method: 'GET', url: '/v1/calendar/days?from=2025-01-01&to=2026-01-02' })
  t.equal(tooMany.statusCode, 400)
  t.match(json(tooMany).errors, [{ pointer: '/query/to', message: /366/ }])
  const backwards = await app.inject({ method: 'GET', url: '/v1/calendar/days?from=2025-03-02&to=2025-03-01' })
  t.match(json(backwards), { status: 400, errors: [{ pointer: '/query/to' }] })
  const notADate = await app.inject({ method: 'GET', url: '/v1/calendar/days?from=2025-02-30&to=2025-03-01' })
  t.match(json(notADate), { status: 400, errors: [{ pointer: '/query/from' }] })
  const missing = await app.inject({ method: 'GET', url: '/v1/calendar/days?from=2025-02-01' })
  t.match(json(missing), { status: 400, errors: [{ pointer: '/query/to' }] })
})

t.test('the first and last years the calendar covers answer like any other', async (t) => {
  const { app } = await calendarApp(t)
  for (const year of [1901, 2099]) {
    const res = await app.inject({ method: 'GET', url: `/v1/calendar/${year}` })
    t.equal(res.statusCode, 200, `${year}`)
    t.match(json(res), { year, status: 'provisional' })
  }
  const edge = await app.inject({ method: 'GET', url: '/v1/calendar/days?from=2099-12-01&to=2099-12-31' })
  t.equal(edge.statusCode, 200)
  t.ok(json(edge).items.at(-1).provisional)
  const beyond = await app.inject({ method: 'GET', url: '/v1/calendar/days?from=2099-12-01&to=2100-01-02' })
  t.match(json(beyond), { status: 400, errors: [{ pointer: '/query/to' }] })
})
