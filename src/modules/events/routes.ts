// The change feed (GET /v1/changes: pages, long polls and Server-Sent Events) and the catalogue of
// event types. Public event types are readable by anyone; staff types need a token with events:read.
import type { ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { jsonResponse, problemResponses, ref } from '../../http/schemas.js'
import { readFeed, type FeedPage, type FeedQuery } from './feed.js'
import { ChangesPageSchema, ChangesQuery, EventTypeListSchema, type ChangesQueryType } from './schemas.js'
import { eventTypeNames, eventTypes } from './types.js'

export { eventSchemas } from './schemas.js'

/** How often a waiting reader looks again (a read of one row and an index range when nothing is new). */
const POLL_MS = 200
/** An SSE comment this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000

const exampleEnvelope = {
  id: 'evt_2nTq9cX4bLr0aYw1fVzK3Q',
  type: 'notice.published',
  timestamp: '2026-03-02T02:00:00.000Z',
  data: { id: '0f8fad5b-d9cb-469f-a165-70867728950e', version: 4, url: '/v1/notices/0f8fad5b-d9cb-469f-a165-70867728950e', department: 'longsha_housing', domain: 'affordable_housing' },
}

export const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Readers waiting for news stop when the app closes (so that close does not wait for them).
  const closing = new AbortController()
  app.addHook('preClose', async () => closing.abort())

  const feedQuery = (request: FastifyRequest, q: ChangesQueryType, after: string | undefined): FeedQuery => ({
    after,
    types: q.types?.split(','),
    department: q.department,
    domain: q.domain,
    regionCode: request.principal?.regionCode ?? app.config.defaultRegion,
    staff: request.principal?.scopes.includes('events:read') ?? false,
    limit: q.limit ?? 100,
  })

  app.get(
    '/v1/changes',
    {
      schema: {
        operationId: 'listChanges',
        tags: ['changes'],
        summary: 'Follow every committed change, in commit order',
        description:
          'The change feed: every committed change (and statutory moment) exactly once, in commit order, gap-free under concurrent writers. Pass `nextCursor` back as `after`; `after=now` starts at the head. `wait` long-polls. With `Accept: text/event-stream` the same URL streams Server-Sent Events (`id:` is the cursor; reconnect with `Last-Event-ID`). Public event types need no token; staff types need `events:read`. A cursor older than the retention (13 months at least) answers 410 with a `resync` link.',
        security: [],
        querystring: ChangesQuery,
        headers: { type: 'object', properties: { 'last-event-id': { type: 'string', maxLength: 64, description: 'SSE: resume after this cursor (the browser sends it on reconnect).' } } },
        response: {
          200: {
            description: 'A page of changes, or (text/event-stream) a stream of them.',
            content: {
              'application/json': { schema: ref(ChangesPageSchema), example: { items: [exampleEnvelope], nextCursor: 'ZmVlZDo0Mg', upToDate: true } },
              'text/event-stream': { schema: { type: 'string', description: 'Server-Sent Events: `id: <cursor>`, `event: <type>`, `data: <envelope JSON>`.' } },
            },
          },
          ...problemResponses(401, 410),
        },
      },
      config: { auth: 'public', noStore: true },
    },
    async (request, reply) => {
      const q = request.query
      const lastEventId = request.headers['last-event-id']
      const after = typeof lastEventId === 'string' && lastEventId ? lastEventId : q.after
      // First page before anything is sent: a bad or expired cursor is a problem document, never a stream.
      let page = await readFeed(app.db, feedQuery(request, q, after))
      if (request.headers.accept?.includes('text/event-stream')) {
        const headers = { ...reply.getHeaders() }
        reply.hijack()
        await stream(request, reply.raw, page, (cursor) => readFeed(app.db, feedQuery(request, q, cursor)), headers, closing.signal)
        return reply
      }
      // Real time, not the app's clock: this paces waiting for I/O, it decides nothing.
      const deadline = Date.now() + (q.wait ?? 0) * 1000
      while (!page.items.length && Date.now() < deadline && !closing.signal.aborted) {
        await sleep(POLL_MS, undefined, { signal: closing.signal }).catch(() => undefined)
        page = await readFeed(app.db, feedQuery(request, q, page.nextCursor))
      }
      reply.header('cache-control', 'no-store')
      return { items: page.items, nextCursor: page.nextCursor, upToDate: page.upToDate }
    },
  )

  /** Writes pages as SSE until the client goes away or the app closes; the reply is hijacked. */
  async function stream(request: FastifyRequest, res: ServerResponse, first: FeedPage, next: (cursor: string) => Promise<FeedPage>, headers: Record<string, unknown>, closingSignal: AbortSignal) {
    const gone = new AbortController()
    const stop = () => gone.abort()
    request.raw.once('close', stop)
    closingSignal.addEventListener('abort', stop, { once: true })
    const signal = gone.signal
    res.writeHead(200, { ...(headers as Record<string, string>), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' })
    res.write(': gongkai change feed\n\n')
    let page = first
    let quietSince = Date.now()
    try {
      while (!signal.aborted) {
        for (let i = 0; i < page.items.length; i++) {
          const e = page.items[i]!
          res.write(`id: ${page.cursors[i]}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`)
        }
        if (page.items.length) quietSince = Date.now()
        if (page.upToDate) {
          if (Date.now() - quietSince >= HEARTBEAT_MS) {
            res.write(': keep-alive\n\n')
            quietSince = Date.now()
          }
          await sleep(POLL_MS, undefined, { signal }).catch(() => undefined)
        }
        if (signal.aborted) break
        page = await next(page.nextCursor)
      }
    } catch (err) {
      // The database went away mid-stream: the client reconnects with Last-Event-ID and loses nothing.
      request.log.warn({ err }, 'change stream ended by an error')
    } finally {
      request.raw.off('close', stop)
      closingSignal.removeEventListener('abort', stop)
      res.end()
    }
  }

  app.get(
    '/v1/event-types',
    {
      schema: {
        operationId: 'listEventTypes',
        tags: ['changes'],
        summary: 'List the event types, with the JSON Schema of each one\'s data',
        description: 'Every type of the change feed and of webhooks, grouped by resource, with who may read it and the schema of its `data`. The envelope is the same everywhere (see EventEnvelope).',
        security: [],
        response: {
          200: jsonResponse(EventTypeListSchema, { items: [{ type: 'notice.published', group: 'notice', audience: 'public', description: eventTypes['notice.published'].description, schema: { type: 'object' } }] }, 'Every event type.'),
          ...problemResponses(),
        },
      },
      config: { auth: 'public' },
    },
    async () => ({
      items: eventTypeNames.map((type) => ({ type, group: type.split('.')[0]!, audience: eventTypes[type].audience, description: eventTypes[type].description, schema: JSON.parse(JSON.stringify(eventTypes[type].data)) as Record<string, unknown> })),
    }),
  )
}
