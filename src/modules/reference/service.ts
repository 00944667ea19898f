// Reference data rules: department lists (flat with cursors, or as a tree) and the idempotent seed.
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { encodeCursor, readCursor } from '../../lib/cursor.js'
import { notFound } from '../../lib/problems.js'
import * as q from './queries.js'
import type { DepartmentRecord } from './queries.js'
import { defaultRegion, pilotDepartments, pilotDomains } from './seed-data.js'
import { departments, domains, regions } from './tables.js'

export type { DepartmentRecord }
export interface DepartmentNode extends DepartmentRecord {
  children: DepartmentNode[]
}

export const listDomains = (db: Db) => q.listDomains(db)

export async function getDomain(db: Db, code: string) {
  const row = await q.findDomain(db, code)
  if (!row) throw notFound(`No domain with code ${code}.`)
  return row
}

export async function getDepartment(db: Db, regionCode: string, code: string): Promise<DepartmentRecord> {
  const row = await q.findDepartment(db, regionCode, code)
  if (!row) throw notFound(`No department with code ${code} in region ${regionCode}.`)
  return row
}

export interface DepartmentQuery {
  regionCode: string
  kind?: string | undefined
  parent?: string | undefined
  updatedSince?: Date | undefined
  limit: number
  cursor?: string | undefined
}

async function parentIdOf(db: Db, regionCode: string, parentCode: string | undefined) {
  if (!parentCode) return undefined
  return (await getDepartment(db, regionCode, parentCode)).id
}

export async function listDepartmentsFlat(db: Db, query: DepartmentQuery) {
  const [afterCode] = readCursor(query.cursor, ['string']) ?? []
  const rows = await q.listDepartments(db, {
    regionCode: query.regionCode,
    kind: query.kind,
    parentId: await parentIdOf(db, query.regionCode, query.parent),
    updatedSince: query.updatedSince,
    afterCode,
    limit: query.limit + 1,
  })
  const items = rows.slice(0, query.limit)
  const nextCursor = rows.length > query.limit ? encodeCursor([items[items.length - 1]!.code]) : null
  return { items, nextCursor }
}

/** The whole hierarchy (or the subtree under `parent`), filtered by kind at every level. */
export async function listDepartmentsTree(db: Db, query: Omit<DepartmentQuery, 'limit' | 'cursor'>) {
  const rows = await q.listDepartments(db, { regionCode: query.regionCode })
  const nodes = new Map<string, DepartmentNode>(rows.map((r) => [r.code, { ...r, children: [] }]))
  const roots: DepartmentNode[] = []
  for (const node of nodes.values()) {
    const parentNode = node.parentCode ? nodes.get(node.parentCode) : undefined
    if (parentNode) parentNode.children.push(node)
    else roots.push(node)
  }
  let top = roots
  if (query.parent) {
    const start = nodes.get(query.parent)
    if (!start) throw notFound(`No department with code ${query.parent} in region ${query.regionCode}.`)
    top = start.children
  }
  const keep = (list: DepartmentNode[]): DepartmentNode[] =>
    list.flatMap((n) => {
      const children = keep(n.children)
      if (query.kind && n.kind !== query.kind) return children
      if (query.updatedSince && n.updatedAt < query.updatedSince) return children
      return [{ ...n, children }]
    })
  return keep(top)
}

/** Inserts the pilot's region, domains and departments where missing; never overwrites edits. */
export async function seedReferenceData(db: Db): Promise<void> {
  await db.insert(regions).values(defaultRegion).onConflictDoNothing()
  await db
    .insert(domains)
    .values(pilotDomains.map((d, i) => ({ ...d, sortOrder: i + 1 })))
    .onConflictDoNothing()
  const existing = new Map(
    (await db.select({ id: departments.id, code: departments.code }).from(departments).where(eq(departments.regionCode, defaultRegion.code))).map(
      (r) => [r.code, r.id],
    ),
  )
  for (const [i, d] of pilotDepartments.entries()) {
    if (existing.has(d.code)) continue
    const [row] = await db
      .insert(departments)
      .values({
        regionCode: defaultRegion.code,
        code: d.code,
        nameZh: d.nameZh,
        nameEn: d.nameEn,
        kind: d.kind,
        parentId: d.parent ? existing.get(d.parent) : undefined,
        pilot: d.pilot ?? false,
        sortOrder: i + 1,
      })
      .onConflictDoNothing()
      .returning({ id: departments.id })
    if (row) existing.set(d.code, row.id)
  }
}

export async function regionExists(db: Db, code: string): Promise<boolean> {
  const [row] = await db.select({ code: regions.code }).from(regions).where(eq(regions.code, code))
  return Boolean(row)
}
