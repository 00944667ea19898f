// POST /v1/periods/compute: when a statutory period ends (Civil Code arts. 200–204), with the days
// counted and skipped, and every bad input a 400 problem that points at the field. Dates hand-checked
// against the State Council's 2025 arrangement.
import t, { type Test } from 'tap'
import { seedCalendar } from '../../src/modules/calendar/service.js'
import { buildTestApp, json } from '../helpers/app.js'

async function calendarApp(t: Test) {
  const built = await buildTestApp(t)
  await seedCalendar(built.app.db, built.app.config.defaultRegion)
  return built
}

const compute = (app: Awaited<ReturnType<typeof calendarApp>>['app'], body: Record<string, unknown>, url = '/v1/periods/compute') =>
  app.inject({ method: 'POST', url, payload: body })

t.test('a 7-day publicity whose last day falls on National Day moves to the first working day after the break', async (t) => {
  const { app } = await calendarApp(t)
  // Trigger Wed 09-24; days 09-25..10-01; 10-01 is in the break 10-01..10-08; Thu 10-09 is worked.
  const res = await compute(app, { start: '2025-09-24T10:00:00+08:00', rule: 'PUBLICITY_7D' })
  t.equal(res.statusCode, 200)
  const body = json(res)
  t.match(body, {
    regionCode: '230202',
    rule: { code: 'PUBLICITY_7D', unit: 'calendar_day', length: 7, nameZh: '公示期不少于7天', legalSource: /不少于7天/ },
    triggerDate: '2025-09-24',
    firstDay: '2025-09-25',
    nominalLastDay: '2025-10-01',
    lastDay: '2025-10-09',
    endsAt: '2025-10-09T16:00:00.000Z',
    movedFromRestDay: true,
    movedFrom: '2025-10-01',
    provisional: false,
    provisionalYears: [],
  })
  t.same(
    body.explanation.counted.map((d: any) => d.date),
    ['2025-09-25', '2025-09-26', '2025-09-27', '2025-09-28', '2025-09-29', '2025-09-30', '2025-10-01', '2025-10-09'],
    'every calendar day to the nominal end counts, weekend included, then the day the end moved to',
  )
  t.same(
    body.explanation.skipped.map((d: any) => [d.date, d.reason, d.name]),
    [
      ['2025-10-02', 'holiday', '国庆节'],
      ['2025-10-03', 'holiday', '国庆节'],
      ['2025-10-04', 'holiday', '国庆节'],
      ['2025-10-05', 'holiday', '国庆节'],
      ['2025-10-06', 'holiday', '中秋'],
      ['2025-10-07', 'holiday', '国庆节'],
      ['2025-10-08', 'holiday', '国庆节'],
    ],
  )
})

t.test('a 7-day period ending on a make-up Sunday does not move: the Sunday is a working day', async (t) => {
  const { app } = await calendarApp(t)
  // Trigger Sun 09-21; nominal end Sun 09-28, worked for National Day.
  const body = json(await compute(app, { start: '2025-09-21', rule: 'PUBLICITY_7D', explain: false }))
  t.match(body, { lastDay: '2025-09-28', movedFromRestDay: false, movedFrom: null })
  t.notOk('explanation' in body, 'explain: false leaves the explanation out')
})

t.test('7 working days across National Day + Mid-Autumn 2025 count both make-up days and skip the break', async (t) => {
  const { app } = await calendarApp(t)
  // Fri 09-26: 09-27 Sat rest, 09-28 Sun worked (1), 29 (2), 30 (3), [10-01..08], 10-09 (4), 10 (5),
  // 10-11 Sat worked (6), 10-12 Sun rest, 10-13 (7).
  const body = json(await compute(app, { start: '2025-09-26T18:30:00+08:00', rule: 'PUBLICITY_7WD' }))
  t.match(body, { rule: { code: 'PUBLICITY_7WD', unit: 'working_day', length: 7 }, firstDay: '2025-09-28', lastDay: '2025-10-13', endsAt: '2025-10-13T16:00:00.000Z', movedFromRestDay: false })
  t.same(
    body.explanation.counted.map((d: any) => [d.date, d.reason]),
    [
      ['2025-09-28', 'makeup_workday'],
      ['2025-09-29', 'weekday'],
      ['2025-09-30', 'weekday'],
      ['2025-10-09', 'weekday'],
      ['2025-10-10', 'weekday'],
      ['2025-10-11', 'makeup_workday'],
      ['2025-10-13', 'weekday'],
    ],
  )
  const skipped = body.explanation.skipped
  t.same(skipped[0], { date: '2025-09-27', reason: 'weekend' })
  t.same(skipped.at(-1), { date: '2025-10-12', reason: 'weekend' })
  t.same(
    skipped.filter((d: any) => d.reason === 'holiday').map((d: any) => d.name),
    ['国庆节', '国庆节', '国庆节', '国庆节', '国庆节', '中秋', '国庆节', '国庆节'],
  )
})

t.test('an ad-hoc unit and length works like a rule, with no rule code', async (t) => {
  const { app } = await calendarApp(t)
  const body = json(await compute(app, { start: '2025-09-26', unit: 'working_day', length: 7 }))
  t.match(body, { rule: { code: null, unit: 'working_day', length: 7, nameZh: null, legalSource: null }, lastDay: '2025-10-13' })
})

