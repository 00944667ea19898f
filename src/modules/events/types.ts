// The event types of the change feed and of webhooks: one envelope (Standard Webhooks shaped), a thin
// `data` per type (ids, version, the resource's URL, a few routing fields; never personal data — PIPL
// art. 6, only what the purpose needs: consumers fetch the resource by `url`, under its own rules).
import { Type, type Static, type TSchema } from 'typebox'

/** Who may read an event type: public ones anyone; staff ones a caller holding `events:read`. */
export type Audience = 'public' | 'staff'

const Routing = {
  department: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'The owning department\'s code.' })),
  domain: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'The disclosure domain\'s code.' })),
}

function data(extra: Record<string, TSchema> = {}, idDescription = 'The resource\'s id (or its key or code).') {
  return Type.Object(
    {
      id: Type.String({ description: idDescription }),
      version: Type.Optional(Type.Integer({ description: 'The resource\'s version after the change (its ETag counter); strictly increasing per resource.' })),
      url: Type.String({ description: 'Where to fetch the resource (relative to the API\'s base URL).' }),
      ...Routing,
      ...extra,
    },
    { additionalProperties: false },
  )
}

/** Where a notice or post is published (notices/schemas.ts `publicationChannels`): routes webhooks' channel filter. */
const Channels = { channels: Type.Optional(Type.Array(Type.String(), { description: 'The publication channels (portal, e_net_app, wechat…).' })) }
const NoticeData = data(Channels)
const PeriodData = data({ at: Type.String({ format: 'date-time', description: 'The boundary: when the publicity period started or ends (Civil Code arts. 200–204, computed on the working-day calendar).' }) })
const ObjectionData = data({ open: Type.Integer({ minimum: 0, description: 'Objections still open on the notice.' }), total: Type.Integer({ minimum: 0, description: 'Objections received on the notice.' }) }, 'The notice\'s id.')
const ReportData = data({ period: Type.String({ description: 'The month reported on (YYYY-MM).' }) })
const dueAt = (what: string) => ({ dueAt: Type.String({ format: 'date-time', description: `The deadline that passed: ${what}` }) })
const OverdueDecisionData = data(dueAt('24:00 Asia/Shanghai of the decision\'s last day (REVIEW_15D: 15 days from receiving the materials, on the working-day calendar).'), 'The notice\'s id.')
const OverdueReportData = data(
  { period: Type.String({ description: 'The month reported on (YYYY-MM).' }), ...dueAt('24:00 Asia/Shanghai of the report\'s due day (the region\'s rule, default the 5th working day of the next month).') },
  'The report\'s id; `{department}/{YYYY-MM}` while the report is not even drafted (then `url` is the month\'s summary).',
)
const VersionData = data({}, 'The catalog version\'s number.')
const CalendarData = data({ year: Type.Integer() }, 'The calendar year.')
const PingData = Type.Object({ id: Type.String(), url: Type.Null() }, { additionalProperties: false })

interface EventTypeDef {
  audience: Audience
  description: string
  data: TSchema
}

