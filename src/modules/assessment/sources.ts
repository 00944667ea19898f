// The records the indicators are computed from, read from the catalog and notices tables: this file
// is the assessment module's one reach into other modules' tables, read-only. Reports come through
// the reports module's service.
import { and, asc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { catalogItems } from '../catalog/tables.js'
import { notices, objections } from '../notices/tables.js'
import type { Range } from '../reports/due.js'

const during = (column: Parameters<typeof gte>[0], r: Range) => and(gte(column, r.from), lt(column, r.to))!

function scope(regionCode: string, departments: string[] | null): SQL[] {
  const where: SQL[] = [eq(notices.regionCode, regionCode)]
  if (departments) where.push(departments.length ? inArray(notices.departmentCode, departments) : sql`false`)
  return where
}

const noticeFacts = {
  id: notices.id,
  departmentCode: notices.departmentCode,
  title: notices.title,
  reviewState: notices.reviewState,
  formedAt: notices.formedAt,
  publishDueAt: notices.publishDueAt,
  publishedAt: notices.publishedAt,
  endsAt: notices.endsAt,
  conclusion: notices.conclusion,
  concludedAt: notices.concludedAt,
}
export type NoticeFacts = { [K in keyof typeof noticeFacts]: (typeof notices.$inferSelect)[K] }

/** Notices with a known formation date whose publication fell due in the period. */
export function noticesDueForPublication(db: Db, regionCode: string, departments: string[] | null, range: Range): Promise<NoticeFacts[]> {
  return db
    .select(noticeFacts)
    .from(notices)
    .where(and(...scope(regionCode, departments), sql`${notices.formedAt} is not null`, during(notices.publishDueAt, range)))
    .orderBy(asc(notices.publishDueAt), asc(notices.id))
}

/** Notices concluded in the period (with no objection, or objections rejected). */
export function noticesConcluded(db: Db, regionCode: string, departments: string[] | null, range: Range): Promise<NoticeFacts[]> {
  return db
    .select(noticeFacts)
    .from(notices)
    .where(and(...scope(regionCode, departments), inArray(notices.conclusion, ['no_objection', 'objections_rejected']), during(notices.concludedAt, range)))
    .orderBy(asc(notices.concludedAt), asc(notices.id))
}

/** Objections received in the period on the departments' notices. Objectors are not read. */
export function objectionsReceived(db: Db, regionCode: string, departments: string[] | null, range: Range) {
  return db
    .select({ receipt: objections.receipt, noticeId: objections.noticeId, departmentCode: notices.departmentCode, noticeTitle: notices.title, createdAt: objections.createdAt, resolvedAt: objections.resolvedAt })
    .from(objections)
    .innerJoin(notices, eq(notices.id, objections.noticeId))
    .where(and(...scope(regionCode, departments), during(objections.createdAt, range)))
    .orderBy(asc(objections.createdAt), asc(objections.receipt))
}

/** The departments' active catalog items (the working set as it is now), with their elements. */
export function activeCatalogItems(db: Db, regionCode: string, departments: string[] | null) {
  const where: SQL[] = [eq(catalogItems.regionCode, regionCode), eq(catalogItems.status, 'active')]
  if (departments) where.push(departments.length ? inArray(catalogItems.departmentCode, departments) : sql`false`)
  return db
    .select({
      key: catalogItems.key,
      departmentCode: catalogItems.departmentCode,
      firstLevel: catalogItems.firstLevel,
      secondLevel: catalogItems.secondLevel,
      content: catalogItems.content,
      basis: catalogItems.basis,
      timeLimit: catalogItems.timeLimit,
      channels: catalogItems.channels,
      levels: catalogItems.levels,
    })
    .from(catalogItems)
    .where(and(...where))
    .orderBy(asc(catalogItems.key))
}
export type CatalogItemFacts = Awaited<ReturnType<typeof activeCatalogItems>>[number]
