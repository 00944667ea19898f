// The statutory moments of a notice as events: its publicity period starting and ending (Civil Code
// arts. 200–204 as computed at publication on the working-day calendar). Emitted once per notice and
// boundary — the event's once-key is unique, so several instances, or a round repeated after a crash,
// cannot emit it twice — and caught up after downtime: a boundary passed while the API was stopped is
// emitted on the next round, with the boundary itself as its timestamp.
import { and, asc, eq, gt, lte, notExists, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { appendEvents, type NewEvent } from '../events/outbox.js'
import { events } from '../events/tables.js'
import { notices } from './tables.js'

/** How far back a round looks for a missed boundary (downtime longer than this is not caught up). */
export const PERIOD_CATCH_UP_MS = 30 * 24 * 3600_000
const ROUND_LIMIT = 500

const boundaries = [
  { type: 'notice.period.started', column: notices.startsAt },
  { type: 'notice.period.ended', column: notices.endsAt },
] as const

export const periodOnceKey = (type: string, noticeId: string) => `${type}:${noticeId}`

/** Emits every boundary passed by `now` and not yet emitted; returns how many were emitted. */
export async function emitPeriodBoundaries(db: Db, now: Date): Promise<number> {
  let emitted = 0
  const since = new Date(now.getTime() - PERIOD_CATCH_UP_MS)
  for (const b of boundaries) {
    const due = await db
      .select({ id: notices.id, regionCode: notices.regionCode, departmentCode: notices.departmentCode, domainCode: notices.domainCode, at: b.column })
      .from(notices)
      .where(
        and(
          eq(notices.reviewState, 'published'),
          lte(b.column, now),
          gt(b.column, since),
          // raw: the once-key is built in SQL from the row's id (drizzle has no string concatenation)
          notExists(db.select({ one: sql`1` }).from(events).where(eq(events.onceKey, sql`${`${b.type}:`} || ${notices.id}::text`))),
        ),
      )
      .orderBy(asc(b.column))
      .limit(ROUND_LIMIT)
    const byRegion = new Map<string, NewEvent[]>()
    for (const n of due) {
      const list = byRegion.get(n.regionCode) ?? []
      list.push({ type: b.type, at: n.at!, onceKey: periodOnceKey(b.type, n.id), data: { id: n.id, url: `/v1/notices/${n.id}`, department: n.departmentCode, domain: n.domainCode, at: n.at!.toISOString() } })
      byRegion.set(n.regionCode, list)
    }
    for (const [regionCode, list] of byRegion) {
      emitted += await db.transaction((tx) => appendEvents(tx, { regionCode, now }, list))
    }
  }
  return emitted
}
