// Applications for disclosure on request (依申请公开, Regulations on Open Government Information
// arts. 27–45): the application and its statutory clock facts (correction, extension, fee), the
// consultations of third parties (art. 32), the reply (reviewed before it is sent) and the
// administrative reviews and lawsuits about it. Status and due dates are derived at read time.
import { sql } from 'drizzle-orm'
import { date, index, integer, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { reviewColumns } from '../review/tables.js'

export const applications = pgTable(
  'applications',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    receipt: text('receipt').notNull(),
    regionCode: text('region_code').notNull(),
    departmentCode: text('department_code').notNull(),
    channel: text('channel').notNull(),
    /** Art. 31: the date of receipt as the channel defines it. */
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    receiptEvidence: text('receipt_evidence'),
    applicantType: text('applicant_type').notNull(),
    applicantName: text('applicant_name').notNull(),
    applicantIdNumber: text('applicant_id_number'),
    applicantPhone: text('applicant_phone'),
    applicantAddress: text('applicant_address'),
    request: text('request').notNull(),
    description: text('description'),
    itemKey: text('item_key'),
    // Art. 30: one request for correction within 7 working days; the period runs from the corrected application.
    correctionRequestedAt: timestamp('correction_requested_at', { withTimezone: true }),
    correctionItems: text('correction_items'),
    correctionDueDate: date('correction_due_date', { mode: 'string' }),
    correctedAt: timestamp('corrected_at', { withTimezone: true }),
    // Art. 33: one extension of at most 20 working days, approved by someone other than who asked.
    extensionDays: integer('extension_days'),
    extensionReason: text('extension_reason'),
    extensionRequestedById: text('extension_requested_by_id'),
    extensionRequestedBy: text('extension_requested_by'),
    extensionRequestedAt: timestamp('extension_requested_at', { withTimezone: true }),
    extensionApprovedBy: text('extension_approved_by'),
    extensionApprovedAt: timestamp('extension_approved_at', { withTimezone: true }),
    // Art. 42 and the 2020 measures on information processing fees: notice, deadline, payment.
    feeAmount: numeric('fee_amount', { precision: 12, scale: 2 }),
    feeNoticedAt: timestamp('fee_noticed_at', { withTimezone: true }),
    feeDueDate: date('fee_due_date', { mode: 'string' }),
    feePaidAt: timestamp('fee_paid_at', { withTimezone: true }),
    clientAddressHash: text('client_address_hash'),
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('applications_receipt_uq').on(t.receipt),
    index('applications_department_idx').on(t.regionCode, t.departmentCode, t.receivedAt, t.id),
    index('applications_region_idx').on(t.regionCode, t.receivedAt, t.id),
  ],
)

export const applicationConsultations = pgTable(
  'application_consultations',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    consultee: text('consultee').notNull(),
    consulteeKind: text('consultee_kind').notNull(), // third_party | agency
    letter: text('letter'),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answer: text('answer'),
  },
  (t) => [uniqueIndex('application_consultations_seq_uq').on(t.applicationId, t.seq)],
)

export interface ReplyDocument {
  title: string
  number?: string | undefined
}

export const applicationReplies = pgTable(
  'application_replies',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    outcome: text('outcome').notNull(),
    reason: text('reason'),
    legalBasis: text('legal_basis').notNull(),
    document: text('document_title').notNull(),
    documentNumber: text('document_number'),
    content: text('content').notNull().default(''),
    deliveryMethod: text('delivery_method').notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    ...reviewColumns(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('application_replies_application_uq').on(t.applicationId)],
)

export const applicationRemedies = pgTable(
  'application_remedies',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    kind: text('kind').notNull(), // review | lawsuit_direct | lawsuit_after_review
    filedAt: timestamp('filed_at', { withTimezone: true }).notNull(),
    outcome: text('outcome').notNull().default('pending'), // upheld | corrected | other | pending
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    caseNumber: text('case_number'),
  },
  (t) => [uniqueIndex('application_remedies_seq_uq').on(t.applicationId, t.seq)],
)

export type ApplicationRow = typeof applications.$inferSelect
export type ConsultationRow = typeof applicationConsultations.$inferSelect
export type ReplyRow = typeof applicationReplies.$inferSelect
export type RemedyRow = typeof applicationRemedies.$inferSelect
