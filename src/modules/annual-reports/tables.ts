// Annual reports on open government information (年度报告, Regulations arts. 49–50): one per department
// or for the whole region (the district government's report) per year. The prose sections and the
// figures of table 二 are written by the office; tables 三 and 四 are computed from the applications
// and frozen when the report is submitted, so the published report never changes under its readers.
import { sql } from 'drizzle-orm'
import { integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { reviewColumns } from '../review/tables.js'
import type { ApplicationsTable, RemediesTable } from './computation.js'

/** Table 二 (主动公开政府信息情况): what the office enters; gongkai does not hold these records. */
export interface ProactiveFigures {
  regulations: { issued: number; repealed: number; inForce: number }
  normativeDocuments: { issued: number; repealed: number; inForce: number }
  licensing: number
  penalties: number
  enforcement: number
  /** 行政事业性收费, in 10,000 yuan (万元). */
  feesAmount: number
}

export interface FrozenTables {
  applications: ApplicationsTable
  remedies: RemediesTable
}

export const annualReports = pgTable(
  'annual_reports',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    regionCode: text('region_code').notNull(),
    year: integer('year').notNull(),
    /** `region`, or `department:<code>`: one report per scope and year. */
    scopeKey: text('scope_key').notNull(),
    departmentCode: text('department_code'),
    overview: text('overview').notNull().default(''),
    problems: text('problems').notNull().default(''),
    otherMatters: text('other_matters').notNull().default(''),
    proactive: jsonb('proactive').$type<ProactiveFigures>(),
    frozen: jsonb('frozen').$type<FrozenTables>(),
    frozenAt: timestamp('frozen_at', { withTimezone: true }),
    ...reviewColumns(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('annual_reports_scope_uq').on(t.regionCode, t.year, t.scopeKey)],
)

export type AnnualReportRow = typeof annualReports.$inferSelect
