// Request and response schemas of webhook endpoints, their secrets and their attempts log.
import { Type, type Static } from 'typebox'
import { ref } from '../../http/schemas.js'

const Filters = {
  description: Type.Optional(Type.String({ maxLength: 500 })),
  types: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z.*]+$', maxLength: 64 }), { maxItems: 50, description: 'Event types or groups (`notice.*`); empty or absent: every type.' })),
  departments: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 200, description: 'Only events about these departments\' resources.' })),
  domains: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50, description: 'Only events in these disclosure domains.' })),
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
