// Retention: events older than 13 months leave the feed, and a cursor from before them answers 410
// (with the resync link) rather than a page silently missing them.
import t from 'tap'
import { appendEvent } from '../../src/modules/events/outbox.js'
import { EVENT_RETENTION_MS, pruneExpired } from '../../src/modules/events/retention.js'
import { buildTestApp, json } from '../helpers/app.js'

t.test('pruned events expire the cursors before them; the feed from its start still works', async (t) => {
  const { app, clock } = await buildTestApp(t, { now: '2025-01-06T02:00:00Z' })
  const region = app.config.defaultRegion
  const start = json(await app.inject({ method: 'GET', url: '/v1/changes?after=now' })).nextCursor
  await app.db.transaction((tx) => appendEvent(tx, { regionCode: region, now: clock.now() }, { type: 'calendar.changed', data: { id: '2025', url: '/v1/calendar/2025', year: 2025 } }))
  clock.set('2026-03-02T02:00:00Z')
  await app.db.transaction((tx) => appendEvent(tx, { regionCode: region, now: clock.now() }, { type: 'calendar.changed', data: { id: '2026', url: '/v1/calendar/2026', year: 2026 } }))
  t.equal(await pruneExpired(app.db, clock.now()), 1, 'only the one older than the retention')
  t.equal(await pruneExpired(app.db, clock.now()), 0)
  t.ok(clock.now().getTime() - Date.parse('2025-01-06T02:00:00Z') > EVENT_RETENTION_MS)

  const expired = await app.inject({ method: 'GET', url: `/v1/changes?after=${start}` })
  t.equal(expired.statusCode, 410)
  t.match(json(expired).detail, /after=now/)
  const fromStart = json(await app.inject({ method: 'GET', url: '/v1/changes' }))
  t.same(fromStart.items.map((e: any) => e.data.id), ['2026'], 'without a cursor: from the oldest retained event')
})
