// The OpenAPI 3.1 `webhooks` section, generated from the event types (events/types.ts) and the
// coalesced body (schemas.ts): one `post` per type — what gongkai sends to a registered endpoint,
// signed per the Standard Webhooks specification — so that integrators generate their receivers from
// the same document as their clients. Nothing here is written by hand per type: a new event type
// appears in the section by being added to `eventTypes`.
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger'
import { Type, type TSchema } from 'typebox'
import { eventTypes, type EventType } from '../events/types.js'
import { COALESCED_TYPE, CoalescedDataSchema, coalescedExample } from './schemas.js'

/** The three Standard Webhooks headers, as OpenAPI header parameters. */
const headerParameters = [
  {
    name: 'webhook-id',
    in: 'header',
    required: true,
    description: 'The message id (the event\'s `id`): the same on every retry, resend and recovery of it. Receivers deduplicate by it.',
    schema: { type: 'string', pattern: '^evt_[A-Za-z0-9_-]+$' },
    example: 'evt_9Qm3cTz1pV0aXb7LkR2sWg',
  },
  {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    description: 'When this attempt was signed, in seconds since the Unix epoch. Reject messages more than 5 minutes from your clock (replay protection).',
    schema: { type: 'string', pattern: '^\\d+$' },
    example: '1772416800',
  },
  {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    description:
      'Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">`, keyed with the base64-decoded part of the endpoint\'s `whsec_` secret; during the 24 h after a rotation one signature per valid secret. Accept the message when any of them matches (any Standard Webhooks library does this).',
    schema: { type: 'string', pattern: '^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$' },
    example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
  },
]

const noBody = (description: string) => ({ description })

/** What the receiver should answer, and what gongkai does with it (webhooks/retry-policy.ts). */
const receiverResponses = {
  '2XX': noBody('Accepted: the message is delivered (the body is ignored). Answer quickly; do the work afterwards.'),
  '410': noBody('Gone: the endpoint no longer exists — gongkai disables it (a `webhook.endpoint.disabled` event) and sends nothing more until it is re-enabled.'),
  '429': noBody('Too many requests: retried later; a `Retry-After` (seconds or an HTTP date, honoured up to 6 h) holds back every message of the endpoint until then.'),
  '5XX': noBody('Retried on the Standard Webhooks schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 20 h, 24 h, ±20% jitter); 502, 503 and 504 honour `Retry-After` like 429. 3xx is a failure too (redirects are not followed). After 5 days without one success the endpoint is disabled.'),
}

/** The envelope of a type: `type` fixed, `data` the type's own schema. */
function envelope(type: string, data: TSchema) {
  return Type.Object(
    {
      id: Type.String({ pattern: '^evt_[A-Za-z0-9_-]+$', description: 'Unique and stable: equals the `webhook-id` header.' }),
      type: Type.Literal(type),
      timestamp: Type.String({ format: 'date-time', description: 'When the change committed (or the statutory moment).' }),
      data,
    },
    { additionalProperties: false },
  )
}

/** The parts of a JSON Schema the example generator reads. */
interface SchemaShape {
  type?: string
  properties?: Record<string, SchemaShape>
  items?: SchemaShape
  anyOf?: SchemaShape[]
  enum?: unknown[]
  format?: string
  const?: unknown
}

/** A plausible value for each field of a `data` schema (the examples are generated like the rest). */
function exampleOf(schema: SchemaShape, name: string, type: string): unknown {
  if (schema.anyOf) return exampleOf(schema.anyOf.find((s) => s.type !== 'null') ?? schema.anyOf[0]!, name, type)
  if (schema.const !== undefined) return schema.const
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, exampleOf(s, k, type)]))
    case 'array':
      return [exampleOf(schema.items ?? {}, name, type)]
    case 'integer':
    case 'number':
      return name === 'year' ? 2027 : name === 'total' ? 2 : 1
    case 'null':
      return null
    default:
      break
  }
  if (schema.enum) return schema.enum[0]
  if (schema.format === 'date-time') return '2026-03-02T02:00:00.000Z'
  const group = type.split('.')[0]!
  const examples: Record<string, string> = {
    id: group === 'notice' || group === 'objection' ? '0f8e2d4c-5b6a-4c3d-8e9f-1a2b3c4d5e6f' : group === 'calendar' ? '2027' : group === 'catalog' ? 'civil-affairs.subsistence.recipients' : 'mzj',
    url: type === 'ping' ? '' : `/v1/${group === 'objection' ? 'notices' : `${group}s`}/example`,
    department: 'mzj',
    domain: 'social_assistance',
    period: '2026-02',
    action: 'update',
    reason: 'the receiver answered 410 Gone',
    revision: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  }
  return examples[name] ?? 'example'
}

function camel(type: string) {
  return type.split(/[._]/).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')
}

function entry(type: string, summary: string, description: string, data: TSchema, example: unknown) {
  return {
    post: {
      operationId: `on${camel(type)}`,
      tags: ['webhooks'],
      summary,
      description,
      // Authenticated by the signature header, not by a scheme of the API's own callers.
      security: [],
      parameters: headerParameters,
      requestBody: {
        required: true,
        content: { 'application/json': { schema: envelope(type, data), example } },
      },
      responses: receiverResponses,
    },
  }
}

type WebhooksSection = NonNullable<Extract<NonNullable<FastifyDynamicSwaggerOptions['openapi']>, { webhooks?: unknown }>['webhooks']>

/** The `webhooks` object of the OpenAPI document: every event type, then the coalesced body. */
export function openapiWebhooks(): WebhooksSection {
  const section: Record<string, unknown> = {}
  for (const [type, def] of Object.entries(eventTypes) as [EventType, (typeof eventTypes)[EventType]][]) {
    const example = { id: 'evt_9Qm3cTz1pV0aXb7LkR2sWg', type, timestamp: '2026-03-02T02:00:00.000Z', data: exampleOf(def.data as SchemaShape, '', type) }
    const audience = def.audience === 'staff' ? ' A staff type: sent only to endpoints registered by a caller holding `events:read`.' : ''
    section[type] = entry(type, def.description, `\`${type}\`, as an endpoint in \`mode: each\` receives it (one message per event).${audience} Fetch the resource by \`data.url\`.`, def.data, example)
  }
  section[COALESCED_TYPE] = entry(
    COALESCED_TYPE,
    'The events of one window, coalesced (endpoints in `mode: coalesced`).',
    'One message per window of `coalesceWindowSeconds` after the first matching event, instead of one per event: the count, the count per type, the first 50 event ids, the last event in full and the feed cursors that bound the window — so a portal rebuilds once after a 10,000-row import and can read exactly those events from GET /v1/changes?after={data.after}. Signed and retried like any message; its `webhook-id` is its own.',
    CoalescedDataSchema,
    coalescedExample,
  )
  return section as WebhooksSection
}
