// Request and response schemas of notices and objections.
import { Type, type Static, type TSchema, type TUnsafe } from 'typebox'
import { PaginationQuery, ref, UpdatedSinceQuery } from '../../http/schemas.js'
import { xlsxMediaType } from '../../lib/spreadsheet/read.js'
import { ReviewSchema } from '../review/schemas.js'
import { columnTypes } from './columns.js'
import { conclusions } from './lifecycle.js'
import { objectionChannels } from './objections.js'
import { maxEntries, noticeKinds } from './service.js'
import { noticeStatuses } from './status.js'
import { departmentFieldDescription, domainFieldDescription } from '../reference/department-field.js'

export const publicationChannels = ['portal', 'e_net_app', 'wechat', 'weibo', 'bulletin_board', 'on_site', 'service_hall', 'campus', 'newspaper', 'other'] as const

const isoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })
const instant = Type.String({ format: 'date-time' })
/**
 * `T | null`. A scalar is declared with a type list (`type: ['string', 'null']`, OpenAPI 3.1) rather
 * than `anyOf`: the response serializer (fast-json-stringify) picks an `anyOf` branch by running the
 * validator on every value — a date-time format check per timestamp, some 300 per list page — and a
 * type list by `typeof`. Objects and arrays keep `anyOf`.
 */
function nullable<T extends TSchema>(t: T): TUnsafe<Static<T> | null> {
  const schema = t as unknown as { type?: unknown; enum?: unknown[] }
  if (typeof schema.type === 'string' && schema.type !== 'object' && schema.type !== 'array') return Type.Unsafe<Static<T> | null>({ ...t, type: [schema.type, 'null'] })
  if (schema.type === undefined && Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string')) {
    return Type.Unsafe<Static<T> | null>({ ...t, type: ['string', 'null'], enum: [...schema.enum, null] })
  }
  return Type.Unsafe<Static<T> | null>(Type.Union([t, Type.Null()]))
}

const ColumnSchema = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }),
    label: Type.String({ minLength: 1, maxLength: 40 }),
    type: Type.Enum(columnTypes, { description: '`name`, `id_number`, `phone`, `address` and `email` are personal: masked in every public response. A column whose key or label names a personal field (姓名, 身份证, 证件, 电话, 手机, 联系方式, 住址, 地址, 邮箱…) must have one of these types.' }),
    public: Type.Boolean({ default: true, description: 'false keeps the column for staff only.' }),
  },
  { additionalProperties: false },
)
const AttachmentSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    mediaType: Type.String({ pattern: '^[a-z]+/[a-zA-Z0-9.+-]+$' }),
    size: Type.Integer({ minimum: 0 }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000, description: 'http or https only (never javascript:, data: or vbscript:).' }),
  },
  { additionalProperties: false },
)
const NotarizationSchema = Type.Object(
  { notaryOffice: Type.String({ minLength: 1, maxLength: 100 }), certificateNumber: Type.String({ minLength: 1, maxLength: 100 }), date: isoDate },
  { additionalProperties: false, description: 'For lottery results: notarized on the spot (公证).' },
)
const RetentionSchema = Type.Union(
  [
    Type.Object({ type: Type.Literal('period_end') }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('decision_final'), days: Type.Integer({ minimum: 0, maximum: 3650 }) }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('long_term'), columns: Type.Array(Type.String(), { maxItems: 40 }) }, { additionalProperties: false }),
  ],
  { description: 'When the list leaves public responses: at the period end, N days after the decision is final, or never (long-term, only the listed columns).' },
)
const PrivacyAssessmentSchema = Type.Object(
  { reference: Type.String({ minLength: 1, maxLength: 100 }), date: isoDate },
  { additionalProperties: false, description: 'The privacy impact assessment (PIPL art. 55), required before approving a list with personal columns.' },
)

const editableFields = {
  itemKey: Type.Optional(nullable(Type.String({ maxLength: 200, description: 'The catalog item this notice fulfils.' }))),
  title: Type.String({ minLength: 1, maxLength: 200 }),
  body: Type.Optional(Type.String({ maxLength: 20000 })),
  attachments: Type.Optional(Type.Array(AttachmentSchema, { maxItems: 50 })),
  ruleCode: Type.String({ maxLength: 40, description: 'The period rule, e.g. PUBLICITY_7D, PUBLICITY_7WD (GET /v1/period-rules).' }),
  channels: Type.Array(Type.Enum(publicationChannels), { minItems: 1, maxItems: 10 }),
  notarization: Type.Optional(nullable(NotarizationSchema)),
  columns: Type.Optional(Type.Array(ColumnSchema, { maxItems: 40 })),
  retention: Type.Optional(RetentionSchema),
  privacyAssessment: Type.Optional(nullable(PrivacyAssessmentSchema)),
  formedAt: Type.Optional(nullable(instant)),
  materialsReceivedAt: Type.Optional(nullable(instant)),
  requestedStartAt: Type.Optional(nullable(instant)),
}

