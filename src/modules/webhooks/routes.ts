// Webhook endpoints (scope webhooks:manage): register, list, change, pause, delete, rotate the secret,
// send a test ping, recover past events, read the attempts log. Deliveries are the worker's (worker.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { writeContext, type AccessRule } from '../../http/access.js'
import { IfMatchHeader, requireIfMatch, setEtag } from '../../http/preconditions.js'
import { jsonResponse, problemResponses, ref } from '../../http/schemas.js'
import {
  AttemptListSchema,
  AttemptsQuery,
  CreateWebhookRequest,
  PingResponse,
  RecoverRequest,
  RecoverResponse,
  UpdateWebhookRequest,
  WebhookListSchema,
  WebhookParams,
  WebhookSchema,
  WebhookWithSecretSchema,
} from './schemas.js'
import { createEndpoint, deleteEndpoint, endpointEtag, getEndpoint, listAttempts, listEndpoints, queuePing, recoverSince, rotateSecret, updateEndpoint } from './service.js'
import type { WebhookEndpointRow } from './tables.js'

export { webhookSchemas } from './schemas.js'

const bearer = [{ bearerAuth: [] }]
const manage: AccessRule = { scopes: ['webhooks:manage'] }
const ifMatch = { type: 'object', properties: IfMatchHeader } as const

/** Never the secrets. */
export function toWebhook(row: WebhookEndpointRow) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    types: row.types,
    departments: row.departments,
    domains: row.domains,
    channels: row.channels,
    mode: row.mode as 'each' | 'coalesced',
    coalesceWindowSeconds: row.coalesceWindowSeconds,
    rateLimit: row.rateLimit === null ? null : { max: row.rateLimit, per: row.ratePeriod as 'second' | 'minute' },
    status: row.status as 'enabled' | 'paused' | 'disabled',
    disabledReason: row.disabledReason,
    staffEvents: row.staffEvents,
    previousSecretValidUntil: row.previousSecretUntil?.toISOString() ?? null,
    failingSince: row.failingSince?.toISOString() ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

const example = {
  id: '6f1c2b9e-3d4a-4f8e-9a51-0c7d2e1b4a90',
  url: 'https://portal.example.gov.cn/hooks/gongkai',
  description: '区政府门户网站 rebuild',
  types: ['notice.*', 'catalog.version.published'],
  departments: [],
  domains: [],
  channels: ['portal' as const],
  mode: 'coalesced' as const,
  coalesceWindowSeconds: 60,
  rateLimit: { max: 10, per: 'second' as const },
  status: 'enabled' as const,
  disabledReason: null,
  staffEvents: false,
  previousSecretValidUntil: null,
  failingSince: null,
  createdBy: 'portal.integration',
  createdAt: '2026-03-02T02:00:00.000Z',
  updatedAt: '2026-03-02T02:00:00.000Z',
}
const exampleSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3EXAMPLE0000='

