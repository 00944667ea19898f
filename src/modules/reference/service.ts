// Reference data reads: domains, department lists (flat with cursors, or as a tree), and a name
// resolved through the one resolver. Writes are in department-writes.ts and domain-writes.ts, the seed in
// seed.ts.
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import type { Resolution } from '../../lib/body-names.js'
import { encodeCursor, readCursor } from '../../lib/cursor.js'
import { notFound } from '../../lib/problems.js'
import * as q from './queries.js'
import type { DepartmentRecord, DepartmentStatus } from './queries.js'
import { loadDepartmentDirectory } from './resolve.js'
import { regions } from './tables.js'

export type { DepartmentRecord, DepartmentStatus }
export { seedReferenceData } from './seed.js'
export interface DepartmentNode extends DepartmentRecord {
  children: DepartmentNode[]
}

export type DomainRecord = Awaited<ReturnType<typeof q.listDomains>>[number] & { aliases: string[] }

export async function listDomains(db: Db): Promise<DomainRecord[]> {
  const [rows, aliases] = await Promise.all([q.listDomains(db), q.domainAliasesOf(db)])
  return rows.map((r) => ({ ...r, aliases: aliases.get(r.code) ?? [] }))
}

export async function getDomain(db: Db, code: string): Promise<DomainRecord> {
  const row = await q.findDomain(db, code)
  if (!row) throw notFound(`No domain with code ${code}.`)
  return { ...row, aliases: (await q.domainAliasesOf(db, [code])).get(code) ?? [] }
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
  /** Current, retired or all departments; all when omitted (items and notices of retired ones stay readable). */
  status?: DepartmentStatus | undefined
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
    status: query.status,
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
      if (query.status === 'active' && n.retiredAt) return children
      if (query.status === 'retired' && !n.retiredAt) return children
      return [{ ...n, children }]
    })
  return keep(top)
}

/**
 * The departments a text names, through the resolver (code → name → alias → place-prefix → normalised):
 * one department when it resolves, the candidates when it is ambiguous, none when it is unknown.
 */
export async function findDepartmentsByName(db: Db, regionCode: string, name: string): Promise<{ resolution: Resolution; items: DepartmentRecord[] }> {
  const resolution = (await loadDepartmentDirectory(db, regionCode)).resolve(name)
  const codes = resolution.status === 'resolved' ? [resolution.code] : resolution.status === 'ambiguous' ? resolution.candidates : []
  const items = codes.length ? await q.listDepartments(db, { regionCode, codes }) : []
  return { resolution, items }
}

export async function regionExists(db: Db, code: string): Promise<boolean> {
  const [row] = await db.select({ code: regions.code }).from(regions).where(eq(regions.code, code))
  return Boolean(row)
}
