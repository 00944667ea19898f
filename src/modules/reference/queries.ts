// drizzle queries for reference data. Each takes the handle first (a connection or a transaction).
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/client.js'
import { departmentAliases, departmentHistory, departments, domainAliases, domains, regions } from './tables.js'

const parent = alias(departments, 'parent')
const mergedInto = alias(departments, 'merged_into')

const departmentColumns = {
  id: departments.id,
  code: departments.code,
  regionCode: departments.regionCode,
  nameZh: departments.nameZh,
  nameEn: departments.nameEn,
  kind: departments.kind,
  parentCode: parent.code,
  pilot: departments.pilot,
  version: departments.version,
  retiredAt: departments.retiredAt,
  mergedIntoCode: mergedInto.code,
  updatedAt: departments.updatedAt,
}
export type DepartmentRecord = {
  id: string
  code: string
  regionCode: string
  nameZh: string
  nameEn: string
  kind: string
  parentCode: string | null
  pilot: boolean
  version: number
  retiredAt: Date | null
  mergedIntoCode: string | null
  /** Other names, in the order they were given. */
  aliases: string[]
  updatedAt: Date
}

export function listDomains(db: Db) {
  return db.select().from(domains).orderBy(asc(domains.sortOrder), asc(domains.code))
}

export async function findDomain(db: Db, code: string) {
  const [row] = await db.select().from(domains).where(eq(domains.code, code))
  return row ?? null
}

/** Aliases of the given domains (all when `codes` is omitted), by domain code. */
export async function domainAliasesOf(db: Db, codes?: string[]): Promise<Map<string, string[]>> {
  const rows = await db
    .select({ code: domainAliases.domainCode, alias: domainAliases.alias })
    .from(domainAliases)
    .where(codes ? inArray(domainAliases.domainCode, codes) : undefined)
    .orderBy(asc(domainAliases.alias))
  const byCode = new Map<string, string[]>()
  for (const r of rows) byCode.set(r.code, [...(byCode.get(r.code) ?? []), r.alias])
  return byCode
}

export type DepartmentStatus = 'active' | 'retired' | 'all'

export interface DepartmentFilter {
  regionCode: string
  kind?: string | undefined
  parentId?: string | undefined
  updatedSince?: Date | undefined
  afterCode?: string | undefined
  codes?: string[] | undefined
  status?: DepartmentStatus | undefined
  limit?: number | undefined
}

async function withAliases(db: Db, rows: Omit<DepartmentRecord, 'aliases'>[]): Promise<DepartmentRecord[]> {
  if (!rows.length) return []
  const found = await db
    .select({ departmentId: departmentAliases.departmentId, alias: departmentAliases.alias })
    .from(departmentAliases)
    .where(
      inArray(
        departmentAliases.departmentId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(departmentAliases.alias))
  const byId = new Map<string, string[]>()
  for (const a of found) byId.set(a.departmentId, [...(byId.get(a.departmentId) ?? []), a.alias])
  return rows.map((r) => ({ ...r, aliases: byId.get(r.id) ?? [] }))
}

function selectDepartments(db: Db) {
  return db.select(departmentColumns).from(departments).leftJoin(parent, eq(parent.id, departments.parentId)).leftJoin(mergedInto, eq(mergedInto.id, departments.mergedIntoId))
}

export async function listDepartments(db: Db, f: DepartmentFilter): Promise<DepartmentRecord[]> {
  const where: SQL[] = [eq(departments.regionCode, f.regionCode)]
  if (f.kind) where.push(eq(departments.kind, f.kind))
  if (f.parentId) where.push(eq(departments.parentId, f.parentId))
  if (f.updatedSince) where.push(gte(departments.updatedAt, f.updatedSince))
  if (f.afterCode) where.push(gt(departments.code, f.afterCode))
  if (f.codes) where.push(inArray(departments.code, f.codes))
  if (f.status === 'active') where.push(isNull(departments.retiredAt))
  if (f.status === 'retired') where.push(isNotNull(departments.retiredAt))
  const query = selectDepartments(db)
    .where(and(...where))
    .orderBy(asc(departments.code))
  return withAliases(db, await (f.limit ? query.limit(f.limit) : query))
}

export async function findDepartment(db: Db, regionCode: string, code: string): Promise<DepartmentRecord | null> {
  const [row] = await selectDepartments(db).where(and(eq(departments.regionCode, regionCode), eq(departments.code, code)))
  return row ? (await withAliases(db, [row]))[0]! : null
}

/** Locks the region's row: department writes of one region run one at a time, so the check that a
 *  name or alias is free and the write that takes it cannot interleave with another writer's. */
export async function lockRegion(tx: Db, regionCode: string): Promise<{ code: string; nameZh: string } | null> {
  const [row] = await tx.select({ code: regions.code, nameZh: regions.nameZh }).from(regions).where(eq(regions.code, regionCode)).for('update')
  return row ?? null
}

/** Every name a department of the region holds (code, full name, aliases), for the uniqueness checks. */
export async function namesInRegion(db: Db, regionCode: string) {
  const own = await db
    .select({ id: departments.id, code: departments.code, nameZh: departments.nameZh, mergedIntoId: departments.mergedIntoId })
    .from(departments)
    .where(eq(departments.regionCode, regionCode))
  const aliases = await db
    .select({ departmentId: departmentAliases.departmentId, alias: departmentAliases.alias, aliasKey: departmentAliases.aliasKey })
    .from(departmentAliases)
    .where(eq(departmentAliases.regionCode, regionCode))
  return { own, aliases }
}

export async function replaceDepartmentAliases(tx: Db, regionCode: string, departmentId: string, list: { alias: string; aliasKey: string }[]) {
  await tx.delete(departmentAliases).where(eq(departmentAliases.departmentId, departmentId))
  if (list.length) await tx.insert(departmentAliases).values(list.map((a) => ({ ...a, regionCode, departmentId })))
}

export function departmentHistoryOf(db: Db, departmentId: string) {
  return db.select().from(departmentHistory).where(eq(departmentHistory.departmentId, departmentId)).orderBy(desc(departmentHistory.seq))
}
