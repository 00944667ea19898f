// drizzle queries of the catalog. Each takes the handle first (a connection or a transaction) and
// never opens a transaction itself.
import { and, arrayContains, arrayOverlaps, asc, count, desc, eq, gt, gte, ilike, inArray, lt, lte, max, or, sql, type SQL } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/client.js'
import { likePattern } from './elements.js'
import { catalogItemChanges, catalogItems, catalogSettings, catalogVersionItems, catalogVersions } from './tables.js'

/** The filters a catalog list takes, on the working set and on a version alike. */
export interface EntryFilter {
  domain?: string | undefined
  department?: string | undefined
  level?: string | undefined
  mode?: 'proactive' | 'on_request' | undefined
  q?: string | undefined
  afterKey?: string | undefined
  limit: number
}

interface FilterColumns {
  key: PgColumn
  domain: PgColumn
  departmentCode: PgColumn
  levels: PgColumn
  proactive: PgColumn
  onRequest: PgColumn
  searchText: PgColumn
}

/**
 * Items a department is responsible for, as lead or co-responsible (issue 12: a cell naming several
 * bodies makes each of them responsible): the working set keeps them in an array, a version in its data.
 */
function responsibleIs(c: FilterColumns, department: string): SQL {
  const co = c === catalogItems ? arrayContains(catalogItems.departmentCodes, [department]) : sql`(${catalogVersionItems.data} -> 'departments') @> jsonb_build_array(${department}::text)` // raw: drizzle has no jsonb containment operator
  return or(eq(c.departmentCode, department), co)!
}

function entryConditions(c: FilterColumns, f: EntryFilter): SQL[] {
  const where: SQL[] = []
  if (f.domain) where.push(eq(c.domain, f.domain))
  if (f.department) where.push(responsibleIs(c, f.department))
  if (f.level) where.push(arrayContains(c.levels, [f.level]))
  if (f.mode === 'proactive') where.push(eq(c.proactive, true))
  if (f.mode === 'on_request') where.push(eq(c.onRequest, true))
  // A substring match on the lower-cased search text: Chinese has no word boundaries, so 抽签 must
  // match inside 实物配租抽签结果. (pg_trgm would index it, but is not available on PGlite.)
  if (f.q?.trim()) where.push(ilike(c.searchText, likePattern(f.q)))
  if (f.afterKey) where.push(gt(c.key, f.afterKey))
  return where
}

// ---- the working set

export async function findItem(db: Db, regionCode: string, key: string) {
  const [row] = await db
    .select()
    .from(catalogItems)
    .where(and(eq(catalogItems.regionCode, regionCode), eq(catalogItems.key, key)))
  return row ?? null
}

/** What a read of one item answers with (schemas.ts toItem): no id, search text or creation time. */
const itemReadColumns = {
  key: catalogItems.key,
  domain: catalogItems.domain,
  firstLevel: catalogItems.firstLevel,
  secondLevel: catalogItems.secondLevel,
  thirdLevel: catalogItems.thirdLevel,
  content: catalogItems.content,
  basis: catalogItems.basis,
  timeLimit: catalogItems.timeLimit,
  departmentCode: catalogItems.departmentCode,
  departmentCodes: catalogItems.departmentCodes,
  channels: catalogItems.channels,
  channelsOther: catalogItems.channelsOther,
  audience: catalogItems.audience,
  proactive: catalogItems.proactive,
  onRequest: catalogItems.onRequest,
  levels: catalogItems.levels,
  status: catalogItems.status,
  version: catalogItems.version,
  updatedAt: catalogItems.updatedAt,
}

function itemByKeyQuery(db: Db) {
  return db
    .select(itemReadColumns)
    .from(catalogItems)
    .where(and(eq(catalogItems.regionCode, sql.placeholder('region')), eq(catalogItems.key, sql.placeholder('key'))))
}

