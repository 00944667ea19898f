// Publicity notices (公示), their entries (the listed people or households), and the public's
// objections. Period facts (start, last day, end) are fixed when a notice is published — the period
// as announced — and its status is derived from them and the clock at read time.
import { sql } from 'drizzle-orm'
import { bigint, bigserial, date, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { reviewColumns } from '../review/tables.js'

export interface NoticeColumn {
  key: string
  label: string
  type: 'text' | 'integer' | 'decimal' | 'amount' | 'date' | 'name' | 'id_number' | 'phone' | 'address' | 'email'
  /** Shown in public responses; false keeps a column for staff only. */
  public: boolean
}
export interface Attachment {
  name: string
  mediaType: string
  size: number
  sha256: string
  url: string
}
export interface Notarization {
  notaryOffice: string
  certificateNumber: string
  date: string
}
export type Retention = { type: 'period_end' } | { type: 'decision_final'; days: number } | { type: 'long_term'; columns: string[] }
export interface PrivacyAssessment {
  reference: string
  date: string
}

// Published and not concluded: the predicate of the partial list indexes. queries.ts states it the same
// way (review_state = 'published' and conclusion is null) so that the planner can use them.
const openCondition = sql`review_state = 'published' and conclusion is null`

export const notices = pgTable(
  'notices',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    regionCode: text('region_code').notNull(),
    departmentCode: text('department_code').notNull(),
    domainCode: text('domain_code').notNull(),
    itemKey: text('item_key'),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    attachments: jsonb('attachments').notNull().$type<Attachment[]>().default([]),
    ruleCode: text('rule_code').notNull(),
    channels: text('channels').array().notNull(),
    notarization: jsonb('notarization').$type<Notarization | null>(),
    columns: jsonb('columns').notNull().$type<NoticeColumn[]>().default([]),
    retention: jsonb('retention').notNull().$type<Retention>(),
    privacyAssessment: jsonb('privacy_assessment').$type<PrivacyAssessment | null>(),
    entryCount: integer('entry_count').notNull().default(0),
    formedAt: timestamp('formed_at', { withTimezone: true }),
    publishDueAt: timestamp('publish_due_at', { withTimezone: true }),
    materialsReceivedAt: timestamp('materials_received_at', { withTimezone: true }),
    decisionDueAt: timestamp('decision_due_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** When the decision was entered (kept through corrections), and by whom. */
    decisionRecordedAt: timestamp('decision_recorded_at', { withTimezone: true }),
    decisionRecordedBy: text('decision_recorded_by'),
    /** When the list's personal data was deleted after its retention ended (PIPL art. 47). */
    listAnonymisedAt: timestamp('list_anonymised_at', { withTimezone: true }),
    requestedStartAt: timestamp('requested_start_at', { withTimezone: true }),
    startsAt: timestamp('starts_at', { withTimezone: true }),
    firstDay: date('first_day', { mode: 'string' }),
    lastDay: date('last_day', { mode: 'string' }),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    calendarStatus: text('calendar_status'),
    conclusion: text('conclusion'),
    concludedAt: timestamp('concluded_at', { withTimezone: true }),
    concludedBy: text('concluded_by'),
    revisionOf: uuid('revision_of'),
    revisedBy: uuid('revised_by'),
    revision: integer('revision').notNull().default(1),
    searchText: text('search_text').notNull().default(''),
    ...reviewColumns(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // Public lists: published notices of a region by period.
    index('notices_public_idx').on(t.regionCode, t.reviewState, t.endsAt, t.startsAt),
    // Lists, newest change first, whole region or by department or domain: the filter, then the order.
    index('notices_updated_idx').on(t.regionCode, t.updatedAt, t.id),
    index('notices_department_idx').on(t.regionCode, t.departmentCode, t.updatedAt, t.id),
    index('notices_domain_idx').on(t.regionCode, t.domainCode, t.updatedAt, t.id),
    // The same for published notices not yet concluded (scheduled, in publicity, period ended: what
    // the portal asks for), carrying the period so that "in publicity now" is decided in the index.
    index('notices_open_idx').on(t.regionCode, t.updatedAt, t.id, t.endsAt, t.startsAt).where(openCondition),
    index('notices_open_department_idx').on(t.regionCode, t.departmentCode, t.updatedAt, t.id, t.endsAt, t.startsAt).where(openCondition),
    index('notices_open_domain_idx').on(t.regionCode, t.domainCode, t.updatedAt, t.id, t.endsAt, t.startsAt).where(openCondition),
    index('notices_decision_due_idx').on(t.regionCode, t.decisionDueAt),
    // The next moment a public page of the region can change by the clock alone (a start or an end of
    // a period: page-validity.ts), one index probe each.
    index('notices_open_starts_idx').on(t.regionCode, t.startsAt).where(openCondition),
    index('notices_open_ends_idx').on(t.regionCode, t.endsAt).where(openCondition),
  ],
)

/**
 * One row (id 1) whose `position` moves with every committed change to notices or objections, in commit
 * order: a deferred trigger bumps it at commit (migration notices_epoch_triggers), once per transaction
 * (`xact`: the transaction that bumped it last). A public page read with position p is current while the
 * row still says p — whichever instance, script or job made the change, evented or not.
 */
export const noticesEpoch = pgTable('notices_epoch', {
  id: smallint('id').primaryKey(),
  position: bigint('position', { mode: 'number' }).notNull(),
  xact: bigint('xact', { mode: 'number' }),
})

export const noticeEntries = pgTable(
  'notice_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    noticeId: uuid('notice_id')
      .notNull()
      .references(() => notices.id, { onDelete: 'cascade' }),
    rowNo: integer('row_no').notNull(),
    data: jsonb('data').notNull().$type<Record<string, string | number | null>>(),
  },
  (t) => [uniqueIndex('notice_entries_row_uq').on(t.noticeId, t.rowNo)],
)

export const objections = pgTable(
  'objections',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    receipt: text('receipt').notNull(),
    noticeId: uuid('notice_id')
      .notNull()
      .references(() => notices.id),
    entryRow: integer('entry_row'),
    objectorName: text('objector_name').notNull(),
    objectorContact: text('objector_contact').notNull(),
    reason: text('reason').notNull(),
    channel: text('channel').notNull(),
    clientAddressHash: text('client_address_hash'),
    status: text('status').notNull().default('open'), // open | assigned | upheld | rejected
    assignee: text('assignee'),
    reply: text('reply'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: text('resolved_by'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('objections_receipt_uq').on(t.receipt), index('objections_notice_idx').on(t.noticeId, t.createdAt)],
)

export type NoticeRow = typeof notices.$inferSelect
export type ObjectionRow = typeof objections.$inferSelect
