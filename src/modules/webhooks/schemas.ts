// Request and response schemas of webhook endpoints, their secrets and their attempts log.
import { Type, type Static } from 'typebox'
import { ref } from '../../http/schemas.js'
import { publicationChannels } from '../notices/schemas.js'

function RateLimitSchema() {
  return Type.Object(
    { max: Type.Integer({ minimum: 1, maximum: 10000, description: 'Deliveries (attempts) at most per period.' }), per: Type.Union([Type.Literal('second'), Type.Literal('minute')]) },
    { additionalProperties: false },
  )
}

const Filters = {
  description: Type.Optional(Type.String({ maxLength: 500 })),
  types: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z.*]+$', maxLength: 64 }), { maxItems: 50, description: 'Event types or groups (`notice.*`); empty or absent: every type.' })),
  departments: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 200, description: 'Only events about these departments\' resources.' })),
  domains: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50, description: 'Only events in these disclosure domains.' })),
  channels: Type.Optional(
    Type.Array(Type.Enum(publicationChannels), {
      maxItems: 10,
      uniqueItems: true,
      description: 'Only notices and posts published on one of these channels (a WeChat account: `wechat`); events that are not about a channel (catalog, calendar, departments…) still pass. Empty or absent: every channel.',
    }),
  ),
  mode: Type.Optional(
    Type.Union([Type.Literal('each'), Type.Literal('coalesced')], {
      description:
        'each (the default): one message per event. coalesced: one `events.coalesced` message per window of `coalesceWindowSeconds` after its first event, with the count, the types, the first ids, the last event and the feed cursors of the window — a portal rebuild gets one call after a 10,000-row import.',
    }),
  ),
  coalesceWindowSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600, description: 'The window of mode coalesced (default 60).' })),
  rateLimit: Type.Optional(
    Type.Union([RateLimitSchema(), Type.Null()], { description: 'At most `max` deliveries per second or minute; messages over it wait their turn (never dropped). null: no limit.' }),
  ),
}

export const CreateWebhookRequest = Type.Object(
  { url: Type.String({ minLength: 8, maxLength: 2000, description: 'https (public address), or http to an intranet host allow-listed by the operator.' }), ...Filters },
  { additionalProperties: false },
)
export type CreateWebhookInput = Static<typeof CreateWebhookRequest>

export const UpdateWebhookRequest = Type.Object(
  {
    url: Type.Optional(CreateWebhookRequest.properties.url),
    ...Filters,
    status: Type.Optional(Type.Union([Type.Literal('enabled'), Type.Literal('paused')], { description: 'Pause deliveries (messages keep queueing) or resume; `enabled` also revives a disabled endpoint.' })),
  },
  { additionalProperties: false, minProperties: 1 },
)

export const WebhookParams = Type.Object({ id: Type.String({ maxLength: 64 }) }, { additionalProperties: false })

export const WebhookSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    url: Type.String(),
    description: Type.String(),
    types: Type.Array(Type.String()),
    departments: Type.Array(Type.String()),
    domains: Type.Array(Type.String()),
    channels: Type.Array(Type.String()),
    mode: Type.Union([Type.Literal('each'), Type.Literal('coalesced')]),
    coalesceWindowSeconds: Type.Integer({ description: 'The window of mode coalesced.' }),
    rateLimit: Type.Union([RateLimitSchema(), Type.Null()]),
    status: Type.Union([Type.Literal('enabled'), Type.Literal('paused'), Type.Literal('disabled')]),
    disabledReason: Type.Union([Type.String(), Type.Null()], { description: 'Why the API disabled it (410 Gone, days of failure).' }),
    staffEvents: Type.Boolean({ description: 'Whether staff event types reach it (its creator held events:read).' }),
    previousSecretValidUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'After a rotation: until when the previous secret also signs.' }),
    failingSince: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    createdBy: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Webhook', additionalProperties: false },
)

export const WebhookWithSecretSchema = Type.Object(
  { webhook: ref(WebhookSchema), secret: Type.String({ pattern: '^whsec_', description: 'The signing secret: shown only now. Verify deliveries with any Standard Webhooks library.' }) },
  { additionalProperties: false },
)