type ItemByKey = ReturnType<ReturnType<typeof itemByKeyQuery>['prepare']>
export type ItemReadRow = Awaited<ReturnType<ItemByKey['execute']>>[number]
const itemByKey = new WeakMap<Db, ItemByKey>()
let itemByKeyCount = 0

/**
 * One item as a read answers it, on a statement built and prepared once per database handle: building
 * the query with drizzle per request cost more than running it (issue 16's profile of GET /v1/items/{key}).
 */
export async function readItem(db: Db, regionCode: string, key: string): Promise<ItemReadRow | null> {
  let prepared = itemByKey.get(db)
  if (!prepared) {
    prepared = itemByKeyQuery(db).prepare(`catalog_item_by_key_${++itemByKeyCount}`)
    itemByKey.set(db, prepared)
  }
  const [row] = await prepared.execute({ region: regionCode, key })
  return row ?? null
}

export async function lockItem(tx: Db, regionCode: string, key: string) {
  const [row] = await tx
    .select()
    .from(catalogItems)
    .where(and(eq(catalogItems.regionCode, regionCode), eq(catalogItems.key, key)))
    .for('update')
  return row ?? null
}

export interface ItemFilter extends EntryFilter {
  regionCode: string
  status?: string | undefined
  updatedSince?: Date | undefined
}

export function listItems(db: Db, f: ItemFilter) {
  const where = [eq(catalogItems.regionCode, f.regionCode), ...entryConditions(catalogItems, f)]
  if (f.status) where.push(eq(catalogItems.status, f.status))
  if (f.updatedSince) where.push(gte(catalogItems.updatedAt, f.updatedSince))
  return db
    .select()
    .from(catalogItems)
    .where(and(...where))
    .orderBy(asc(catalogItems.key))
    .limit(f.limit)
}

export function activeItems(db: Db, regionCode: string) {
  return db
    .select()
    .from(catalogItems)
    .where(and(eq(catalogItems.regionCode, regionCode), eq(catalogItems.status, 'active')))
    .orderBy(asc(catalogItems.key))
}

export async function countItems(db: Db, regionCode: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(catalogItems).where(eq(catalogItems.regionCode, regionCode))
  return row?.n ?? 0
}

export function itemChanges(db: Db, itemId: string, afterVersion: number, limit: number) {
  return db
    .select()
    .from(catalogItemChanges)
    .where(and(eq(catalogItemChanges.itemId, itemId), gt(catalogItemChanges.version, afterVersion)))
    .orderBy(asc(catalogItemChanges.version))
    .limit(limit)
}

/** Every change of an item after `afterVersion`, oldest first (only what walking back through them needs). */
export function itemChangesAfter(db: Db, itemId: string, afterVersion: number) {
  return db
    .select({ version: catalogItemChanges.version, changes: catalogItemChanges.changes })
    .from(catalogItemChanges)
    .where(and(eq(catalogItemChanges.itemId, itemId), gt(catalogItemChanges.version, afterVersion)))
    .orderBy(asc(catalogItemChanges.version))
}

// ---- versions

export async function findVersion(db: Db, regionCode: string, number: number) {
  const [row] = await db
    .select()
    .from(catalogVersions)
    .where(and(eq(catalogVersions.regionCode, regionCode), eq(catalogVersions.number, number)))
  return row ?? null
}

export async function lockVersion(tx: Db, regionCode: string, number: number) {
  const [row] = await tx
    .select()
    .from(catalogVersions)
    .where(and(eq(catalogVersions.regionCode, regionCode), eq(catalogVersions.number, number)))
    .for('update')
  return row ?? null
}

/** The number of the latest published version, or null: one indexed lookup (`current`). */
export async function currentNumber(db: Db, regionCode: string): Promise<number | null> {
  const [row] = await db
    .select({ number: catalogVersions.number })
    .from(catalogVersions)
    .where(and(eq(catalogVersions.regionCode, regionCode), eq(catalogVersions.reviewState, 'published')))
    .orderBy(desc(catalogVersions.number))
    .limit(1)
  return row?.number ?? null
}

