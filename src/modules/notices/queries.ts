// drizzle queries for notices, entries and objections. Handle first; services own transactions.
import { and, asc, desc, eq, gt, gte, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { noticeEntries, notices, objections, type NoticeRow } from './tables.js'

export async function findNotice(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<NoticeRow | null> {
  const query = db.select().from(notices).where(eq(notices.id, id))
  const [row] = options.forUpdate ? await query.for('update') : await query
  return row ?? null
}

export function entriesOf(db: Db, noticeId: string, page?: { afterRow: number; limit: number }) {
  const where = page ? and(eq(noticeEntries.noticeId, noticeId), gt(noticeEntries.rowNo, page.afterRow)) : eq(noticeEntries.noticeId, noticeId)
  const q = db.select({ rowNo: noticeEntries.rowNo, data: noticeEntries.data }).from(noticeEntries).where(where).orderBy(asc(noticeEntries.rowNo))
  return page ? q.limit(page.limit) : q
}

export async function replaceEntries(db: Db, noticeId: string, rows: Record<string, string | number | null>[]) {
  await db.delete(noticeEntries).where(eq(noticeEntries.noticeId, noticeId))
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000).map((data, j) => ({ noticeId, rowNo: i + j + 1, data }))
    await db.insert(noticeEntries).values(chunk)
  }
}

export interface NoticeFilter {
  regionCode: string
  /** Only published notices (public reads); otherwise `departments` limits what staff see (null: all). */
  publicOnly: boolean
  departments: string[] | null
  now: Date
  status?: string | undefined
  endingWithinDays?: number | undefined
  concludedWithinDays?: number | undefined
  domain?: string | undefined
  department?: string | undefined
  kind?: string | undefined
  updatedSince?: Date | undefined
  after?: { updatedAt: Date; id: string } | undefined
  limit: number
}

/** Status conditions in SQL, mirroring status.ts for the states a list can ask for. */
function statusCondition(status: string, now: Date): SQL | undefined {
  const published = and(eq(notices.reviewState, 'published'), sql`${notices.conclusion} is null`)
  switch (status) {
    case 'scheduled':
      return and(published, gt(notices.startsAt, now))
    case 'in_publicity':
      return and(published, lte(notices.startsAt, now), gt(notices.endsAt, now))
    case 'period_ended':
      return and(published, lte(notices.endsAt, now))
    case 'concluded':
      return and(eq(notices.reviewState, 'published'), sql`${notices.conclusion} is not null`, sql`${notices.conclusion} <> 'revised'`)
    case 'revised':
      return and(eq(notices.reviewState, 'published'), eq(notices.conclusion, 'revised'))
    default:
      return eq(notices.reviewState, status)
  }
}

export function listNotices(db: Db, f: NoticeFilter) {
  const where: SQL[] = [eq(notices.regionCode, f.regionCode)]
  if (f.publicOnly) where.push(eq(notices.reviewState, 'published'))
  else if (f.departments) where.push(or(eq(notices.reviewState, 'published'), f.departments.length ? inArray(notices.departmentCode, f.departments) : sql`false`)!)
  if (f.status) where.push(statusCondition(f.status, f.now)!)
  if (f.endingWithinDays !== undefined) where.push(and(gt(notices.endsAt, f.now), lte(notices.endsAt, new Date(f.now.getTime() + f.endingWithinDays * 86_400_000)))!)
  if (f.concludedWithinDays !== undefined) where.push(gte(notices.concludedAt, new Date(f.now.getTime() - f.concludedWithinDays * 86_400_000)))
  if (f.domain) where.push(eq(notices.domainCode, f.domain))
  if (f.department) where.push(eq(notices.departmentCode, f.department))
  if (f.kind) where.push(eq(notices.kind, f.kind))
  if (f.updatedSince) where.push(gte(notices.updatedAt, f.updatedSince))
  if (f.after) where.push(or(lt(notices.updatedAt, f.after.updatedAt), and(eq(notices.updatedAt, f.after.updatedAt), lt(notices.id, f.after.id)))!)
  return db
    .select()
    .from(notices)
    .where(and(...where))
    .orderBy(desc(notices.updatedAt), desc(notices.id))
    .limit(f.limit)
}

export function objectionsOf(db: Db, noticeId: string) {
  return db.select().from(objections).where(eq(objections.noticeId, noticeId)).orderBy(asc(objections.createdAt), asc(objections.receipt))
}

export async function objectionCounts(db: Db, noticeIds: string[]) {
  if (!noticeIds.length) return new Map<string, { total: number; open: number; upheld: number; rejected: number }>()
  const rows = await db
    .select({ noticeId: objections.noticeId, status: objections.status, n: sql<number>`count(*)::int` })
    .from(objections)
    .where(inArray(objections.noticeId, noticeIds))
    .groupBy(objections.noticeId, objections.status)
  const counts = new Map<string, { total: number; open: number; upheld: number; rejected: number }>()
  for (const r of rows) {
    const c = counts.get(r.noticeId) ?? { total: 0, open: 0, upheld: 0, rejected: 0 }
    c.total += r.n
    if (r.status === 'open' || r.status === 'assigned') c.open += r.n
    if (r.status === 'upheld') c.upheld += r.n
    if (r.status === 'rejected') c.rejected += r.n
    counts.set(r.noticeId, c)
  }
  return counts
}

export async function recentObjectionsFor(db: Db, noticeId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(objections)
    .where(and(eq(objections.noticeId, noticeId), gte(objections.createdAt, since)))
  return row?.n ?? 0
}

export async function findObjection(db: Db, receipt: string, options: { forUpdate?: boolean } = {}) {
  const q = db.select().from(objections).where(eq(objections.receipt, receipt))
  const [row] = options.forUpdate ? await q.for('update') : await q
  return row ?? null
}

export function deadlines(db: Db, f: { regionCode: string; department?: string | undefined; departments: string[] | null; until: Date }) {
  const where: SQL[] = [eq(notices.regionCode, f.regionCode), sql`${notices.decisionDueAt} is not null`, lte(notices.decisionDueAt, f.until), sql`${notices.reviewState} <> 'withdrawn'`]
  if (f.department) where.push(eq(notices.departmentCode, f.department))
  if (f.departments) where.push(f.departments.length ? inArray(notices.departmentCode, f.departments) : sql`false`)
  return db.select().from(notices).where(and(...where)).orderBy(asc(notices.decisionDueAt))
}
