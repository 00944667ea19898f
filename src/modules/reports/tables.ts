// Monthly reports (月度工作报告) and the pilot's phase reports from each department to the district
// office, and each region's reporting settings (the due-date rule, who must report, the pilot phases).
// A report's status and who moved it, when, are columns of the report; every move is audited.
import { sql } from 'drizzle-orm'
import { foreignKey, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { departments, regions } from '../reference/tables.js'

/** The figures the system fills in for a report's period (frozen at submission). */
export interface ReportFigures {
  catalogItemsAdded: number
  catalogItemsChanged: number
  catalogItemsRetired: number
  noticesPublished: number
  noticesConcluded: number
  objectionsReceived: number
  objectionsResolved: number
  reviewDeadlinesMet: number
  reviewDeadlinesMissed: number
  noticesWithFormationDate: number
  averageDaysToPublish: number | null
}

/** When a monthly report falls due (default: the 5th working day of the following month). */
export type DueRule = { type: 'nth_working_day_of_next_month'; n: number } | { type: 'day_of_next_month'; day: number }

/** A phase of the pilot that ends with a report (the summary report due before acceptance). */
export interface PilotPhase {
  code: string
  nameZh: string
  /** The dates the phase covers (its figures), inclusive. */
  from: string
  to: string
  /** The last day to submit (until 24:00 Asia/Shanghai). */
  dueDate: string
}

export const reports = pgTable(
  'reports',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    regionCode: text('region_code').notNull(),
    departmentCode: text('department_code').notNull(),
    type: text('type').notNull(), // monthly | pilot_summary
    /** `YYYY-MM` for a monthly report, the phase code for a pilot report. */
    period: text('period').notNull(),
    progress: text('progress').notNull().default(''),
    practices: text('practices').notNull().default(''),
    results: text('results').notNull().default(''),
    difficulties: text('difficulties').notNull().default(''),
    nextSteps: text('next_steps').notNull().default(''),
    status: text('status').notNull().default('draft'), // draft | submitted | accepted | returned
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    figures: jsonb('figures').$type<ReportFigures | null>(),
    figuresAt: timestamp('figures_at', { withTimezone: true }),
    authorId: text('author_id').notNull(),
    authorName: text('author_name').notNull(),
    editorName: text('editor_name').notNull(),
    firstSubmittedAt: timestamp('first_submitted_at', { withTimezone: true }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submitterId: text('submitter_id'),
    submitterName: text('submitter_name'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewerId: text('reviewer_id'),
    reviewerName: text('reviewer_name'),
    reviewComment: text('review_comment'),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    returnCount: integer('return_count').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('reports_department_period_uq').on(t.regionCode, t.departmentCode, t.type, t.period),
    index('reports_period_idx').on(t.regionCode, t.type, t.period),
    index('reports_updated_idx').on(t.regionCode, t.updatedAt, t.id),
    foreignKey({ name: 'reports_department_fk', columns: [t.regionCode, t.departmentCode], foreignColumns: [departments.regionCode, departments.code] }),
  ],
)

/** A region's reporting settings; without a row, the defaults in settings.ts. */
export const reportSettings = pgTable('report_settings', {
  regionCode: text('region_code')
    .primaryKey()
    .references(() => regions.code),
  dueRule: jsonb('due_rule').notNull().$type<DueRule>(),
  /** The departments that must report; null: every department, subdistrict and township of the region. */
  departments: text('departments').array(),
  pilotPhases: jsonb('pilot_phases').notNull().$type<PilotPhase[]>(),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
})

export type ReportRow = typeof reports.$inferSelect
export type ReportSettingsRow = typeof reportSettings.$inferSelect
