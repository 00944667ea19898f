// buildApp(config): the whole API as one Fastify instance, used by the server and by every test.
// Registration order is the reading order: core plugins, the database, cross-cutting HTTP plugins,
// the OpenAPI document, then each module's routes.
import { randomUUID } from 'node:crypto'
import type { Writable } from 'node:stream'
import zlib from 'node:zlib'
import compress from '@fastify/compress'
import cors from '@fastify/cors'
import etag from '@fastify/etag'
import rateLimit from '@fastify/rate-limit'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance } from 'fastify'
import { trustProxyOption, type Config } from './config.js'
import { openDatabase, type Database, type Db } from './db/client.js'
import { runMigrations } from './db/migrate.js'
import { seedDatabase } from './db/seed.js'
import './http/access.js'
import { problemHandling } from './http/errors.js'
import { clientErrorHandler, frameworkErrors } from './http/framework-errors.js'
import { inputHygiene } from './http/input-hygiene.js'
import { logSerializers } from './http/log-safety.js'
import { metricsRoutes } from './http/metrics.js'
import { openapiDocumentation, openapiRoute } from './http/openapi.js'
import { operationsRoutes } from './http/operations.js'
import { sharedSchemas } from './http/schemas.js'
import { securityHeaderPlugin } from './http/security-headers.js'
import { schemaCompilers } from './http/validation.js'
import { systemClock, type Clock } from './lib/clock.js'
import { referenceSchemas } from './modules/reference/schemas.js'
import { referenceRoutes } from './modules/reference/routes.js'
import { calendarRoutes, calendarSchemas } from './modules/calendar/routes.js'
import { catalogRoutes, catalogSchemas } from './modules/catalog/routes.js'
import { catalogBulkRoutes } from './modules/catalog/bulk-routes.js'
import { CurrentVersionPointer } from './modules/catalog/current-pointer.js'
import { itemResponseCache } from './modules/catalog/item-cache.js'
import { objectionRoutes } from './modules/notices/objection-routes.js'
import { noticeRoutes } from './modules/notices/routes.js'
import { noticeSchemas } from './modules/notices/schemas.js'
import { auditRoutes, auditSchemas } from './modules/audit/routes.js'
import { adminRoutes } from './modules/auth/admin-routes.js'
import { authorization } from './modules/auth/guard.js'
import { loadSigningKeys } from './modules/auth/keys.js'
import { authRoutes } from './modules/auth/routes.js'
import { authSchemas } from './modules/auth/schemas.js'
import { reviewSchemas } from './modules/review/schemas.js'
import { reportRoutes, reportSchemas } from './modules/reports/routes.js'
import { postRoutes, postSchemas } from './modules/posts/routes.js'
import { assessmentRoutes, assessmentSchemas } from './modules/assessment/routes.js'
import { applicationRoutes } from './modules/applications/routes.js'
import { applicationSchemas } from './modules/applications/schemas.js'
import { annualReportRoutes } from './modules/annual-reports/routes.js'
import { annualReportSchemas } from './modules/annual-reports/schemas.js'
import { eventRoutes, eventSchemas } from './modules/events/routes.js'
import { StatutoryClock } from './modules/events/statutory-clock.js'
import { AddressRule } from './modules/webhooks/address-rule.js'
import { httpSender } from './modules/webhooks/delivery.js'
import { webhookRoutes, webhookSchemas } from './modules/webhooks/routes.js'
import { DeliveryWorker } from './modules/webhooks/worker.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    clock: Clock
    database: Database
    db: Db
    /**
     * Where anonymous public reads go: the replica when DATABASE_READ_URL is set (it may lag: README,
     * "Read replicas"), else the primary. Reads with a token use `db`, so callers read back their own writes.
     */
    readDb: Db
    /** This instance's view of each region's `current` catalog version (catalog/current-pointer.ts). */
    currentVersions: CurrentVersionPointer
    /** Webhook delivery (webhooks/worker.ts): started by server.ts when BACKGROUND_JOBS is on, stopped on close. */
    webhookDelivery: DeliveryWorker
    /** Time-triggered events (publicity periods starting and ending) and retention; started like webhookDelivery. */
    statutoryClock: StatutoryClock
    /** Where webhooks may go (SSRF rule, WEBHOOK_ALLOW_HOSTS). */
    webhookAddressRule: AddressRule
  }
}

export interface BuildOptions {
  /**
   * Use this database instead of opening one from the config (tests; the server passes the embedded
   * database it started opening before loading this module). It is closed with the app.
   */
  database?: Database | Promise<Database>
  clock?: Clock
  /** A random signing key for this process only (default: when a database is passed in). */
  ephemeralKeys?: boolean
  /** Where log lines go (default stdout); tests capture them to check that no secret is logged. */
  logStream?: Writable
  /** GET /metrics and its request hook (default on; scripts/bench/metrics-cost.ts turns it off to measure its cost). */
  metrics?: boolean
  /**
   * Bench only: false makes POST /v1/items/bulk write no change events (default on;
   * scripts/bench/catalog-bulk.ts turns it off to measure their cost, issue 15). Not a product setting.
   */
  changeEvents?: boolean
}

const requestIdPattern = /^[A-Za-z0-9._-]{8,128}$/