/** Every event type, grouped by the resource it is about. */
export const eventTypes = {
  'catalog.version.published': { audience: 'public', description: 'A catalog version was published (it is immutable from now on).', data: VersionData },
  'catalog.item.created': { audience: 'public', description: 'An item was added to the working catalog.', data: data({}, 'The item\'s key.') },
  'catalog.item.updated': { audience: 'public', description: 'An item of the working catalog changed.', data: data({}, 'The item\'s key.') },
  'catalog.item.retired': { audience: 'public', description: 'An item was retired (a tombstone: it leaves the next version).', data: data({}, 'The item\'s key.') },
  'catalog.item.reinstated': { audience: 'public', description: 'A retired item was reinstated.', data: data({}, 'The item\'s key.') },
  'notice.published': { audience: 'public', description: 'A notice was published (its publicity period is computed from now, or from its scheduled start).', data: NoticeData },
  'notice.withdrawn': { audience: 'public', description: 'A notice was withdrawn (a tombstone: drop it from public copies).', data: NoticeData },
  'notice.concluded': { audience: 'public', description: 'A notice was concluded after its period.', data: NoticeData },
  'notice.revised': { audience: 'public', description: 'A notice was revised after an upheld objection; `revision` is the new notice.', data: data({ revision: Type.String(), ...Channels }) },
  'notice.period.started': { audience: 'public', description: 'A notice\'s publicity period started (emitted once, at the boundary).', data: PeriodData },
  'notice.period.ended': { audience: 'public', description: 'A notice\'s publicity period ended (emitted once, at the boundary, also after downtime).', data: PeriodData },
  'objection.received': { audience: 'staff', description: 'An objection was received on a notice (counts only, never the objector).', data: ObjectionData },
  'objection.resolved': { audience: 'staff', description: 'An objection on a notice was resolved (counts only).', data: ObjectionData },
  'review.decision.overdue': { audience: 'staff', description: 'A procedure\'s review decision was not made by its deadline (REVIEW_15D; emitted once, at the deadline, also after downtime).', data: OverdueDecisionData },
  'report.submitted': { audience: 'staff', description: 'A monthly report was submitted to the district office.', data: ReportData },
  'report.accepted': { audience: 'staff', description: 'A monthly report was accepted.', data: ReportData },
  'report.returned': { audience: 'staff', description: 'A monthly report was returned for changes.', data: ReportData },
  'report.overdue': { audience: 'staff', description: 'A department\'s monthly report became late: not submitted by its due day (emitted once per department and month, at the deadline, also after downtime).', data: OverdueReportData },
  'post.published': { audience: 'public', description: 'A post was published to the special column.', data: data(Channels) },
  'post.withdrawn': { audience: 'public', description: 'A post was withdrawn (a tombstone).', data: data(Channels) },
  'calendar.changed': { audience: 'public', description: 'The working-day calendar of a year changed (periods computed on it may move).', data: CalendarData },
  'department.changed': { audience: 'public', description: 'A department was created, renamed, moved, merged or retired.', data: data({ action: Type.String({ description: 'What changed (create, update, merge, retire…).' }) }, 'The department\'s code.') },
  ping: { audience: 'staff', description: 'A test message (POST /v1/webhooks/{id}/test); never in the feed.', data: PingData },
  // Operational events of the integration surface itself.
  'webhook.endpoint.disabled': {
    audience: 'staff',
    description: 'gongkai disabled a webhook endpoint (its receiver answered 410 Gone, or every delivery failed for days); emitted once per disabling.',
    data: data({ reason: Type.String({ description: 'Why it was disabled.' }) }, 'The endpoint\'s id.'),
  },
} as const satisfies Record<string, EventTypeDef>

export type EventType = keyof typeof eventTypes
export const eventTypeNames = Object.keys(eventTypes) as EventType[]

/** The envelope of every event: feed item, webhook body and SSE `data:` alike. */
export const EventEnvelopeSchema = Type.Object(
  {
    id: Type.String({ pattern: '^evt_[A-Za-z0-9_-]+$', description: 'Unique and stable: the `webhook-id` of every delivery of it.' }),
    type: Type.String({ description: 'One of GET /v1/event-types.' }),
    timestamp: Type.String({ format: 'date-time', description: 'When the change committed (or the statutory moment).' }),
    data: Type.Record(Type.String(), Type.Unknown(), { description: 'Thin: ids, version, url and routing fields; see the type\'s schema.' }),
  },
  { $id: 'EventEnvelope', additionalProperties: false, description: 'A change, Standard Webhooks shaped.' },
)
export type EventEnvelope = Static<typeof EventEnvelopeSchema>

/** Whether a type matches a filter entry: the type itself or a group wildcard (`notice.*`). */
export function typeMatches(type: string, pattern: string): boolean {
  if (pattern === '*') return true
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1))
  return type === pattern
}
