// The one resolver of body and domain names, as bulk import, notices and reports receive them: loads a
// region's departments with their aliases (one query) and matches with the pure rules of
// lib/body-names.ts. Active departments are tried first; retired ones only when no active one fits
// (their resolution says `retired: true`). A merged department resolves by its code only (retired);
// its names are aliases of the department it joined.
import { asc, eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { buildBodyMatcher, buildDomainMatcher, splitBodies, type DomainResolution, type NamedBody, type Resolution } from '../../lib/body-names.js'
import { departmentAliases, departments, domainAliases, domains, regions } from './tables.js'

export type { DomainResolution, Resolution }
export { normaliseName, splitBodies } from '../../lib/body-names.js'

export interface DepartmentDirectory {
  resolve(text: string): Resolution
  /** The bodies a 公开主体 cell names, each with its resolution (splitBodies, with this directory's names kept whole). */
  resolveCell(cell: string): { text: string; resolution: Resolution }[]
}

export interface DomainDirectory {
  resolve(text: string): DomainResolution
}

/** A directory over given bodies: the pure part, for callers that already hold the list. */
export function departmentDirectoryOf(bodies: readonly NamedBody[], regionName: string): DepartmentDirectory {
  const matcher = buildBodyMatcher(bodies, regionName)
  const resolve = (text: string) => matcher.resolve(text)
  return {
    resolve,
    resolveCell: (cell) => splitBodies(cell, (t) => resolve(t).status !== 'unknown').map((text) => ({ text, resolution: resolve(text) })),
  }
}

/** Every department of the region with its aliases, in one query. */
export async function loadDepartmentDirectory(db: Db, regionCode: string): Promise<DepartmentDirectory> {
  const rows = await db
    .select({
      id: departments.id,
      code: departments.code,
      name: departments.nameZh,
      retiredAt: departments.retiredAt,
      mergedIntoId: departments.mergedIntoId,
      regionName: regions.nameZh,
      alias: departmentAliases.alias,
    })
    .from(departments)
    .innerJoin(regions, eq(regions.code, departments.regionCode))
    .leftJoin(departmentAliases, eq(departmentAliases.departmentId, departments.id))
    .where(eq(departments.regionCode, regionCode))
    .orderBy(asc(departments.code))
  const bodies = new Map<string, NamedBody & { aliases: string[] }>()
  let regionName = ''
  for (const r of rows) {
    regionName = r.regionName
    let body = bodies.get(r.id)
    if (!body) {
      // A merged body keeps only its code here; its name and aliases now belong to the target.
      const merged = r.mergedIntoId !== null
      body = { code: r.code, name: merged ? r.code : r.name, aliases: [], retired: r.retiredAt !== null }
      bodies.set(r.id, body)
      if (merged) continue
    }
    if (r.alias !== null && r.mergedIntoId === null) body.aliases.push(r.alias)
  }
  return departmentDirectoryOf([...bodies.values()], regionName)
}

/** Every domain with its aliases, in one query. */
export async function loadDomainDirectory(db: Db): Promise<DomainDirectory> {
  const rows = await db
    .select({ code: domains.code, name: domains.nameZh, alias: domainAliases.alias })
    .from(domains)
    .leftJoin(domainAliases, eq(domainAliases.domainCode, domains.code))
    .orderBy(asc(domains.code))
  const byCode = new Map<string, { code: string; name: string; aliases: string[] }>()
  for (const r of rows) {
    let d = byCode.get(r.code)
    if (!d) byCode.set(r.code, (d = { code: r.code, name: r.name, aliases: [] }))
    if (r.alias !== null) d.aliases.push(r.alias)
  }
  return buildDomainMatcher([...byCode.values()])
}

/** What a 公开主体 cell may contain, for the OpenAPI documents of imports and of the departments list. */
export const bodyCellDescription = [
  'A body (公开主体) may be written the way catalogs write it; it is resolved in this order, each step exact:',
  '',
  '1. the department **code** (`housing`);',
  '2. its **full name** (`龙沙区住房和城乡建设局`);',
  '3. one of its **aliases**: short forms, former names after an institutional reform, the plan\'s abbreviations (`区住建局`, `区国土局`, `齐齐哈尔市国土资源局龙沙分局`);',
  '4. a **place-prefix variant** of a name or alias: `龙沙区X`, `区X` and `X` are the same (`住建局`, `龙沙区住建局`);',
  '5. the same on **normalised text**: full-width and half-width forms folded, spaces and line breaks inside the name removed (`区住建局 `, `龙沙区住房和城乡\\n建设局`, `乡镇人民政府(街道办事处)`).',
  '',
  'Current departments are tried first; a retired department resolves only when no current one fits. Generic bodies written by level (`各街道办事处`, `乡镇人民政府（街道办事处）`, `村（居）民委员会`) are departments of kind `level`.',
  '',
  'A cell may name **several bodies**, separated by `、` `，` `,` `/` `；` `;` or line breaks, or joined by `及` (`区民政局、各街道办事处`, `区教育局\\n龙沙区实验学校`); the first is the lead. Separators inside brackets do not split, and a text that is itself a known name is never split.',
  '',
  'A text that fits several departments at the first step where it fits anything is **ambiguous**: it is refused (422) naming the candidate codes; nothing is guessed. A text that fits none is refused as unknown. `GET /v1/departments?name=` shows how any text resolves.',
].join('\n')