export const CreateNoticeRequest = Type.Object(
  {
    departmentCode: Type.String({ maxLength: 64, description: departmentFieldDescription }),
    domainCode: Type.String({ maxLength: 64, description: domainFieldDescription }),
    kind: Type.Enum(noticeKinds),
    ...editableFields,
  },
  { additionalProperties: false },
)
export const UpdateNoticeRequest = Type.Object(
  {
    ...Object.fromEntries(Object.entries(editableFields).map(([k, v]) => [k, Type.Optional(v)])),
  } as { [K in keyof typeof editableFields]: ReturnType<typeof Type.Optional<(typeof editableFields)[K]>> },
  { additionalProperties: false, minProperties: 1 },
)

export const EntriesRequest = Type.Object(
  { entries: Type.Array(Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Null()])), { maxItems: maxEntries }) },
  { additionalProperties: false },
)

const sheetLayout =
  "A header row naming the notice's declared columns by key or label (e.g. 姓名, 身份证号, 家庭人口, 月补贴金额), under any title lines; one row per entry."

/** The list as JSON, CSV or XLSX (PUT /v1/notices/{id}/entries). */
export const EntriesBody = {
  content: {
    'application/json': {
      schema: EntriesRequest,
      example: { entries: [{ name: '张三明', id_number: '230202198003151238', household_size: 3, subsidy: 420 }] },
    },
    'text/csv': {
      schema: Type.String({ description: `CSV in UTF-8 (with or without BOM), or GBK/GB18030 as Excel in China saves it: by the charset parameter (text/csv; charset=gbk) or detected. ${sheetLayout}` }),
      example: '姓名,身份证号,家庭人口,月补贴金额\r\n张三明,230202198003151238,3,420\r\n',
    },
    [xlsxMediaType]: { schema: Type.String({ format: 'binary', description: `An XLSX workbook; its first worksheet is read. ${sheetLayout}` }) },
  },
}

const ObjectionCountsSchema = Type.Object(
  { total: Type.Integer(), open: Type.Integer(), upheld: Type.Integer(), rejected: Type.Integer() },
  { additionalProperties: false, description: 'How many objections, and their outcomes. Objectors are never shown.' },
)

const summaryProperties = {
  id: Type.String({ format: 'uuid' }),
  regionCode: Type.String(),
  departmentCode: Type.String(),
  domainCode: Type.String(),
  itemKey: nullable(Type.String()),
  kind: Type.Enum(noticeKinds),
  title: Type.String(),
  status: Type.Enum(noticeStatuses),
  ruleCode: Type.String(),
  startsAt: nullable(instant),
  firstDay: nullable(isoDate),
  lastDay: nullable(isoDate),
  endsAt: nullable(instant),
  daysRemaining: nullable(Type.Integer()),
  calendarStatus: nullable(Type.Enum(['official', 'provisional'])),
  channels: Type.Array(Type.Enum(publicationChannels)),
  entryCount: Type.Integer(),
  objections: ObjectionCountsSchema,
  revision: Type.Integer(),
  revisionOf: nullable(Type.String({ format: 'uuid' })),
  revisedBy: nullable(Type.String({ format: 'uuid' })),
  conclusion: nullable(Type.Enum([...conclusions, 'revised'])),
  concludedAt: nullable(instant),
  formedAt: nullable(instant),
  publishDueAt: nullable(instant),
  publishedLate: nullable(Type.Boolean({ description: 'Published after publishDueAt (the item\'s time limit counted from formedAt).' })),
  materialsReceivedAt: nullable(instant),
  decisionDueAt: nullable(instant),
  decidedAt: nullable(instant),
  decisionRecordedAt: nullable({ ...instant, description: 'When the decision was entered (kept through corrections): a decision entered after its due date shows here even if decidedAt is earlier.' }),
  decisionOverdue: nullable(Type.Boolean()),
  review: ref(ReviewSchema),
  updatedAt: instant,
}

export const NoticeSummarySchema = Type.Object(summaryProperties, { $id: 'NoticeSummary', additionalProperties: false })
export type NoticeSummary = Static<typeof NoticeSummarySchema>

export const NoticeSchema = Type.Object(
  {
    ...summaryProperties,
    body: Type.String(),
    attachments: Type.Array(AttachmentSchema),
    notarization: nullable(NotarizationSchema),
    columns: Type.Array(ColumnSchema),
    retention: RetentionSchema,
    privacyAssessment: nullable(PrivacyAssessmentSchema),
    entries: nullable(Type.Array(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()])))),
    entriesWithdrawn: Type.Boolean({ description: 'The list is no longer public (its retention ended); summary and counts stay.' }),
    entriesTruncated: Type.Boolean({ description: 'More entries than shown: page through GET /v1/notices/{id}/entries.' }),
  },
  { $id: 'Notice', additionalProperties: false, description: 'A publicity notice (公示). Personal columns are masked in every public response.' },
)
export type NoticeDto = Static<typeof NoticeSchema>