export async function highestNumber(db: Db, regionCode: string): Promise<number> {
  const [row] = await db.select({ n: max(catalogVersions.number) }).from(catalogVersions).where(eq(catalogVersions.regionCode, regionCode))
  return row?.n ?? 0
}

/** A version still in review (draft, submitted, approved or rejected), if any. */
export async function openVersion(db: Db, regionCode: string) {
  const [row] = await db
    .select()
    .from(catalogVersions)
    .where(and(eq(catalogVersions.regionCode, regionCode), inArray(catalogVersions.reviewState, ['draft', 'submitted', 'approved', 'rejected'])))
    .limit(1)
  return row ?? null
}

/** Newest first. */
export function listVersions(db: Db, f: { regionCode: string; publishedOnly: boolean; beforeNumber?: number | undefined; limit: number }) {
  const where = [eq(catalogVersions.regionCode, f.regionCode)]
  if (f.publishedOnly) where.push(eq(catalogVersions.reviewState, 'published'))
  if (f.beforeNumber !== undefined) where.push(lt(catalogVersions.number, f.beforeNumber))
  return db
    .select()
    .from(catalogVersions)
    .where(and(...where))
    .orderBy(desc(catalogVersions.number))
    .limit(f.limit)
}

export function listVersionItems(db: Db, versionId: string, f: EntryFilter) {
  return db
    .select({ data: catalogVersionItems.data })
    .from(catalogVersionItems)
    .where(and(eq(catalogVersionItems.versionId, versionId), ...entryConditions(catalogVersionItems, f)))
    .orderBy(asc(catalogVersionItems.key))
    .limit(f.limit)
}

export function allVersionItems(db: Db, versionId: string) {
  return db.select({ data: catalogVersionItems.data }).from(catalogVersionItems).where(eq(catalogVersionItems.versionId, versionId)).orderBy(asc(catalogVersionItems.key))
}

// ---- settings

export async function findSettings(db: Db, regionCode: string) {
  const [row] = await db.select().from(catalogSettings).where(eq(catalogSettings.regionCode, regionCode))
  return row ?? null
}

export async function lockSettings(tx: Db, regionCode: string) {
  const [row] = await tx.select().from(catalogSettings).where(eq(catalogSettings.regionCode, regionCode)).for('update')
  return row ?? null
}

/** Active items of a region that use one of `levels`. */
export async function countItemsAtLevels(db: Db, regionCode: string, levels: string[]): Promise<number> {
  if (!levels.length) return 0
  const [row] = await db
    .select({ n: count() })
    .from(catalogItems)
    .where(and(eq(catalogItems.regionCode, regionCode), eq(catalogItems.status, 'active'), arrayOverlaps(catalogItems.levels, levels)))
  return row?.n ?? 0
}

/**
 * Who changed the working set that version `number` froze: every actor of an item change since the
 * freeze of the latest published version before it (all changes when there is none), up to its own
 * freeze. Bounds are inclusive — a change at the very instant of a freeze counts — so the four-eyes rule
 * errs towards excluding a reviewer, never towards admitting one.
 */
export async function workingSetEditors(db: Db, regionCode: string, version: { number: number; createdAt: Date }): Promise<string[]> {
  const [previous] = await db
    .select({ createdAt: catalogVersions.createdAt })
    .from(catalogVersions)
    .where(and(eq(catalogVersions.regionCode, regionCode), eq(catalogVersions.reviewState, 'published'), lt(catalogVersions.number, version.number)))
    .orderBy(desc(catalogVersions.number))
    .limit(1)
  const rows = await db
    .selectDistinct({ actorId: catalogItemChanges.actorId })
    .from(catalogItemChanges)
    .innerJoin(catalogItems, eq(catalogItems.id, catalogItemChanges.itemId))
    .where(and(eq(catalogItems.regionCode, regionCode), lte(catalogItemChanges.at, version.createdAt), previous ? gte(catalogItemChanges.at, previous.createdAt) : undefined))
  return rows.flatMap((r) => (r.actorId ? [r.actorId] : []))
}
