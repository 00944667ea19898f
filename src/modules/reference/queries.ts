// drizzle queries for reference data. Each takes the handle first (a connection or a transaction).
import { and, asc, eq, gt, gte, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/client.js'
import { departments, domains } from './tables.js'

const parent = alias(departments, 'parent')

const departmentColumns = {
  id: departments.id,
  code: departments.code,
  regionCode: departments.regionCode,
  nameZh: departments.nameZh,
  nameEn: departments.nameEn,
  kind: departments.kind,
  parentCode: parent.code,
  pilot: departments.pilot,
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
  updatedAt: Date
}

export function listDomains(db: Db) {
  return db.select().from(domains).orderBy(asc(domains.sortOrder), asc(domains.code))
}

export async function findDomain(db: Db, code: string) {
  const [row] = await db.select().from(domains).where(eq(domains.code, code))
  return row ?? null
}

export interface DepartmentFilter {
  regionCode: string
  kind?: string | undefined
  parentId?: string | undefined
  updatedSince?: Date | undefined
  afterCode?: string | undefined
  limit?: number | undefined
}

export function listDepartments(db: Db, f: DepartmentFilter): Promise<DepartmentRecord[]> {
  const where: SQL[] = [eq(departments.regionCode, f.regionCode)]
  if (f.kind) where.push(eq(departments.kind, f.kind))
  if (f.parentId) where.push(eq(departments.parentId, f.parentId))
  if (f.updatedSince) where.push(gte(departments.updatedAt, f.updatedSince))
  if (f.afterCode) where.push(gt(departments.code, f.afterCode))
  const query = db
    .select(departmentColumns)
    .from(departments)
    .leftJoin(parent, eq(parent.id, departments.parentId))
    .where(and(...where))
    .orderBy(asc(departments.code))
  return f.limit ? query.limit(f.limit) : query
}

export async function findDepartment(db: Db, regionCode: string, code: string): Promise<DepartmentRecord | null> {
  const [row] = await db
    .select(departmentColumns)
    .from(departments)
    .leftJoin(parent, eq(parent.id, departments.parentId))
    .where(and(eq(departments.regionCode, regionCode), eq(departments.code, code)))
  return row ?? null
}