export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const rule = () => app.webhookAddressRule

  app.post(
    '/v1/webhooks',
    {
      schema: {
        operationId: 'createWebhook',
        tags: ['webhooks'],
        summary: 'Register a webhook endpoint',
        description:
          'Deliveries follow the Standard Webhooks specification (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`). The answer carries the signing `secret` — the only time it is shown. The endpoint receives what commits from now on. Loopback, private, link-local, CGNAT and ULA addresses are refused unless the operator allow-listed them (SSRF).',
        security: bearer,
        body: CreateWebhookRequest,
        response: { 201: jsonResponse(WebhookWithSecretSchema, { webhook: example, secret: exampleSecret }, 'The endpoint and its secret (shown once).'), ...problemResponses(401, 403, 422) },
      },
      config: { auth: manage },
    },
    async (request, reply) => {
      const { row, secret } = await createEndpoint(app.db, writeContext(request), request.principal!, rule(), request.body)
      setEtag(reply, endpointEtag(row))
      reply.header('location', `/v1/webhooks/${row.id}`)
      return reply.code(201).send({ webhook: toWebhook(row), secret })
    },
  )

  app.get(
    '/v1/webhooks',
    {
      schema: { operationId: 'listWebhooks', tags: ['webhooks'], summary: 'List the webhook endpoints of your region', security: bearer, response: { 200: jsonResponse(WebhookListSchema, { items: [example] }, 'Every endpoint.'), ...problemResponses(401, 403) } },
      config: { auth: manage },
    },
    async (request) => ({ items: (await listEndpoints(app.db, request.principal!.regionCode)).map(toWebhook) }),
  )

  app.get(
    '/v1/webhooks/:id',
    {
      schema: { operationId: 'getWebhook', tags: ['webhooks'], summary: 'Get a webhook endpoint', security: bearer, params: WebhookParams, response: { 200: jsonResponse(ref(WebhookSchema), example, 'The endpoint.'), ...problemResponses(401, 403, 404) } },
      config: { auth: manage },
    },
    async (request, reply) => {
      const row = await getEndpoint(app.db, request.principal!.regionCode, request.params.id)
      setEtag(reply, endpointEtag(row))
      return toWebhook(row)
    },
  )

  app.patch(
    '/v1/webhooks/:id',
    {
      schema: {
        operationId: 'updateWebhook',
        tags: ['webhooks'],
        summary: 'Change, pause or resume a webhook endpoint',
        security: bearer,
        params: WebhookParams,
        headers: ifMatch,
        body: UpdateWebhookRequest,
        response: { 200: jsonResponse(ref(WebhookSchema), example, 'The endpoint.'), ...problemResponses(401, 403, 404, 412, 422, 428) },
      },
      config: { auth: manage },
    },
    async (request, reply) => {
      const row = await updateEndpoint(app.db, writeContext(request), rule(), request.params.id, requireIfMatch(request), request.body)
      setEtag(reply, endpointEtag(row))
      return toWebhook(row)
    },
  )

  app.delete(
    '/v1/webhooks/:id',
    {
      schema: { operationId: 'deleteWebhook', tags: ['webhooks'], summary: 'Delete a webhook endpoint (its queue and attempts log go with it)', security: bearer, params: WebhookParams, response: { 204: { description: 'Deleted.', type: 'null' }, ...problemResponses(401, 403, 404) } },
      config: { auth: manage },
    },
    async (request, reply) => {
      await deleteEndpoint(app.db, writeContext(request), request.params.id)
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/v1/webhooks/:id/rotate-secret',
    {
      schema: {
        operationId: 'rotateWebhookSecret',
        tags: ['webhooks'],
        summary: 'Rotate the signing secret (the old one also signs for 24 h)',
        description: 'For 24 hours every delivery carries two signatures (`v1,<new> v1,<old>`), so a receiver verifying with either secret never fails while it switches.',
        security: bearer,
        params: WebhookParams,
        response: { 200: jsonResponse(WebhookWithSecretSchema, { webhook: { ...example, previousSecretValidUntil: '2026-03-03T02:00:00.000Z' }, secret: exampleSecret }, 'The endpoint and its new secret (shown once).'), ...problemResponses(401, 403, 404) },
      },
      config: { auth: manage },
    },
    async (request, reply) => {
      const { row, secret } = await rotateSecret(app.db, writeContext(request), request.params.id)
      setEtag(reply, endpointEtag(row))
      return { webhook: toWebhook(row), secret }
    },
  )

  app.post(
    '/v1/webhooks/:id/test',
    {
      schema: { operationId: 'testWebhook', tags: ['webhooks'], summary: 'Send a test `ping` to the endpoint', security: bearer, params: WebhookParams, response: { 202: jsonResponse(PingResponse, { messageId: 'evt_2nTq9cX4bLr0aYw1fVzK3Q' }, 'Queued; see the attempts log.'), ...problemResponses(401, 403, 404) } },
      config: { auth: manage },
    },
    async (request, reply) => reply.code(202).send({ messageId: await queuePing(app.db, writeContext(request), request.params.id) }),
  )

  app.post(
    '/v1/webhooks/:id/recover',
    {
      schema: {
        operationId: 'recoverWebhook',
        tags: ['webhooks'],
        summary: 'Deliver again every matching event since a time',
        description: 'Oldest first, with the original event ids as `webhook-id` (receivers deduplicate on it). Only events the endpoint has already reached (up to its position in the feed).',
        security: bearer,
        params: WebhookParams,
        body: RecoverRequest,
        response: { 202: jsonResponse(RecoverResponse, { queued: 42 }, 'How many messages were queued.'), ...problemResponses(401, 403, 404) },
      },
      config: { auth: manage },
    },
    async (request, reply) => reply.code(202).send({ queued: await recoverSince(app.db, writeContext(request), request.params.id, new Date(request.body.since)) }),
  )

  app.get(
    '/v1/webhooks/:id/attempts',
    {
      schema: {
        operationId: 'listWebhookAttempts',
        tags: ['webhooks'],
        summary: 'The endpoint\'s delivery attempts, newest first',
        security: bearer,
        params: WebhookParams,
        querystring: AttemptsQuery,
        response: {
          200: jsonResponse(AttemptListSchema, { items: [{ at: '2026-03-02T02:00:01.000Z', eventId: 'evt_2nTq9cX4bLr0aYw1fVzK3Q', outcome: 'delivered', statusCode: 204, durationMs: 38, response: '' }] }, 'Attempts, newest first.'),
          ...problemResponses(401, 403, 404),
        },
      },
      config: { auth: manage },
    },
    async (request) => {
      const rows = await listAttempts(app.db, request.principal!.regionCode, request.params.id, request.query.limit ?? 50)
      return { items: rows.map((r) => ({ at: r.at.toISOString(), eventId: r.eventId, outcome: r.outcome as 'delivered', statusCode: r.statusCode, durationMs: r.durationMs, response: r.response })) }
    },
  )
}
