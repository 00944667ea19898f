// METRICS_PORT: GET /metrics also served without a token on a second listener bound to loopback
// (METRICS_HOST), and nothing else there; the API's own /metrics still needs metrics:read. Every
// request goes to 127.0.0.1.
import t from 'tap'
import { listenForMetrics } from '../../src/http/metrics-listener.js'
import { appendEvent } from '../../src/modules/events/outbox.js'
import { buildTestApp } from '../helpers/app.js'

t.test('with METRICS_PORT the metrics are served without a token on loopback; the API port still asks for one', async (t) => {
  const { app } = await buildTestApp(t, { config: { metricsPort: 0 } })
  await app.ready()
  const address = app.internalMetrics.address
  t.match(address, /^http:\/\/127\.0\.0\.1:\d+$/, 'bound to 127.0.0.1 by default')
  await app.inject({ method: 'GET', url: '/v1/departments/finance' })
  await app.db.transaction((tx) => appendEvent(tx, { regionCode: app.config.defaultRegion, now: app.clock.now() }, { type: 'calendar.changed', data: { id: '2027', url: '/v1/calendar/2027', year: 2027 } }))

  const res = await fetch(`${address}/metrics`)
  t.equal(res.status, 200, 'no token needed')
  t.match(res.headers.get('content-type'), /^text\/plain/)
  const text = await res.text()
  t.match(text, /gongkai_http_requests_total\{method="GET",route="\/v1\/departments\/:code",status="2xx"\} 1/, 'the same registry as the API port')
  t.match(text, /gongkai_feed_head_position [1-9]/)
  t.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401, 'the API port still needs a token')

  const head = await fetch(`${address}/metrics`, { method: 'HEAD' })
  t.equal(head.status, 200)
  t.equal(await head.text(), '')
  const other = await fetch(`${address}/v1/departments`)
  t.equal(other.status, 404, 'nothing else is served there')
  t.match(other.headers.get('content-type'), /^application\/problem\+json/)
  t.match(await other.json(), { type: '/problems/route-not-found', status: 404, instance: '/v1/departments' })
  const post = await fetch(`${address}/metrics`, { method: 'POST', body: '{}' })
  t.equal(post.status, 405)
  t.equal(post.headers.get('allow'), 'GET, HEAD')
  t.match(await post.json(), { type: '/problems/method-not-allowed', status: 405 })

  await app.close()
  t.equal(app.internalMetrics.address, null)
  await t.rejects(fetch(`${address}/metrics`), 'closed with the app')
})

t.test('without METRICS_PORT there is no second listener', async (t) => {
  const { app } = await buildTestApp(t)
  await app.ready()
  t.equal(app.internalMetrics.address, null)
})

t.test('a failed collection is a 503 problem when the database is away, a 500 otherwise; a taken port fails start-up', async (t) => {
  const { app } = await buildTestApp(t)
  let failure: Error = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })
  const listener = await listenForMetrics({ contentType: 'text/plain', metrics: () => Promise.reject(failure) }, { port: 0, host: '127.0.0.1', log: app.log })
  t.teardown(() => listener.close())
  const away = await fetch(`${listener.address}/metrics`)
  t.equal(away.status, 503)
  t.equal(away.headers.get('retry-after'), '1')
  t.match(await away.json(), { type: '/problems/service-unavailable', status: 503 })
  failure = new Error('a bug')
  const bug = await fetch(`${listener.address}/metrics`)
  t.equal(bug.status, 500)
  t.match(await bug.json(), { type: '/problems/internal', status: 500 })

  const port = Number(new URL(listener.address).port)
  await t.rejects(listenForMetrics({ contentType: 'text/plain', metrics: async () => '' }, { port, host: '127.0.0.1', log: app.log }), { code: 'EADDRINUSE' })
})

t.test('built without metrics (the benchmark\'s baseline): no /metrics route and no second listener', async (t) => {
  const { buildApp } = await import('../../src/app.js')
  const { loadConfig } = await import('../../src/config.js')
  const { createTestDatabase } = await import('../helpers/databases.js')
  const testDb = await createTestDatabase()
  const app = await buildApp({ ...loadConfig({}), logLevel: 'silent', demoData: false, jwtSecret: null, metricsPort: 0 }, { database: testDb.database, metrics: false })
  t.teardown(async () => {
    await app.close()
    await testDb.drop()
  })
  await app.ready()
  t.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404)
  t.notOk(app.hasDecorator('internalMetrics'), 'no internal listener either')
})