export async function buildApp(config: Config, options: BuildOptions = {}) {
  // First, so that a missing key stops start-up with its own message before any connection is tried.
  let keys
  try {
    keys = await loadSigningKeys(config, { ephemeral: options.ephemeralKeys ?? Boolean(options.database) })
  } catch (err) {
    if (options.database) await Promise.resolve(options.database).then((d) => d.close(), () => undefined)
    throw err
  }
  // Opening starts now and is awaited only after the plugins and routes are registered: PGlite spends
  // most of its ~0.5 s compiling WebAssembly off the main thread, which overlaps with that work.
  // (A pg pool connects lazily, on the first query: the migrations.)
  const opening = Promise.resolve(
    options.database ??
      openDatabase(config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir }),
  )
  opening.catch(() => undefined) // awaited below; this only keeps an early failure from being "unhandled"
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]', '*.password', '*.clientSecret', '*.refreshToken', '*.accessToken'],
        censor: '[redacted]',
      },
      serializers: logSerializers,
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    // A caller's X-Request-Id is kept (so a front end can correlate), anything else gets a fresh id.
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID()
    },
    requestIdHeader: false,
    bodyLimit: config.bodyLimit,
    trustProxy: trustProxyOption(config.trustProxy),
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Errors before routing, and requests Node's parser refuses, are problem details too.
    frameworkErrors,
    clientErrorHandler,
    schemaController: schemaCompilers({ eagerResponses: ['/healthz', '/readyz'] }),
    ajv: { customOptions: {} },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('config', config)
  app.decorate('clock', options.clock ?? systemClock)
  app.decorate('currentVersions', new CurrentVersionPointer(app.clock))
  await app.register(itemResponseCache)
  app.decorate('webhookAddressRule', new AddressRule(config.webhookAllowHosts))
  // The worker reads app.db when it runs, so it can exist before the database arrives.
  // A claim outlives the delivery timeout four times over (15 s → a 60 s lease) with room to record the attempt.
  const webhookTimeoutMs = config.webhookTimeoutSeconds * 1000
  app.decorate('webhookDelivery', new DeliveryWorker({ get db() { return app.db }, clock: app.clock, log: app.log, send: httpSender(app.webhookAddressRule, undefined, webhookTimeoutMs), leaseMs: 4 * webhookTimeoutMs }))
  app.decorate('statutoryClock', new StatutoryClock({ get db() { return app.db }, clock: app.clock, log: app.log }))
  app.addHook('preClose', async () => {
    await Promise.all([app.webhookDelivery.stop(), app.statutoryClock.stop()])
  })

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  // Only JSON bodies by default; modules that take CSV or spreadsheets add their parsers.
  app.removeContentTypeParser('text/plain')

  await app.register(securityHeaderPlugin)
  await app.register(cors, {
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'X-Request-Id'],
    maxAge: 600,
  })
  await app.register(compress, { threshold: 1024, brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } } })
  await app.register(etag, { weak: true })
  await app.register(problemHandling)
  await app.register(inputHygiene)
  // Per-route limits only (the token endpoint); counted per client address on each instance.
  await app.register(rateLimit, { global: false })
  await app.register(authorization, { keys })
  await app.register(openapiDocumentation)

  for (const schema of [...sharedSchemas, ...referenceSchemas, ...authSchemas, ...auditSchemas, ...reviewSchemas, ...calendarSchemas, ...catalogSchemas, ...noticeSchemas, ...reportSchemas, ...postSchemas, ...assessmentSchemas, ...applicationSchemas, ...annualReportSchemas, ...eventSchemas, ...webhookSchemas]) app.addSchema(schema)

  await app.register(openapiRoute)
  await app.register(operationsRoutes)
  // Shared (fastify-plugin): its timing hooks see every route registered after it.
  if (options.metrics !== false) await app.register(metricsRoutes)
  await app.register(referenceRoutes)
  await app.register(calendarRoutes)
  await app.register(catalogRoutes)
  await app.register(catalogBulkRoutes, { changeEvents: options.changeEvents !== false })
  await app.register(noticeRoutes)
  await app.register(objectionRoutes)
  await app.register(reportRoutes)
  await app.register(postRoutes)
  await app.register(assessmentRoutes)
  await app.register(applicationRoutes)
  await app.register(annualReportRoutes)
  await app.register(eventRoutes)
  await app.register(webhookRoutes)
  await app.register(authRoutes)
  await app.register(adminRoutes)
  await app.register(auditRoutes, { keys })

  // Node loads its fetch classes (undici) the first time `Response` is named, and @fastify/compress
  // names it on every send (`payload instanceof Response`): loaded now, while the database opens,
  // rather than by the first request (~50 ms).
  void globalThis.Response
  // Routes read app.db when they handle a request, so the database can arrive after they register.
  let database: Database
  try {
    database = await opening
  } catch (err) {
    await app.close().catch(() => undefined)
    throw err
  }
  app.decorate('database', database)
  // One short line per lost connection (message and code); the request that used it answers 503.
  database.onConnectionLost((loss) => app.log.warn({ database: loss }, 'database connection lost'))
  app.decorate('db', database.db)
  app.addHook('onClose', async () => database.close())
  // A pool connects on its first query, so opening the replica costs nothing at start.
  const replica = config.databaseReadUrl ? await openDatabase({ kind: 'postgres', url: config.databaseReadUrl }) : null
  replica?.onConnectionLost((loss) => app.log.warn({ database: loss, replica: true }, 'database connection lost'))
  app.decorate('readDb', replica?.db ?? database.db)
  if (replica) app.addHook('onClose', async () => replica.close())
  try {
    await runMigrations(database)
    await seedDatabase(app.db, config)
  } catch (err) {
    await app.close().catch(() => undefined)
    throw err
  }
  return app
}

export type App = Awaited<ReturnType<typeof buildApp>>
export type { FastifyInstance }
