// GET /metrics (Prometheus text, prom-client): requests by route template and status class, their
// duration, the database pool, and the integration series (feed head, outbox depth, delivery attempts
// by outcome, delivery lag, disabled endpoints). Labels are bounded: route templates, methods and
// status classes, never ids. Readable with a token holding metrics:read (admins; a scraper's client).
// A registry per app (not prom-client's global one), so that several apps in one process never clash.
// With METRICS_PORT, also served without a token on an internal listener (metrics-listener.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { count, eq } from 'drizzle-orm'
import fp from 'fastify-plugin'
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import { eventHead } from '../modules/events/tables.js'
import { webhookEndpoints, webhookMessages } from '../modules/webhooks/tables.js'
import { listenForMetrics, type MetricsListener } from './metrics-listener.js'
import { problemResponses } from './schemas.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The internal metrics listener (METRICS_PORT): its address once the app is ready, else null. */
    internalMetrics: { address: string | null }
  }
}

const outcomes = ['delivered', 'failed', 'timeout', 'refused', 'error'] as const

export const metricsRoutes: FastifyPluginAsyncTypebox = fp(
  async (app) => {
    const registry = new Registry()
    const requests = new Counter({ name: 'gongkai_http_requests_total', help: 'HTTP requests by route template, method and status class.', labelNames: ['method', 'route', 'status'] as const, registers: [registry] })
    const duration = new Histogram({
      name: 'gongkai_http_request_duration_seconds',
      help: 'HTTP request duration by route template and method.',
      labelNames: ['method', 'route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    })
    app.addHook('onResponse', async (request, reply) => {
      // The template (`/v1/notices/:id`), never the path: one series per operation.
      const route = request.routeOptions.url ?? 'unmatched'
      if (route === '/metrics') return
      requests.inc({ method: request.method, route, status: `${Math.floor(reply.statusCode / 100)}xx` })
      duration.observe({ method: request.method, route }, reply.elapsedTime / 1000)
    })

    new Gauge({
      name: 'gongkai_db_pool_connections',
      help: 'Database pool connections by state (Postgres only).',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const pool = app.database.pool
        if (!pool) return
        this.set({ state: 'total' }, pool.totalCount)
        this.set({ state: 'idle' }, pool.idleCount)
        this.set({ state: 'waiting' }, pool.waitingCount)
      },
    })
    new Gauge({
      name: 'gongkai_feed_head_position',
      help: 'The last position handed out in the change feed.',
      registers: [registry],
      async collect() {
        const [head] = await app.db.select({ position: eventHead.position }).from(eventHead).where(eq(eventHead.id, 1))
        this.set(head?.position ?? 0)
      },
    })
    new Gauge({
      name: 'gongkai_webhook_outbox_depth',
      help: 'Webhook messages waiting to be delivered.',
      registers: [registry],
      async collect() {
        const [row] = await app.db.select({ n: count() }).from(webhookMessages).where(eq(webhookMessages.status, 'pending'))
        this.set(row?.n ?? 0)
      },
    })
    new Gauge({
      name: 'gongkai_webhook_endpoints_disabled',
      help: 'Webhook endpoints disabled by the API (410 Gone, days of failure).',
      registers: [registry],
      async collect() {
        const [row] = await app.db.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.status, 'disabled'))
        this.set(row?.n ?? 0)
      },
    })
    const reported: Record<(typeof outcomes)[number], number> = { delivered: 0, failed: 0, timeout: 0, refused: 0, error: 0 }
    new Counter({
      name: 'gongkai_webhook_attempts_total',
      help: 'Webhook delivery attempts by this process, by outcome.',
      labelNames: ['outcome'] as const,
      registers: [registry],
      collect() {
        const stats = app.webhookDelivery.stats.attempts
        for (const outcome of outcomes) {
          this.inc({ outcome }, stats[outcome] - reported[outcome])
          reported[outcome] = stats[outcome]
        }
      },
    })
    new Gauge({
      name: 'gongkai_webhook_delivery_lag_seconds',
      help: 'From a message being queued to its delivery, for the last delivered message.',
      registers: [registry],
      collect() {
        const lag = app.webhookDelivery.stats.lastLagMs
        if (lag !== null) this.set(lag / 1000)
      },
    })

    // METRICS_PORT: the same registry, without a token, on a second listener (metrics-listener.ts).
    const internalMetrics: { address: string | null } = { address: null }
    app.decorate('internalMetrics', internalMetrics)
    const { metricsPort, metricsHost } = app.config
    if (metricsPort !== null) {
      let listener: MetricsListener | null = null
      app.addHook('onReady', async () => {
        listener = await listenForMetrics(registry, { port: metricsPort, host: metricsHost, log: app.log })
        internalMetrics.address = listener.address
        app.log.info({ address: listener.address }, `metrics also served without a token at ${listener.address}/metrics`)
      })
      app.addHook('onClose', async () => {
        await listener?.close()
        internalMetrics.address = null
      })
    }

    app.get(
      '/metrics',
      {
        schema: {
          operationId: 'getMetrics',
          tags: ['operations'],
          summary: 'Prometheus metrics',
          description: 'Prometheus text exposition format. Needs a token with `metrics:read` (admins hold it; give a scraper an API client with just that scope).',
          security: [{ bearerAuth: [] }],
          response: {
            200: { description: 'The metrics.', content: { 'text/plain': { schema: { type: 'string' }, example: '# HELP gongkai_feed_head_position The last position handed out in the change feed.\n# TYPE gongkai_feed_head_position gauge\ngongkai_feed_head_position 42\n' } } },
            ...problemResponses(401, 403),
          },
        },
        config: { auth: { scopes: ['metrics:read'] } },
        logLevel: 'warn',
      },
      async (_request, reply) => {
        const text = await registry.metrics()
        return reply.type(registry.contentType).send(text)
      },
    )
  },
  { name: 'metrics', dependencies: ['authorization'] },
)
