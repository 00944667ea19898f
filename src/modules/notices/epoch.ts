// The notices epoch (tables.ts: one row that a trigger moves at the commit of every change to notices or
// objections) as each instance knows it: read at most once a second and shared by every request that
// needs it, never moving backwards — the same bound as `current` (catalog/current-pointer.ts). A public
// page read at epoch p is still what the database holds while the epoch reads p (catalog/item-cache.ts).
import { eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { Db } from '../../db/client.js'
import { CurrentVersionPointer } from '../catalog/current-pointer.js'
import type { Watermark } from '../catalog/item-cache.js'
import { noticesEpoch } from './tables.js'

export async function readNoticesEpoch(db: Db): Promise<number> {
  const [row] = await db.select({ position: noticesEpoch.position }).from(noticesEpoch).where(eq(noticesEpoch.id, 1))
  return row?.position ?? 0
}

/**
 * The epoch on the primary (a replica's lag would only make pages look stale, never current), as a
 * watermark for the public list cache. A number per key read at most once a second, never backwards, is
 * what the current-version pointer keeps; one key here.
 */
export function noticesWatermark(app: FastifyInstance): Watermark {
  const known = new CurrentVersionPointer(app.clock)
  return { read: () => known.resolve('notices', () => readNoticesEpoch(app.db)) }
}
