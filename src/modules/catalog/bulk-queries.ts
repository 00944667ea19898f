// drizzle queries of bulk imports and exports. Each takes the handle first and never opens a transaction.
import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { catalogItems } from './tables.js'

// An arbitrary constant naming "bulk imports of the catalog" among advisory locks (the region is the second key).
const BULK_LOCK = 7_330_207

/** Serializes bulk imports of a region (until the transaction ends), so a replace sees every item it may retire. */
export async function lockBulkImports(tx: Db, regionCode: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${BULK_LOCK}, ${Number(regionCode)})`) // raw: drizzle has no advisory-lock builder
}

export interface ImportScope {
  regionCode: string
  keys: string[]
  /** Also the active items of this department (and domain): what a replace may retire. */
  replace?: { department: string; domain?: string | undefined } | undefined
  /** Lock the rows (FOR UPDATE): the real run. A dry run only reads. */
  lock: boolean
}

/** The stored items an import touches: those with the upload's keys, and those a replace may retire. */
export async function itemsForImport(db: Db, scope: ImportScope) {
  const region = eq(catalogItems.regionCode, scope.regionCode)
  const wheres: SQL[] = []
  // The keys as one text[] parameter: inArray would bind one parameter per key (a 10,000-row upload:
  // 10,000 placeholders for Postgres to parse and plan, and Postgres takes at most 65,535). Raw:
  // drizzle has no `= any(array parameter)`.
  if (scope.keys.length) wheres.push(and(region, sql`${catalogItems.key} = any(${sql.param(scope.keys)}::text[])`)!)
  if (scope.replace) {
    const { department, domain } = scope.replace
    wheres.push(and(region, eq(catalogItems.status, 'active'), eq(catalogItems.departmentCode, department), domain ? eq(catalogItems.domain, domain) : undefined)!)
  }
  if (!wheres.length) return []
  const query = db
    .select()
    .from(catalogItems)
    .where(or(...wheres))
    .orderBy(asc(catalogItems.key))
  return scope.lock ? query.for('update') : query
}

/** The active items of a region, by key, optionally of one department and domain (exports). */
export function activeItemsOf(db: Db, f: { regionCode: string; department?: string | undefined; domain?: string | undefined }) {
  const where = [eq(catalogItems.regionCode, f.regionCode), eq(catalogItems.status, 'active')]
  if (f.department) where.push(eq(catalogItems.departmentCode, f.department))
  if (f.domain) where.push(eq(catalogItems.domain, f.domain))
  return db
    .select()
    .from(catalogItems)
    .where(and(...where))
    .orderBy(asc(catalogItems.key))
}
