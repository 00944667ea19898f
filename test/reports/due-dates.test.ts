// Due dates from the working-day calendar, hand-checked against the State Council's arrangements as
// the chinese-days data records them:
//   2019: New Year 30 Dec 2018 – 1 Jan (make-up Sat 29 Dec); Spring Festival 4–10 Feb (make-up Sat 2, Sun 3 Feb).
//   2026: New Year 1–3 Jan (make-up Sun 4 Jan); Spring Festival 15–23 Feb (make-up Sat 14, Sat 28 Feb).
import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'
import { call, writtenReport } from './builders.js'

async function dueDateOf(app: any, token: string, month: string) {
  const res = await app.inject({ method: 'GET', url: `/v1/reports/summary?month=${month}`, headers: bearer(token) })
  if (res.statusCode !== 200) throw new Error(res.body)
  return json(res).dueDate as string
}

async function setRule(app: any, token: string, dueRule: unknown) {
  const current = await app.inject({ method: 'GET', url: '/v1/reports/settings', headers: bearer(token) })
  const body = json(current)
  const res = await app.inject({ method: 'PUT', url: '/v1/reports/settings', headers: { ...bearer(token), 'if-match': String(current.headers.etag) }, payload: { dueRule, departments: body.departments, pilotPhases: body.pilotPhases } })
  if (res.statusCode !== 200) throw new Error(res.body)
  return json(res)
}

t.test('the 5th working day of the following month, across New Year and the Spring Festival', async (t) => {
  const { app } = await buildTestApp(t, { now: '2026-03-20T02:00:00Z' })
  const admin = (await userWith(app, 'admin')).token
  // December 2018 → January 2019: 1 Jan is a holiday; 2 (1), 3 (2), 4 (3), Mon 7 (4), Tue 8 (5).
  t.equal(await dueDateOf(app, admin, '2018-12'), '2019-01-08')
  // January 2019 → February 2019: Fri 1 (1), make-up Sat 2 (2) and Sun 3 (3), the break 4–10, Mon 11 (4), Tue 12 (5).
  t.equal(await dueDateOf(app, admin, '2019-01'), '2019-02-12')
  // December 2025 → January 2026: 1–3 Jan holidays, make-up Sun 4 (1), Mon 5 (2), 6 (3), 7 (4), Thu 8 (5).
  t.equal(await dueDateOf(app, admin, '2025-12'), '2026-01-08')
  // January 2026 → February 2026: Mon 2 to Fri 6.
  t.equal(await dueDateOf(app, admin, '2026-01'), '2026-02-06')
})

t.test('a configured rule: the 12th working day, and a fixed day that moves off a rest day', async (t) => {
  const { app, clock } = await buildTestApp(t, { now: '2026-02-02T02:00:00Z' })
  const admin = (await userWith(app, 'admin')).token
  const saved = await setRule(app, admin, { type: 'nth_working_day_of_next_month', n: 12 })
  t.match(saved, { dueRule: { type: 'nth_working_day_of_next_month', n: 12 }, version: 1 })
  // February 2026: 2–6 (1–5), 9–13 (6–10), make-up Sat 14 (11), the break 15–23, Tue 24 (12).
  t.equal(await dueDateOf(app, admin, '2026-01'), '2026-02-24')
  // February 2019: 1 (1), 2–3 make-up (2, 3), the break 4–10, 11–15 (4–8), 18–21 (9–12).
  t.equal(await dueDateOf(app, admin, '2019-01'), '2019-02-21')

  // A report of January 2026 under that rule: on time until 24:00 on 24 February.
  const editor = (await userWith(app, 'editor', 'finance')).token
  const onTime = await writtenReport(app, editor, 'finance', '2026-01')
  clock.set('2026-02-24T15:59:00Z')
  t.match((await call(app, 'POST', `/v1/reports/${onTime.id}/submit`, editor, {})).body, { dueAt: '2026-02-24T16:00:00.000Z', late: false })
  const other = (await userWith(app, 'editor', 'housing')).token
  const late = await writtenReport(app, other, 'housing', '2026-01')
  clock.set('2026-02-24T16:00:01Z')
  t.match((await call(app, 'POST', `/v1/reports/${late.id}/submit`, other, {})).body, { dueAt: '2026-02-24T16:00:00.000Z', late: true })

  await setRule(app, admin, { type: 'day_of_next_month', day: 1 })
  // 1 January 2026 is New Year's Day, 2 and 3 are holidays too; Sun 4 is a make-up working day.
  t.equal(await dueDateOf(app, admin, '2025-12'), '2026-01-04')
  // 1 February 2026 is a Sunday: Monday 2.
  t.equal(await dueDateOf(app, admin, '2026-01'), '2026-02-02')
})

t.test('the settings: If-Match, validation, and who may change them', async (t) => {
  const { app } = await buildTestApp(t, { now: '2026-03-02T02:00:00Z' })
  const admin = (await userWith(app, 'admin')).token
  const editor = (await userWith(app, 'editor', 'finance')).token
  const read = await app.inject({ method: 'GET', url: '/v1/reports/settings', headers: bearer(editor) })
  t.equal(read.statusCode, 200)
  t.match(json(read), { dueRule: { type: 'nth_working_day_of_next_month', n: 5 }, departments: null, version: 0, pilotPhases: [{ code: 'pilot_2018', dueDate: '2018-05-10' }] })
  const body = { dueRule: { type: 'nth_working_day_of_next_month', n: 5 }, departments: null, pilotPhases: [] }
  t.equal((await app.inject({ method: 'PUT', url: '/v1/reports/settings', headers: { ...bearer(editor), 'if-match': String(read.headers.etag) }, payload: body })).statusCode, 403)
  t.equal((await app.inject({ method: 'PUT', url: '/v1/reports/settings', headers: bearer(admin), payload: body })).statusCode, 428)
  const bad = await app.inject({
    method: 'PUT',
    url: '/v1/reports/settings',
    headers: { ...bearer(admin), 'if-match': String(read.headers.etag) },
    payload: { ...body, departments: ['finance', 'nowhere'], pilotPhases: [{ code: 'p', nameZh: '试点', from: '2018-05-01', to: '2018-04-30', dueDate: '2018-04-01' }] },
  })
  t.equal(bad.statusCode, 422)
  t.same(json(bad).errors.map((e: any) => e.pointer), ['/body/departments/1', '/body/pilotPhases/0/to', '/body/pilotPhases/0/dueDate'])
  t.equal((await app.inject({ method: 'PUT', url: '/v1/reports/settings', headers: { ...bearer(admin), 'if-match': '"report-settings-230202-v7"' }, payload: body })).statusCode, 412)

  // A phase with reports stays.
  await writtenReport(app, editor, 'finance', 'pilot_2018', 'pilot_summary')
  const drop = await app.inject({ method: 'PUT', url: '/v1/reports/settings', headers: { ...bearer(admin), 'if-match': String(read.headers.etag) }, payload: body })
  t.equal(drop.statusCode, 409)
})
