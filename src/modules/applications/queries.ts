// Queries of applications, their consultations, replies and remedies. Handles first; no transactions here.
import { and, asc, eq, gt, inArray, lt, or, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { applicationConsultations, applicationRemedies, applicationReplies, applications, type ApplicationRow } from './tables.js'

export async function findApplication(db: Db, receipt: string, options: { forUpdate?: boolean } = {}): Promise<ApplicationRow | undefined> {
  const query = db.select().from(applications).where(eq(applications.receipt, receipt))
  const [row] = options.forUpdate ? await query.for('update') : await query
  return row
}

export async function detailsOf(db: Db, ids: string[]) {
  if (!ids.length) return { consultations: [], replies: [], remedies: [] }
  const [consultations, replies, remedies] = await Promise.all([
    db.select().from(applicationConsultations).where(inArray(applicationConsultations.applicationId, ids)).orderBy(asc(applicationConsultations.seq)),
    db.select().from(applicationReplies).where(inArray(applicationReplies.applicationId, ids)),
    db.select().from(applicationRemedies).where(inArray(applicationRemedies.applicationId, ids)).orderBy(asc(applicationRemedies.seq)),
  ])
  return { consultations, replies, remedies }
}

export interface ListFilter {
  regionCode: string
  department?: string | undefined
  /** Only these departments (a department's staff); null: the whole region. */
  departments: string[] | null
  after?: [string, string] | undefined
  receivedBefore?: Date | undefined
  limit?: number | undefined
}

/** Applications by date of receipt, oldest first, then id (the cursor's key). */
export async function listApplications(db: Db, f: ListFilter): Promise<ApplicationRow[]> {
  const where: SQL[] = [eq(applications.regionCode, f.regionCode)]
  if (f.department) where.push(eq(applications.departmentCode, f.department))
  if (f.departments) where.push(inArray(applications.departmentCode, f.departments.length ? f.departments : ['']))
  if (f.receivedBefore) where.push(lt(applications.receivedAt, f.receivedBefore))
  if (f.after) {
    const at = new Date(f.after[0])
    where.push(or(gt(applications.receivedAt, at), and(eq(applications.receivedAt, at), gt(applications.id, f.after[1])))!)
  }
  const query = db.select().from(applications).where(and(...where)).orderBy(asc(applications.receivedAt), asc(applications.id))
  return f.limit ? query.limit(f.limit) : query
}
