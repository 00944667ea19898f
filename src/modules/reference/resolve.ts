// TEMPORARY STUB of engineer "depts"' name resolver (same interface), so that the catalog import can be
// built against it before theirs lands. Delete on merging `depts` (take theirs).
import type { Db } from '../../db/client.js'
import { listDepartmentsTree, listDomains, type DepartmentNode } from './service.js'

export type Resolution =
  | { status: 'resolved'; code: string; via: 'code' | 'name' | 'alias' | 'prefix' | 'normalised'; matched: string }
  | { status: 'ambiguous'; candidates: string[] }
  | { status: 'unknown' }
export interface DepartmentDirectory {
  resolve(text: string): Resolution
}
export interface DomainDirectory {
  resolve(text: string): { status: 'resolved'; code: string; via: string; matched: string } | { status: 'ambiguous'; candidates: string[] } | { status: 'unknown' }
}

const fold = (s: string) => s.normalize('NFKC').replace(/\s+/g, '')

export async function loadDepartmentDirectory(db: Db, regionCode: string): Promise<DepartmentDirectory> {
  const names = new Map<string, { code: string; name: string }>()
  const codes = new Set<string>()
  const walk = (nodes: DepartmentNode[]) =>
    nodes.forEach((n) => {
      codes.add(n.code)
      names.set(n.nameZh, { code: n.code, name: n.nameZh })
      walk(n.children)
    })
  walk(await listDepartmentsTree(db, { regionCode }))
  const byFold = new Map([...names.values()].map((v) => [fold(v.name), v]))
  const byStem = new Map<string, { code: string; name: string }[]>()
  for (const v of names.values()) {
    const stem = fold(v.name).replace(/^龙沙区|^区/, '')
    byStem.set(stem, [...(byStem.get(stem) ?? []), v])
  }
  return {
    resolve(text) {
      const t = text.trim()
      if (codes.has(t)) return { status: 'resolved', code: t, via: 'code', matched: t }
      const exact = names.get(t)
      if (exact) return { status: 'resolved', code: exact.code, via: 'name', matched: exact.name }
      const folded = byFold.get(fold(t))
      if (folded) return { status: 'resolved', code: folded.code, via: 'normalised', matched: folded.name }
      const stem = byStem.get(fold(t).replace(/^龙沙区|^区/, '')) ?? []
      if (stem.length === 1) return { status: 'resolved', code: stem[0]!.code, via: 'prefix', matched: stem[0]!.name }
      if (stem.length > 1) return { status: 'ambiguous', candidates: stem.map((s) => s.code) }
      return { status: 'unknown' }
    },
  }
}

export async function loadDomainDirectory(db: Db): Promise<DomainDirectory> {
  const domains = await listDomains(db)
  return {
    resolve(text) {
      const t = fold(text)
      const d = domains.find((x) => x.code === text.trim() || fold(x.nameZh) === t)
      return d ? { status: 'resolved', code: d.code, via: d.code === text.trim() ? 'code' : 'name', matched: d.nameZh } : { status: 'unknown' }
    },
  }
}

export function splitBodies(cell: string): string[] {
  return cell
    .split(/[、，,/；;\n]|及/)
    .map((s) => s.trim())
    .filter(Boolean)
}

export const bodyCellDescription = 'One or more bodies (stub).'
