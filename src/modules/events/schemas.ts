// Request and response schemas of the change feed and of the event-type catalogue.
import { Type, type Static } from 'typebox'
import { ref } from '../../http/schemas.js'
import { EventEnvelopeSchema } from './types.js'

export const ChangesQuery = Type.Object(
  {
    after: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'A cursor from this feed (`nextCursor`, or an SSE `id:`), or `now` to start at the head. Without it, the feed starts at its oldest retained event.' }),
    ),
    types: Type.Optional(Type.String({ maxLength: 1000, pattern: '^[a-z.*]+(,[a-z.*]+)*$', description: 'Comma-separated event types or groups (`notice.*,catalog.version.published`).' })),
    department: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Only events about this department\'s resources.' })),
    domain: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Only events in this disclosure domain.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    wait: Type.Optional(Type.Integer({ minimum: 0, maximum: 30, description: 'Long poll: when nothing is new, wait up to this many seconds for an event before answering.' })),
  },
  { additionalProperties: false },
)
export type ChangesQueryType = Static<typeof ChangesQuery>

export const ChangesPageSchema = Type.Object(
  {
    items: Type.Array(ref(EventEnvelopeSchema)),
    nextCursor: Type.String({ description: 'Pass as `after` for the next page (also when nothing was new: it marks how far you have read).' }),
    upToDate: Type.Boolean({ description: 'True when this page reached the head of the feed.' }),
  },
  { $id: 'ChangesPage', additionalProperties: false },
)

export const EventTypeSchema = Type.Object(
  {
    type: Type.String(),
    group: Type.String({ description: 'The resource it is about (`notice`, `catalog`…).' }),
    audience: Type.Union([Type.Literal('public'), Type.Literal('staff')], { description: 'public: anyone may read it; staff: needs a token with events:read (or a webhook created by one).' }),
    description: Type.String(),
    schema: Type.Record(Type.String(), Type.Unknown(), { description: 'JSON Schema of the envelope\'s `data`.' }),
  },
  { $id: 'EventType', additionalProperties: false },
)

export const EventTypeListSchema = Type.Object({ items: Type.Array(ref(EventTypeSchema)) }, { additionalProperties: false })

export const eventSchemas = [EventEnvelopeSchema, ChangesPageSchema, EventTypeSchema]