export const WebhookListSchema = Type.Object({ items: Type.Array(ref(WebhookSchema)) }, { additionalProperties: false })

export const PingResponse = Type.Object({ messageId: Type.String({ description: 'The `webhook-id` the ping is sent with.' }) }, { additionalProperties: false })

export const RecoverRequest = Type.Object({ since: Type.String({ format: 'date-time', description: 'Queue again every matching event since then, oldest first, with its original id.' }) }, { additionalProperties: false })
export const RecoverResponse = Type.Object({ queued: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })

export const AttemptsQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }, { additionalProperties: false })

export const AttemptSchema = Type.Object(
  {
    at: Type.String({ format: 'date-time' }),
    eventId: Type.String({ description: 'The message\'s `webhook-id`.' }),
    outcome: Type.Union([Type.Literal('delivered'), Type.Literal('failed'), Type.Literal('timeout'), Type.Literal('refused'), Type.Literal('error')], { description: 'refused: the address broke the SSRF rule at dial time.' }),
    statusCode: Type.Union([Type.Integer(), Type.Null()]),
    durationMs: Type.Integer(),
    response: Type.String({ description: 'The first KiB of the answer, or the error.' }),
  },
  { additionalProperties: false },
)
export const AttemptListSchema = Type.Object({ items: Type.Array(AttemptSchema) }, { additionalProperties: false })

export const webhookSchemas = [WebhookSchema]

/** The `type` of a coalesced message (mode: coalesced). Not an event type: never in the feed. */
export const COALESCED_TYPE = 'events.coalesced'
/** Event ids listed in a coalesced message at most (the rest are counted; the cursors bound them all). */
export const COALESCED_MAX_IDS = 50

export const CoalescedDataSchema = Type.Object(
  {
    count: Type.Integer({ minimum: 1, description: 'How many events of the endpoint\'s filters committed in the window.' }),
    types: Type.Record(Type.String(), Type.Integer({ minimum: 1 }), { description: 'How many of each type.' }),
    ids: Type.Array(Type.String(), { maxItems: COALESCED_MAX_IDS, description: `The first ${COALESCED_MAX_IDS} events' ids, in commit order.` }),
    idsTruncated: Type.Boolean({ description: `More than ${COALESCED_MAX_IDS} events: read them all from the feed between the two cursors.` }),
    after: Type.String({ description: 'A feed cursor just before the window\'s first event: GET /v1/changes?after={after} reads them in order.' }),
    through: Type.String({ description: 'The feed cursor of the window\'s last event (stop reading there).' }),
    last: Type.Object(
      {
        id: Type.String(),
        type: Type.String(),
        timestamp: Type.String({ format: 'date-time' }),
        data: Type.Record(Type.String(), Type.Unknown(), { description: 'The type\'s thin `data` (see its own entry).' }),
      },
      { additionalProperties: false, description: 'The window\'s last event, in full.' },
    ),
  },
  { additionalProperties: false },
)

export const coalescedExample = {
  id: 'evt_Zk4yQ2u7N1bXr8TfW0aLcA',
  type: COALESCED_TYPE,
  timestamp: '2026-03-02T02:01:00.000Z',
  data: {
    count: 10000,
    types: { 'catalog.item.created': 9200, 'catalog.item.updated': 800 },
    ids: ['evt_9Qm3cTz1pV0aXb7LkR2sWg', 'evt_3hG7kP0qW2eRt5yU8iO1pA'],
    idsTruncated: true,
    after: 'ZmVlZDoxMjAw',
    through: 'ZmVlZDoxMTIwMA',
    last: { id: 'evt_Lm2nB4vC6xZ8aS0dF2gH4j', type: 'catalog.item.updated', timestamp: '2026-03-02T02:00:03.000Z', data: { id: 'civil-affairs.subsistence.recipients', version: 3, url: '/v1/catalog/items/civil-affairs.subsistence.recipients', department: 'mzj', domain: 'social_assistance' } },
  },
}
