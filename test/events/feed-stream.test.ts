// The change feed's cursors and its ways of waiting: 400 and 410 cursors, long polls, Server-Sent Events.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { appendEvent } from '../../src/modules/events/outbox.js'
import { cursorOf } from '../../src/modules/events/feed.js'
import { eventHead } from '../../src/modules/events/tables.js'
import { buildTestApp, json } from '../helpers/app.js'

t.test('cursors: not ours is 400, expired by retention is 410 with a resync link', async (t) => {
  const { app } = await buildTestApp(t)
  const forged = await app.inject({ method: 'GET', url: '/v1/changes?after=bm90LWEtY3Vyc29y' })
  t.equal(forged.statusCode, 400)
  t.equal(json(forged).type, '/problems/invalid-cursor')
  t.equal((await app.inject({ method: 'GET', url: `/v1/changes?after=${cursorOf(99_999)}` })).statusCode, 400, 'a cursor ahead of the head was not issued here')
  await app.db.insert(eventHead).values({ id: 1, position: 50, prunedThrough: 40 }).onConflictDoUpdate({ target: eventHead.id, set: { position: 50, prunedThrough: 40 } })
  const expired = await app.inject({ method: 'GET', url: `/v1/changes?after=${cursorOf(12)}` })
  t.equal(expired.statusCode, 410)
  t.equal(json(expired).type, '/problems/cursor-expired')
  t.match(expired.headers.link, /<\/v1\/changes\?after=now>; rel="resync"/)
  t.equal((await app.inject({ method: 'GET', url: `/v1/changes?after=${cursorOf(40)}` })).statusCode, 200, 'the last pruned position itself is still a valid place to read from')
})

t.test('a long poll answers as soon as a change commits', async (t) => {
  const { app } = await buildTestApp(t)
  const ctx = { regionCode: app.config.defaultRegion, now: app.clock.now() }
  const start = json(await app.inject({ method: 'GET', url: '/v1/changes?after=now' })).nextCursor
  const waiting = app.inject({ method: 'GET', url: `/v1/changes?after=${start}&wait=20` })
  await app.db.transaction((tx) => appendEvent(tx, ctx, { type: 'calendar.changed', data: { id: '2027', url: '/v1/calendar/2027', year: 2027 } }))
  const page = json(await waiting)
  t.same(page.items.map((e: any) => e.data.id), ['2027'])
})

t.test('Server-Sent Events: id is the cursor, Last-Event-ID resumes, the stream ends with the app', async (t) => {
  const { app } = await buildTestApp(t)
  const ctx = { regionCode: app.config.defaultRegion, now: app.clock.now() }
  for (const year of [2026, 2027, 2028]) await app.db.transaction((tx) => appendEvent(tx, ctx, { type: 'calendar.changed', data: { id: String(year), url: `/v1/calendar/${year}`, year } }))
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as AddressInfo).port
  const read = (headers: Record<string, string>, count: number) =>
    new Promise<{ id: string; event: string; data: any }[]>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/v1/changes?types=calendar.changed', headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        if (res.headers['content-type'] !== 'text/event-stream; charset=utf-8') reject(new Error(`content-type ${res.headers['content-type']}`))
        let buffer = ''
        const got: { id: string; event: string; data: any }[] = []
        res.on('data', (chunk) => {
          buffer += String(chunk)
          let end
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]))
            if (fields.id) got.push({ id: fields.id, event: fields.event!, data: JSON.parse(fields.data!) })
            if (got.length === count) {
              req.destroy()
              resolve(got)
            }
          }
        })
      })
      req.on('error', (err) => (err.message === 'socket hang up' ? undefined : reject(err)))
    })
  const all = await read({}, 3)
  t.same(all.map((e) => [e.event, e.data.data.year]), [['calendar.changed', 2026], ['calendar.changed', 2027], ['calendar.changed', 2028]])
  const resumed = read({ 'last-event-id': all[0]!.id }, 3)
  await app.db.transaction((tx) => appendEvent(tx, ctx, { type: 'calendar.changed', data: { id: '2029', url: '/v1/calendar/2029', year: 2029 } }))
  t.same((await resumed).map((e) => e.data.data.year), [2027, 2028, 2029], 'resumes after Last-Event-ID and follows new commits')

  // A stream still open when the app closes is ended by it (close does not hang).
  await new Promise<void>((resolve) => {
    http.get({ host: '127.0.0.1', port, path: '/v1/changes?after=now', headers: { accept: 'text/event-stream' } }, (res) => {
      res.once('data', () => resolve())
      res.resume()
    })
  })
})
