// Each region's disclosure levels (公开层级): national catalogs use county and township (县级/乡级),
// local ones city, district, town/subdistrict or village. Items may only use their region's levels.
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { checkIfMatch, etagOf } from '../../http/preconditions.js'
import { conflict } from '../../lib/problems.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { defaultLevels, levels as allLevels, type Level } from './elements.js'
import * as q from './queries.js'
import { catalogSettings } from './tables.js'

export interface CatalogSettings {
  regionCode: string
  levels: Level[]
  /** 0 while the region uses the defaults. */
  version: number
  updatedAt: Date | null
}

export const settingsEtag = (s: CatalogSettings) => etagOf('catalog-settings', s.regionCode, s.version)

export async function getCatalogSettings(db: Db, regionCode: string): Promise<CatalogSettings> {
  const row = await q.findSettings(db, regionCode)
  return { regionCode, levels: row ? (row.levels as Level[]) : defaultLevels, version: row?.version ?? 0, updatedAt: row && row.version ? row.updatedAt : null }
}

/** Sets the region's levels (If-Match). A level still used by an active item cannot be dropped. */
export async function updateCatalogSettings(db: Db, ctx: WriteContext, ifMatch: string, input: { levels: Level[] }): Promise<CatalogSettings> {
  const wanted = allLevels.filter((l) => input.levels.includes(l))
  await db.transaction(async (tx) => {
    // A row to lock even while the region uses the defaults, so two first changes cannot both pass If-Match.
    await tx.insert(catalogSettings).values({ regionCode: ctx.regionCode, levels: defaultLevels, version: 0, updatedAt: ctx.now }).onConflictDoNothing()
    const row = await q.lockSettings(tx, ctx.regionCode)
    const current = await getCatalogSettings(tx, ctx.regionCode)
    checkIfMatch(ifMatch, settingsEtag(current))
    const dropped = current.levels.filter((l) => !wanted.includes(l))
    const inUse = await q.countItemsAtLevels(tx, ctx.regionCode, dropped)
    if (inUse) throw conflict(`${inUse} active item(s) use the level(s) ${dropped.join(', ')}; change them first.`)
    await tx
      .update(catalogSettings)
      .set({ levels: wanted, version: row!.version + 1, updatedAt: ctx.now })
      .where(eq(catalogSettings.regionCode, ctx.regionCode))
    await appendAudit(tx, ctx, { action: 'catalog_settings.update', targetType: 'region', targetId: ctx.regionCode, details: { levels: wanted } })
  })
  return getCatalogSettings(db, ctx.regionCode)
}
