// The catalog's service: what routes and other modules (bulk import and export) call. The working set
// lives in items.ts, versions in versions.ts, region levels in settings.ts; this file gathers them and
// loads the pilot's own catalog as demo data.
import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import type { WriteContext } from '../audit/service.js'
import { demoCatalog } from './demo-catalog.js'
import { catalogVocabulary, completeElements, itemProblems, writeItem } from './items.js'
import * as q from './queries.js'
import { publishAsSystem } from './versions.js'

export * from './item-history.js'
export * from './items.js'
export * from './settings.js'
export * from './versions.js'

// An arbitrary constant naming "loading the demo catalog" among advisory locks.
const DEMO_LOCK = 7_330_205

/**
 * Loads the pilot's catalog (every item the implementation plan names, in its seven domains) into an
 * empty region and publishes it as version 1. Does nothing when the region has any item.
 *
 * Version 1 of the demo is authored, approved and published by the `system` actor, not by a person:
 * its review record says so (reviewer `system`, with a comment), and so do its review events and
 * audit rows. Every later version goes through the four-eyes review of two admins.
 */
export async function seedDemoCatalog(db: Db, regionCode: string, now: Date): Promise<{ items: number; version: number } | null> {
  const ctx: WriteContext = { actor: { type: 'system', id: null, name: 'system' }, requestId: null, regionCode, now }
  return db.transaction(async (tx) => {
    // Two instances starting on one empty database: the second waits, then finds the items.
    await tx.execute(sql`select pg_advisory_xact_lock(${DEMO_LOCK})`) // raw: drizzle has no advisory-lock builder
    if ((await q.countItems(tx, regionCode)) > 0) return null
    const vocab = await catalogVocabulary(tx, regionCode)
    for (const { key, ...item } of demoCatalog) {
      const elements = completeElements(item)
      const problems = itemProblems(vocab, elements, `/demo/${key}`)
      if (problems.length) throw new Error(`demo item ${key} is not valid: ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`)
      await writeItem(tx, ctx, vocab, null, { key, elements, status: 'active', action: 'create' })
    }
    const version = await publishAsSystem(
      tx,
      ctx,
      '试点公开事项标准目录（演示数据）：实施方案所列七个领域的全部公开事项。',
      'Demo data: approved by the system, not by a person.',
    )
    return { items: demoCatalog.length, version: version.number }
  })
}