t.test('the trigger counts by its Asia/Shanghai date, whatever the offset it is written in', async (t) => {
  const { app } = await calendarApp(t)
  const lastDay = async (start: string) => {
    const body = json(await compute(app, { start, unit: 'calendar_day', length: 1, explain: false }))
    return [body.triggerDate, body.lastDay]
  }
  // Mon 2025-03-03, an ordinary week.
  t.same(await lastDay('2025-03-03'), ['2025-03-03', '2025-03-04'], 'a date is that day in Shanghai')
  t.same(await lastDay('2025-03-03T15:59:59Z'), ['2025-03-03', '2025-03-04'], '23:59:59 in Shanghai')
  t.same(await lastDay('2025-03-03T16:00:00Z'), ['2025-03-04', '2025-03-05'], 'midnight in Shanghai is the next day')
  t.same(await lastDay('2025-03-03T08:00:00.5-08:00'), ['2025-03-04', '2025-03-05'], 'a Los Angeles morning is already the next day in Shanghai')
})

t.test('bad inputs are 400 problems pointing at the field, never a 500', async (t) => {
  const { app } = await calendarApp(t)
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['length 0', { start: '2025-09-26', unit: 'calendar_day', length: 0 }, ['/body/length']],
    ['length 367', { start: '2025-09-26', unit: 'working_day', length: 367 }, ['/body/length']],
    ['a non-integer length', { start: '2025-09-26', unit: 'working_day', length: 2.5 }, ['/body/length']],
    ['an impossible date', { start: '2025-02-30', rule: 'PUBLICITY_7D' }, ['/body/start']],
    ['an hour 25', { start: '2025-09-26T25:00:00+08:00', rule: 'PUBLICITY_7D' }, ['/body/start']],
    ['a time without offset', { start: '2025-09-26T10:00:00', rule: 'PUBLICITY_7D' }, ['/body/start']],
    ['not a date', { start: 'next Tuesday', rule: 'PUBLICITY_7D' }, ['/body/start']],
    ['an unknown rule', { start: '2025-09-26', rule: 'PUBLICITY_99D' }, ['/body/rule']],
    ['a malformed rule code', { start: '2025-09-26', rule: 'publicity_7d' }, ['/body/rule']],
    ['both a rule and a unit', { start: '2025-09-26', rule: 'PUBLICITY_7D', unit: 'working_day', length: 7 }, ['/body/unit', '/body/length']],
    ['neither a rule nor a unit', { start: '2025-09-26' }, ['/body/unit', '/body/length']],
    ['a unit without a length', { start: '2025-09-26', unit: 'working_day' }, ['/body/length']],
    ['an unknown unit', { start: '2025-09-26', unit: 'fortnight', length: 1 }, ['/body/unit']],
    ['an unknown field', { start: '2025-09-26', rule: 'PUBLICITY_7D', timezone: 'UTC' }, ['/body/timezone']],
    ['no start', { rule: 'PUBLICITY_7D' }, ['/body/start']],
    ['a period running past the calendar', { start: '2099-12-01', unit: 'calendar_day', length: 366 }, ['/body/start']],
    ['a start before the calendar', { start: '1899-06-01', unit: 'calendar_day', length: 7 }, ['/body/start']],
  ]
  for (const [what, body, pointers] of cases) {
    const res = await compute(app, body)
    t.equal(res.statusCode, 400, `${what}: 400`)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    const problem = json(res)
    t.equal(problem.type, '/problems/validation-failed', `${what}: a validation problem`)
    t.same([...new Set(problem.errors.map((e: any) => e.pointer))].sort(), [...pointers].sort(), `${what}: points at ${pointers.join(', ')}`)
  }
})

t.test('an unknown region is a 404 problem', async (t) => {
  const { app } = await calendarApp(t)
  const res = await compute(app, { start: '2025-09-26', rule: 'PUBLICITY_7D' }, '/v1/periods/compute?region=999999')
  t.equal(res.statusCode, 404)
})

t.test('the built-in period rules are listed with their legal sources', async (t) => {
  const { app } = await calendarApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/period-rules' })
  t.equal(res.statusCode, 200)
  const { items, nextCursor } = json(res)
  t.equal(nextCursor, null)
  t.same(
    items.map((r: any) => [r.code, r.unit, r.length, r.builtIn]),
    [
      ['DISCLOSE_20WD', 'working_day', 20, true],
      ['PUBLICITY_10WD', 'working_day', 10, true],
      ['PUBLICITY_30D', 'calendar_day', 30, true],
      ['PUBLICITY_7D', 'calendar_day', 7, true],
      ['PUBLICITY_7WD', 'working_day', 7, true],
      ['REVIEW_15D', 'calendar_day', 15, true],
    ],
  )
  t.match(items.find((r: any) => r.code === 'PUBLICITY_10WD').legalSource, /土地管理法实施条例.*第二十六条/)
  t.match(items.find((r: any) => r.code === 'DISCLOSE_20WD').legalSource, /政府信息公开条例.*第二十六条/)
  const one = await app.inject({ method: 'GET', url: '/v1/period-rules/PUBLICITY_30D' })
  t.match(json(one), { code: 'PUBLICITY_30D', unit: 'calendar_day', length: 30, legalSource: /第二十八条/ })
  t.equal((await app.inject({ method: 'GET', url: '/v1/period-rules/NO_SUCH_RULE' })).statusCode, 404)
})

t.test('seeding again changes nothing', async (t) => {
  const { app } = await calendarApp(t)
  const before = json(await app.inject({ method: 'GET', url: '/v1/calendar/2025' }))
  await seedCalendar(app.db, app.config.defaultRegion)
  const after = await app.inject({ method: 'GET', url: '/v1/calendar/2025' })
  t.same(json(after), before)
  t.equal(json(await app.inject({ method: 'GET', url: '/v1/period-rules' })).items.length, 6)
})
