// LISTEN/NOTIFY wakes the delivery worker at the commit of an event, long before its idle wait ends
// (here an hour): the first attempt follows the commit at once. Never relied on for correctness.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { appendEvent } from '../../src/modules/events/outbox.js'
import { listenForEvents } from '../../src/modules/webhooks/wake-up.js'
import { buildTestApp } from '../helpers/app.js'
import { bearer, clientWith } from '../helpers/auth.js'
import { receiver } from './builders.js'

t.test('a commit wakes the idle worker; a rollback does not', async (t) => {
  const { app } = await buildTestApp(t, { config: { webhookAllowHosts: ['127.0.0.1'] } })
  const { token } = await clientWith(app, ['webhooks:manage'])
  const hook = await receiver(t)
  await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(token), payload: { url: hook.url } })
  let wakes = 0
  let heard: () => void = () => undefined
  const stop = listenForEvents(
    app.database,
    () => {
      wakes++
      app.webhookDelivery.wake()
      heard()
    },
    app.log,
  )
  t.teardown(stop)
  app.webhookDelivery.start(3600_000) // one round now, then an hour's idle wait
  t.teardown(() => app.webhookDelivery.stop())
  const ctx = { regionCode: app.config.defaultRegion, now: app.clock.now() }
  // The listener is registered asynchronously: announce until it hears (each announcement is an event).
  await t.rejects(
    app.db.transaction(async (tx) => {
      await appendEvent(tx, ctx, { type: 'calendar.changed', data: { id: '1999', url: '/v1/calendar/1999', year: 1999 } })
      throw new Error('rolled back')
    }),
  )
  const delivered = new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (hook.received.length) {
        clearInterval(check)
        resolve()
      }
    }, 5)
  })
  const woken = new Promise<void>((resolve) => (heard = resolve))
  for (let i = 0; i < 50 && wakes === 0; i++) {
    await app.db.transaction((tx) => appendEvent(tx, ctx, { type: 'calendar.changed', data: { id: '2027', url: '/v1/calendar/2027', year: 2027 } }))
    await Promise.race([woken, new Promise((r) => setTimeout(r, 20))])
  }
  t.ok(wakes > 0, 'the commit was heard')
  await delivered
  t.ok(hook.received.every((r) => !r.body.includes('1999')), 'nothing from the rolled-back transaction')
})

t.test('a receiver that hangs does not hold up the next event for the others', async (t) => {
  const { app } = await buildTestApp(t, { config: { webhookAllowHosts: ['127.0.0.1'] } })
  const { token } = await clientWith(app, ['webhooks:manage'])
  const waiting: http.ServerResponse[] = []
  const slow = http.createServer((req, res) => {
    req.resume()
    waiting.push(res) // answered only at the end of the test
  })
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => slow.close(() => resolve())))
  const hook = await receiver(t)
  for (const url of [`http://127.0.0.1:${(slow.address() as AddressInfo).port}/hook`, hook.url]) {
    t.equal((await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(token), payload: { url } })).statusCode, 201)
  }
  app.webhookDelivery.start(3600_000)
  t.teardown(() => app.webhookDelivery.stop())
  const ctx = { regionCode: app.config.defaultRegion, now: app.clock.now() }
  const until = async (what: () => boolean) => {
    while (!what()) await new Promise((r) => setTimeout(r, 5))
  }
  for (const year of [2027, 2028]) {
    await app.db.transaction((tx) => appendEvent(tx, ctx, { type: 'calendar.changed', data: { id: String(year), url: `/v1/calendar/${year}`, year } }))
    app.webhookDelivery.wake()
    await until(() => hook.received.some((r) => r.body.includes(String(year))))
  }
  t.equal(hook.received.length, 2, 'the other receiver had the second event while the first send to the hanging one was open')
  await until(() => waiting.length === 2)
  t.pass('the hanging receiver was sent both events too, neither answered yet')
  for (const res of waiting) res.writeHead(204).end()
})
