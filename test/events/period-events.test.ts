// Statutory time events: a notice's publicity period starting and ending arrive once each, at the
// boundary computed at publication, also when the API was stopped across the boundary, and however
// many instances run the scheduler at the same time.
import t from 'tap'
import { StatutoryClock } from '../../src/modules/events/statutory-clock.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, clientWith } from '../helpers/auth.js'
import { publishedNotice, staffOf } from '../notices/builders.js'

t.test('a notice\'s period start and end are announced once each, at their boundaries, after downtime too', async (t) => {
  // Published Monday 2026-03-09 10:00 (Shanghai): PUBLICITY_7D counts from the next day, the 16th is
  // the last day, which ends at 24:00 Shanghai = 2026-03-16T16:00:00Z (Civil Code arts. 201, 203).
  const built = await buildTestApp(t, { now: '2026-03-09T02:00:00Z' })
  const { app, clock } = built
  const { token } = await clientWith(app, ['events:read'])
  const id = await publishedNotice(built, await staffOf(app, 'housing'))
  const notice = json(await app.inject({ method: 'GET', url: `/v1/notices/${id}` }))
  t.equal(notice.endsAt, '2026-03-16T16:00:00.000Z')
  const scheduler = new StatutoryClock({ db: app.db, clock, log: app.log })
  const period = async () => json(await app.inject({ method: 'GET', url: '/v1/changes?types=notice.period.*', headers: bearer(token) })).items

  t.equal((await scheduler.runOnce()).periods, 1, 'the period started at publication')
  t.match(await period(), [{ type: 'notice.period.started', timestamp: '2026-03-09T02:00:00.000Z', data: { id, url: `/v1/notices/${id}`, at: '2026-03-09T02:00:00.000Z', department: 'housing' } }])

  clock.set('2026-03-16T15:59:59Z')
  t.equal((await scheduler.runOnce()).periods, 0, 'nothing before the end')

  // The API is down from before the boundary until two days after it: the first round after the
  // restart emits the end, stamped with the boundary itself.
  clock.set('2026-03-18T08:00:00Z')
  const restarted = new StatutoryClock({ db: app.db, clock, log: app.log })
  t.equal((await restarted.runOnce()).periods, 1)
  t.equal((await restarted.runOnce()).periods, 0, 'never twice')
  t.same(
    (await period()).map((e: any) => [e.type, e.timestamp]),
    [
      ['notice.period.started', '2026-03-09T02:00:00.000Z'],
      ['notice.period.ended', '2026-03-16T16:00:00.000Z'],
    ],
  )
  const anonymous = json(await app.inject({ method: 'GET', url: '/v1/changes?types=notice.*' })).items
  t.same(anonymous.map((e: any) => e.type), ['notice.published', 'notice.period.started', 'notice.period.ended'], 'public events, readable by anyone')
})

t.test('several instances running the same round emit each boundary once', async (t) => {
  const built = await buildTestApp(t, { now: '2026-03-09T02:00:00Z' })
  const { app, clock } = built
  const staff = await staffOf(app, 'housing')
  for (let i = 0; i < 3; i++) await publishedNotice(built, staff)
  clock.set('2026-03-20T00:00:00Z')
  const instances = Array.from({ length: 4 }, () => new StatutoryClock({ db: app.db, clock, log: app.log }))
  await Promise.all(instances.map((s) => s.runOnce()))
  const items = json(await app.inject({ method: 'GET', url: '/v1/changes?types=notice.period.*' })).items
  t.equal(items.filter((e: any) => e.type === 'notice.period.started').length, 3)
  t.equal(items.filter((e: any) => e.type === 'notice.period.ended').length, 3)
})

t.test('the scheduler runs on its own and stops with the app', async (t) => {
  const built = await buildTestApp(t, { now: '2026-03-09T02:00:00Z' })
  const { app } = built
  await publishedNotice(built, await staffOf(app, 'housing'))
  app.statutoryClock.start(5)
  // The first round runs at once; wait for its event through the long poll (no sleeping here).
  const page = json(await app.inject({ method: 'GET', url: '/v1/changes?types=notice.period.started&wait=20' }))
  t.equal(page.items.length, 1)
  await app.statutoryClock.stop()
})
