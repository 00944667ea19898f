// Request and response schemas of applications for disclosure on request: the full record (staff of
// the department), the status view (anyone holding the receipt), the clock actions and the reply.
import { Type, type Static } from 'typebox'
import { PaginationQuery, ref } from '../../http/schemas.js'
import { ReviewSchema } from '../review/schemas.js'
import { allOutcomeReasons, applicantTypes, outcomeGroups } from './outcomes.js'

const instant = Type.String({ format: 'date-time' })
const isoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A date (YYYY-MM-DD), Asia/Shanghai.' })
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

export const applicationChannels = ['in_person', 'post', 'ordinary_letter', 'online', 'fax', 'portal', 'e_net_app', 'wechat'] as const
export type ApplicationChannel = (typeof applicationChannels)[number]
/** What the public form accepts without a token (art. 31(3): received on the day both sides confirm, i.e. now). */
export const publicChannels = ['portal', 'e_net_app', 'wechat', 'online'] as const
export const applicationStatuses = ['processing', 'awaiting_correction', 'consulting', 'awaiting_fee', 'reply_in_review', 'replied', 'closed'] as const
export const deliveryMethods = ['in_person', 'post', 'email', 'online', 'fax'] as const
export const remedyKinds = ['review', 'lawsuit_direct', 'lawsuit_after_review'] as const
export const remedyOutcomes = ['upheld', 'corrected', 'other', 'pending'] as const

export const ReceiptParams = Type.Object({ receipt: Type.String({ pattern: '^YSQ\\d{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$', description: 'The receipt number given when the application was received.' }) })
export const SeqParams = Type.Object({ receipt: ReceiptParams.properties.receipt, seq: Type.Integer({ minimum: 1, maximum: 1000 }) })

