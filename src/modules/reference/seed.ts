// The idempotent seed of reference data, run at every start: inserts what is missing and never changes
// what exists. Departments and domains are data that admins maintain, so a seeded alias is added only to
// a department or domain no admin has edited yet (version 1), and only where no other body holds the text.
import { inArray } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { normaliseName } from '../../lib/body-names.js'
import * as q from './queries.js'
import { defaultRegion, domainAliases as seedDomainAliases, pilotDepartments, pilotDomains } from './seed-data.js'
import { departmentAliases, departments, domainAliases, domains, regions } from './tables.js'

/** Inserts the pilot's region, domains and departments (with their aliases) where missing; never overwrites edits. */
export async function seedReferenceData(db: Db): Promise<void> {
  await db.insert(regions).values(defaultRegion).onConflictDoNothing()
  await db
    .insert(domains)
    .values(pilotDomains.map((d, i) => ({ ...d, sortOrder: i + 1 })))
    .onConflictDoNothing()
  await seedDomainAliasList(db)
  await seedDepartments(db, defaultRegion.code)
}

async function seedDomainAliasList(db: Db) {
  const all = await db.select({ code: domains.code, nameZh: domains.nameZh, version: domains.version }).from(domains)
  const taken = new Set(all.flatMap((d) => [normaliseName(d.code), normaliseName(d.nameZh)]))
  const unedited = new Set(all.filter((d) => d.version === 1).map((d) => d.code))
  const rows = Object.entries(seedDomainAliases)
    .filter(([code]) => unedited.has(code))
    .flatMap(([code, list]) => list.map((alias) => ({ aliasKey: normaliseName(alias), alias, domainCode: code })))
    .filter((r) => !taken.has(r.aliasKey))
  if (rows.length) await db.insert(domainAliases).values(rows).onConflictDoNothing()
}

async function seedDepartments(db: Db, regionCode: string) {
  const { own, aliases } = await q.namesInRegion(db, regionCode)
  const byCode = new Map(own.map((d) => [d.code, d.id]))
  // Texts some department already answers to: a seeded body whose name is among them was registered by
  // an admin under another code, and is not added twice.
  const held = new Set<string>([...own.flatMap((d) => [normaliseName(d.code), normaliseName(d.nameZh)]), ...aliases.map((a) => a.aliasKey)])
  for (const [i, d] of pilotDepartments.entries()) {
    if (byCode.has(d.code) || held.has(normaliseName(d.nameZh)) || held.has(normaliseName(d.code))) continue
    const [row] = await db
      .insert(departments)
      .values({
        regionCode,
        code: d.code,
        nameZh: d.nameZh,
        nameEn: d.nameEn,
        kind: d.kind,
        parentId: d.parent ? byCode.get(d.parent) : undefined,
        pilot: d.pilot ?? false,
        sortOrder: i + 1,
      })
      .onConflictDoNothing()
      .returning({ id: departments.id })
    if (row) {
      byCode.set(d.code, row.id)
      held.add(normaliseName(d.code)).add(normaliseName(d.nameZh))
    }
  }
  const seededIds = pilotDepartments.map((d) => byCode.get(d.code)).filter((id): id is string => Boolean(id))
  const unedited = new Set(
    (
      await db
        .select({ id: departments.id, version: departments.version })
        .from(departments)
        .where(inArray(departments.id, seededIds))
    )
      .filter((r) => r.version === 1)
      .map((r) => r.id),
  )
  const rows: (typeof departmentAliases.$inferInsert)[] = []
  for (const d of pilotDepartments) {
    const id = byCode.get(d.code)
    if (!id || !unedited.has(id)) continue
    for (const alias of d.aliases ?? []) {
      const aliasKey = normaliseName(alias)
      if (held.has(aliasKey)) continue
      held.add(aliasKey)
      rows.push({ regionCode, aliasKey, alias, departmentId: id })
    }
  }
  if (rows.length) await db.insert(departmentAliases).values(rows).onConflictDoNothing()
}
