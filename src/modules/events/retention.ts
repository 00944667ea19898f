// Retention: events are kept at least 13 months (the annual report cycle, arts. 49–50), webhook
// attempts 90 days. Pruning records how far it went in the feed's head, so that a cursor from before
// it answers 410 (feed.ts) instead of a silently partial page.
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { webhookAttempts, webhookMessages } from '../webhooks/tables.js'
import { eventHead, events } from './tables.js'

/** 400 days: 13 months and a little. */
export const EVENT_RETENTION_MS = 400 * 24 * 3600_000
export const ATTEMPT_RETENTION_MS = 90 * 24 * 3600_000
const BATCH = 5000

/** Removes one batch of expired events (and old attempts); returns how many events went. */
export async function pruneExpired(db: Db, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - EVENT_RETENTION_MS)
  const removed = await db.transaction(async (tx) => {
    const old = await tx.select({ position: events.position }).from(events).where(lt(events.occurredAt, cutoff)).orderBy(asc(events.position)).limit(BATCH)
    if (!old.length) return 0
    const through = old[old.length - 1]!.position
    await tx.delete(events).where(inArray(events.position, old.map((e) => e.position)))
    await tx
      .update(eventHead)
      .set({ prunedThrough: sql`greatest(${eventHead.prunedThrough}, ${through})` }) // raw: drizzle has no greatest()
      .where(eq(eventHead.id, 1))
    return old.length
  })
  const attemptCutoff = new Date(now.getTime() - ATTEMPT_RETENTION_MS)
  await db.delete(webhookAttempts).where(lt(webhookAttempts.at, attemptCutoff))
  await db.delete(webhookMessages).where(and(eq(webhookMessages.status, 'delivered'), lt(webhookMessages.createdAt, attemptCutoff)))
  return removed
}
