// drizzle queries for reports. Handle first; services own transactions.
import { and, asc, count, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { reports, type ReportRow } from './tables.js'

export async function findReport(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<ReportRow | null> {
  const query = db.select().from(reports).where(eq(reports.id, id))
  const [row] = options.forUpdate ? await query.for('update') : await query
  return row ?? null
}

export async function findByPeriod(db: Db, regionCode: string, departmentCode: string, type: string, period: string): Promise<ReportRow | null> {
  const [row] = await db
    .select()
    .from(reports)
    .where(and(eq(reports.regionCode, regionCode), eq(reports.departmentCode, departmentCode), eq(reports.type, type), eq(reports.period, period)))
  return row ?? null
}

/** Every report of a period (any department), in department order. */
export function reportsOfPeriod(db: Db, regionCode: string, type: string, period: string) {
  return db
    .select()
    .from(reports)
    .where(and(eq(reports.regionCode, regionCode), eq(reports.type, type), eq(reports.period, period)))
    .orderBy(asc(reports.departmentCode))
}

/** Monthly reports of these months (for assessment). */
export function monthlyReports(db: Db, regionCode: string, months: string[], departments?: string[]) {
  const where: SQL[] = [eq(reports.regionCode, regionCode), eq(reports.type, 'monthly'), inArray(reports.period, months.length ? months : [''])]
  if (departments) where.push(departments.length ? inArray(reports.departmentCode, departments) : sql`false`)
  return db.select().from(reports).where(and(...where))
}

export async function countReportsOfPhases(db: Db, regionCode: string, phases: string[]): Promise<number> {
  if (!phases.length) return 0
  const [row] = await db
    .select({ n: count() })
    .from(reports)
    .where(and(eq(reports.regionCode, regionCode), eq(reports.type, 'pilot_summary'), inArray(reports.period, phases)))
  return row?.n ?? 0
}

export interface ReportFilter {
  regionCode: string
  /** null: every department (region-wide staff). */
  departments: string[] | null
  type?: string | undefined
  period?: string | undefined
  department?: string | undefined
  status?: string | undefined
  updatedSince?: Date | undefined
  after?: { updatedAt: Date; id: string } | undefined
  limit: number
}

export function listReports(db: Db, f: ReportFilter) {
  const where: SQL[] = [eq(reports.regionCode, f.regionCode)]
  if (f.departments) where.push(f.departments.length ? inArray(reports.departmentCode, f.departments) : sql`false`)
  if (f.type) where.push(eq(reports.type, f.type))
  if (f.period) where.push(eq(reports.period, f.period))
  if (f.department) where.push(eq(reports.departmentCode, f.department))
  if (f.status) where.push(eq(reports.status, f.status))
  if (f.updatedSince) where.push(gte(reports.updatedAt, f.updatedSince))
  if (f.after) where.push(or(lt(reports.updatedAt, f.after.updatedAt), and(eq(reports.updatedAt, f.after.updatedAt), lt(reports.id, f.after.id)))!)
  return db
    .select()
    .from(reports)
    .where(and(...where))
    .orderBy(desc(reports.updatedAt), desc(reports.id))
    .limit(f.limit)
}