export const ApplicantInput = Type.Object(
  {
    type: Type.Enum(applicantTypes, { description: 'natural_person (自然人) or the kind of organisation, as the annual report counts them.' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    idNumber: Type.Optional(Type.String({ maxLength: 40, description: 'Identity document or unified social credit code. Personal data.' })),
    phone: Type.Optional(Type.String({ maxLength: 40 })),
    address: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
)

export const ApplicationRequest = Type.Object(
  {
    departmentCode: Type.String({ minLength: 1, maxLength: 64 }),
    channel: Type.Enum(applicationChannels, { description: 'Without a token only portal, e_net_app, wechat or online.' }),
    receivedAt: Type.Optional(Type.String({ format: 'date-time', description: 'Art. 31: in person the day submitted; post the day signed for; an ordinary letter the day confirmed with the applicant; online/fax the day both sides confirm. Required for staff; set to now for the public form.' })),
    receiptEvidence: Type.Optional(Type.String({ maxLength: 500, description: 'What proves the date (postal tracking number, fax log, confirmation message).' })),
    applicant: ApplicantInput,
    request: Type.String({ minLength: 1, maxLength: 5000, description: 'The information asked for.' }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    itemKey: Type.Optional(Type.String({ maxLength: 200, description: 'The catalog item the request concerns, when known.' })),
  },
  { additionalProperties: false },
)
export type ApplicationInput = Static<typeof ApplicationRequest>

const ClockDaySchema = Type.Object({ date: isoDate, reason: Type.String(), name: Type.Optional(Type.String()) }, { additionalProperties: false })
export const ReplyClockSchema = Type.Object(
  {
    startsOn: isoDate,
    workingDays: Type.Integer({ description: '20, plus an approved extension.' }),
    lastDay: isoDate,
    dueAt: instant,
    provisional: Type.Boolean({ description: 'Relies on a calendar year whose holiday arrangement is not yet published.' }),
    paused: Type.Boolean({ description: 'A consultation or an unpaid fee notice stops the clock now.' }),
    daysLeft: Type.Integer(),
    explanation: Type.Object({ counted: Type.Array(ClockDaySchema), skipped: Type.Array(ClockDaySchema) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
)

const OutcomeSchema = Type.Object(
  {
    group: Type.Enum(outcomeGroups),
    reason: nullable(Type.Enum(allOutcomeReasons)),
    label: Type.String({ description: 'The row of table 三 it is counted in.' }),
    at: instant,
  },
  { additionalProperties: false },
)

const statusProperties = {
  receipt: Type.String(),
  departmentCode: Type.String(),
  channel: Type.Enum(applicationChannels),
  receivedAt: instant,
  status: Type.Enum(applicationStatuses),
  replyDueAt: nullable(Type.String({ format: 'date-time', description: '24:00 Asia/Shanghai of the last day; null while a correction is awaited or once answered.' })),
  daysLeft: nullable(Type.Integer({ description: 'Calendar days to the last day (0 on it, negative when overdue).' })),
  overdue: Type.Boolean(),
  calendarStatus: nullable(Type.Enum(['official', 'provisional'])),
  correctionDueDate: nullable(isoDate),
  feeDueDate: nullable(isoDate),
  outcome: nullable(OutcomeSchema),
  proactiveItem: nullable(
    Type.Object(
      { key: Type.String(), title: Type.String(), channels: Type.Array(Type.String()), url: Type.String() },
      { additionalProperties: false, description: 'The catalog marks this information for proactive disclosure: where it is published (art. 36(1)).' },
    ),
  ),
}

export const ApplicationStatusSchema = Type.Object(statusProperties, {
  $id: 'ApplicationStatus',
  additionalProperties: false,
  description: 'What anyone holding the receipt may see: no personal data, not the text of the request.',
})
export type ApplicationStatusDto = Static<typeof ApplicationStatusSchema>

const ConsultationSchema = Type.Object(
  { seq: Type.Integer(), consultee: Type.String(), consulteeKind: Type.Enum(['third_party', 'agency']), letter: nullable(Type.String()), sentAt: instant, dueDate: isoDate, answeredAt: nullable(instant), answer: nullable(Type.String()) },
  { additionalProperties: false },
)
const RemedySchema = Type.Object(
  { seq: Type.Integer(), kind: Type.Enum(remedyKinds), filedAt: instant, outcome: Type.Enum(remedyOutcomes), decidedAt: nullable(instant), caseNumber: nullable(Type.String()) },
  { additionalProperties: false },
)
const ReplySchema = Type.Object(
  {
    outcome: Type.Enum(outcomeGroups),
    reason: nullable(Type.Enum(allOutcomeReasons)),
    legalBasis: Type.String(),
    document: Type.String(),
    documentNumber: nullable(Type.String()),
    content: Type.String(),
    deliveryMethod: Type.Enum(deliveryMethods),
    deliveredAt: nullable(instant),
    review: ref(ReviewSchema),
  },
  { additionalProperties: false },
)

export const ApplicationSchema = Type.Object(
  {
    ...statusProperties,
    regionCode: Type.String(),
    receiptEvidence: nullable(Type.String()),
    applicant: Type.Object(
      { type: Type.Enum(applicantTypes), name: Type.String(), idNumber: nullable(Type.String()), phone: nullable(Type.String()), address: nullable(Type.String()) },
      { additionalProperties: false, description: 'Masked unless raw=true was asked by staff holding read:private (audited).' },
    ),
    request: Type.String(),
    description: nullable(Type.String()),
    itemKey: nullable(Type.String()),
    clock: nullable(ReplyClockSchema),
    correction: nullable(Type.Object({ requestedAt: instant, items: Type.String(), dueDate: isoDate, correctedAt: nullable(instant) }, { additionalProperties: false })),
    extension: nullable(
      Type.Object(
        { days: Type.Integer(), reason: Type.String(), requestedBy: Type.String(), requestedAt: instant, approvedBy: nullable(Type.String()), approvedAt: nullable(instant) },
        { additionalProperties: false },
      ),
    ),
    consultations: Type.Array(ConsultationSchema),
    fee: nullable(Type.Object({ amount: Type.String(), noticedAt: instant, dueDate: isoDate, paidAt: nullable(instant) }, { additionalProperties: false })),
    reply: nullable(ReplySchema),
    remedies: Type.Array(RemedySchema),
    createdAt: instant,
    updatedAt: instant,
  },
  { $id: 'Application', additionalProperties: false, description: 'An application for disclosure on request, for staff of its department.' },
)
export type ApplicationDto = Static<typeof ApplicationSchema>

export const RawQuery = Type.Object({ raw: Type.Optional(Type.Boolean({ description: 'Unmasked personal data (read:private on the department; audited).' })) }, { additionalProperties: false })

export const ApplicationListQuery = Type.Object(
  {
    department: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(Type.Enum(applicationStatuses)),
    ...PaginationQuery,
  },
  { additionalProperties: false },
)

export const DeadlineQuery = Type.Object(
  {
    department: Type.Optional(Type.String({ maxLength: 64 })),
    withinDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60, default: 7, description: 'Due within this many calendar days (overdue ones are always listed).' })),
  },
  { additionalProperties: false },
)
export const ApplicationDeadlineSchema = Type.Object(
  { receipt: Type.String(), departmentCode: Type.String(), receivedAt: instant, status: Type.Enum(applicationStatuses), replyDueAt: instant, daysLeft: Type.Integer(), state: Type.Enum(['due', 'overdue']) },
  { additionalProperties: false },
)

export const CorrectionRequest = Type.Object(
  { items: Type.String({ minLength: 1, maxLength: 2000, description: 'What to make clear (art. 30: said once, all at once).' }), dueDate: isoDate },
  { additionalProperties: false },
)
export const CorrectionReceived = Type.Object({ receivedAt: instant }, { additionalProperties: false })
export const ExtensionRequest = Type.Object({ days: Type.Integer({ minimum: 1, maximum: 20 }), reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false })
export const EmptyBody = Type.Object({}, { additionalProperties: false })
export const ConsultationRequest = Type.Object(
  { consultee: Type.String({ minLength: 1, maxLength: 200 }), consulteeKind: Type.Enum(['third_party', 'agency']), sentAt: instant, letter: Type.Optional(Type.String({ maxLength: 5000 })) },
  { additionalProperties: false },
)
export const ConsultationAnswer = Type.Object({ answeredAt: instant, answer: Type.String({ minLength: 1, maxLength: 5000 }) }, { additionalProperties: false })
export const FeeNotice = Type.Object(
  { amount: Type.String({ pattern: '^\\d{1,9}(\\.\\d{1,2})?$', description: 'Yuan.' }), noticedAt: instant, dueDate: Type.Optional(isoDate) },
  { additionalProperties: false },
)
export const FeePayment = Type.Object({ paidAt: instant }, { additionalProperties: false })
export const ReplyRequest = Type.Object(
  {
    outcome: Type.Enum(outcomeGroups),
    reason: Type.Optional(Type.Enum(allOutcomeReasons, { description: 'Required for withheld, unable_to_provide, not_processed and other.' })),
    legalBasis: Type.String({ minLength: 1, maxLength: 1000, description: 'The provisions cited in the reply (e.g. 《政府信息公开条例》第三十六条第（二）项).' }),
    document: Type.String({ minLength: 1, maxLength: 300, description: 'Title of the reply document.' }),
    documentNumber: Type.Optional(Type.String({ maxLength: 100 })),
    content: Type.Optional(Type.String({ maxLength: 20000 })),
    deliveryMethod: Type.Enum(deliveryMethods),
  },
  { additionalProperties: false },
)
export const replyActions = ['submit', 'approve', 'reject', 'send'] as const
export const ReplyActionParams = Type.Object({ receipt: ReceiptParams.properties.receipt, action: Type.Enum(replyActions) })
export const ReplyActionRequest = Type.Object(
  { comment: Type.Optional(Type.String({ maxLength: 2000 })), deliveredAt: Type.Optional(instant) },
  { additionalProperties: false, description: 'A comment (required to reject); for send, when it was delivered (default now).' },
)
export const RemedyRequest = Type.Object(
  { kind: Type.Enum(remedyKinds, { description: 'Administrative review, or a lawsuit filed directly (未经复议直接起诉) or after a review (复议后起诉).' }), filedAt: instant, caseNumber: Type.Optional(Type.String({ maxLength: 100 })) },
  { additionalProperties: false },
)
export const RemedyOutcomeRequest = Type.Object({ outcome: Type.Enum(['upheld', 'corrected', 'other']), decidedAt: instant }, { additionalProperties: false })

export const applicationSchemas = [ApplicationStatusSchema, ApplicationSchema]