export const NoticeListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(noticeStatuses)),
    endingWithinDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 366, description: 'Notices whose period ends within N days from now.' })),
    concludedWithinDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 366, description: 'Recently concluded: within the last N days.' })),
    domain: Type.Optional(Type.String({ maxLength: 64 })),
    department: Type.Optional(Type.String({ maxLength: 64 })),
    kind: Type.Optional(Type.Enum(noticeKinds)),
    ...PaginationQuery,
    ...UpdatedSinceQuery,
  },
  { additionalProperties: false },
)
export const NoticeParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false })
export const EntriesQuery = Type.Object(
  {
    raw: Type.Optional(Type.Boolean({ description: 'Unmasked personal data: needs the read:private scope; every such read is audited.' })),
    ...PaginationQuery,
  },
  { additionalProperties: false },
)
export const EntriesPageSchema = Type.Object(
  {
    items: Type.Array(Type.Object({ row: Type.Integer(), data: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()])) }, { additionalProperties: false })),
    nextCursor: nullable(Type.String()),
    masked: Type.Boolean(),
  },
  { additionalProperties: false },
)
export const ConcludeRequest = Type.Object({ outcome: Type.Enum(conclusions) }, { additionalProperties: false })
export const DecisionRequest = Type.Object(
  {
    decidedAt: { ...instant, description: 'When the decision was made: not in the future.' },
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'Required to correct a decision already recorded (reviewers only).' })),
  },
  { additionalProperties: false },
)

export const ObjectionRequest = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50 }),
    contact: Type.String({ minLength: 5, maxLength: 100, pattern: '^(?:\\+?[0-9][0-9 -]{5,19}|[^@\\s]+@[^@\\s]+\\.[^@\\s]+)$', description: 'A phone number or an e-mail address, for the official reply.' }),
    entryRow: Type.Optional(Type.Integer({ minimum: 1, description: 'The entry (row number) the objection concerns, if any.' })),
    reason: Type.String({ minLength: 5, maxLength: 2000 }),
    channel: Type.Enum(objectionChannels, { default: 'portal' }),
  },
  { additionalProperties: false },
)
export const ReceiptSchema = Type.Object(
  { receipt: Type.String(), status: Type.Enum(['open', 'assigned', 'upheld', 'rejected']), submittedAt: instant, reply: nullable(Type.String()), resolvedAt: nullable(instant), noticeId: Type.String({ format: 'uuid' }), noticeTitle: Type.String() },
  { $id: 'ObjectionReceipt', additionalProperties: false, description: 'What the objector can see: the status and the official reply.' },
)
export const ObjectionSchema = Type.Object(
  {
    receipt: Type.String(),
    noticeId: Type.String({ format: 'uuid' }),
    entryRow: nullable(Type.Integer()),
    name: Type.String(),
    contact: Type.String(),
    reason: Type.String(),
    channel: Type.Enum(objectionChannels),
    status: Type.Enum(['open', 'assigned', 'upheld', 'rejected']),
    assignee: nullable(Type.String()),
    reply: nullable(Type.String()),
    resolvedAt: nullable(instant),
    resolvedBy: nullable(Type.String()),
    submittedAt: instant,
    addressHash: nullable(Type.String({ description: 'The hash of the address it came from (comparable within this notice only): to spot and dismiss spam in bulk.' })),
  },
  { $id: 'Objection', additionalProperties: false, description: 'An objection as staff see it (personal data: staff of the department only; every read is audited).' },
)
export const DismissObjectionsRequest = Type.Object(
  {
    receipts: Type.Optional(Type.Array(Type.String({ pattern: '^YY\\d{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$' }), { minItems: 1, maxItems: 1000 })),
    addressHash: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
    reply: Type.String({ minLength: 1, maxLength: 4000, description: 'The reply each objector sees.' }),
  },
  { additionalProperties: false },
)
export const DismissObjectionsResponse = Type.Object({ dismissed: Type.Array(Type.String()) }, { additionalProperties: false })
export const ReceiptParams = Type.Object({ receipt: Type.String({ pattern: '^YY\\d{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$' }) }, { additionalProperties: false })
export const AssignRequest = Type.Object({ assignee: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false })
export const ResolveRequest = Type.Object({ outcome: Type.Enum(['upheld', 'rejected']), reply: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false })
export const DeadlineQuery = Type.Object(
  { department: Type.Optional(Type.String({ maxLength: 64 })), withinDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 366, default: 7 })) },
  { additionalProperties: false },
)
export const DeadlineSchema = Type.Object(
  {
    noticeId: Type.String({ format: 'uuid' }),
    title: Type.String(),
    departmentCode: Type.String(),
    materialsReceivedAt: instant,
    decisionDueAt: instant,
    decidedAt: nullable(instant),
    state: Type.Enum(['due', 'overdue', 'met', 'missed']),
  },
  { additionalProperties: false },
)

export const noticeSchemas = [NoticeSummarySchema, NoticeSchema, ReceiptSchema, ObjectionSchema]
