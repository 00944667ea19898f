// GET /metrics: Prometheus text for a token with metrics:read, nobody else; request series labelled
// by route template (never an id), and the integration series.
import t from 'tap'
import { appendEvent } from '../../src/modules/events/outbox.js'
import { buildTestApp } from '../helpers/app.js'
import { bearer, clientWith, tokenFor } from '../helpers/auth.js'

t.test('metrics need metrics:read and label requests by route template', async (t) => {
  const { app } = await buildTestApp(t)
  t.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401)
  const editor = await tokenFor(app, 'editor', 'housing')
  t.equal((await app.inject({ method: 'GET', url: '/metrics', headers: bearer(editor) })).statusCode, 403)
  const scraper = await clientWith(app, ['metrics:read'])

  await app.inject({ method: 'GET', url: '/v1/departments/finance' })
  await app.inject({ method: 'GET', url: '/v1/departments/nowhere' })
  await app.db.transaction((tx) => appendEvent(tx, { regionCode: app.config.defaultRegion, now: app.clock.now() }, { type: 'calendar.changed', data: { id: '2027', url: '/v1/calendar/2027', year: 2027 } }))

  const res = await app.inject({ method: 'GET', url: '/metrics', headers: bearer(scraper.token) })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain/)
  t.match(res.body, /gongkai_http_requests_total\{method="GET",route="\/v1\/departments\/:code",status="2xx"\} 1/)
  t.match(res.body, /gongkai_http_requests_total\{method="GET",route="\/v1\/departments\/:code",status="4xx"\} 1/)
  t.notOk(res.body.includes('nowhere'), 'no ids or paths in labels')
  t.match(res.body, /gongkai_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/v1\/departments\/:code"\}/)
  t.match(res.body, /gongkai_feed_head_position [1-9]/)
  t.match(res.body, /gongkai_webhook_outbox_depth 0/)
  t.match(res.body, /gongkai_webhook_endpoints_disabled 0/)
  t.match(res.body, /gongkai_webhook_attempts_total\{outcome="delivered"\} 0/)

  const admin = await tokenFor(app, 'admin')
  t.equal((await app.inject({ method: 'GET', url: '/metrics', headers: bearer(admin) })).statusCode, 200, 'admins hold metrics:read')
})
