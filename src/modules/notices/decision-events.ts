// `review.decision.overdue`: a procedure with a review deadline (rental subsidy: the decision within 15
// days of receiving the materials, REVIEW_15D, DESIGN.md "Procedures") whose deadline passed without a
// decision. The deadline is the notice's `decisionDueAt`, computed on the working-day calendar when the
// materials were recorded; "overdue" is the rule the deadlines list and the notice's `decisionOverdue`
// already apply (undecided, or decided after it, once the deadline is past). Emitted once per notice —
// the once-key is unique, so several instances or a repeated round cannot emit it twice — and caught up
// after downtime, stamped with the deadline itself (as notices/period-events.ts does for periods).
import { and, asc, eq, gt, isNull, lt, ne, notExists, or, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { appendEvents, type NewEvent } from '../events/outbox.js'
import { events } from '../events/tables.js'
import { PERIOD_CATCH_UP_MS } from './period-events.js'
import { notices } from './tables.js'

const TYPE = 'review.decision.overdue'
const ROUND_LIMIT = 500

export const decisionOnceKey = (noticeId: string) => `${TYPE}:${noticeId}`

/** Emits every decision deadline passed by `now` without a decision and not yet announced; returns how many. */
export async function emitOverdueDecisions(db: Db, now: Date): Promise<number> {
  const since = new Date(now.getTime() - PERIOD_CATCH_UP_MS)
  const due = await db
    .select({ id: notices.id, regionCode: notices.regionCode, departmentCode: notices.departmentCode, domainCode: notices.domainCode, at: notices.decisionDueAt })
    .from(notices)
    .where(
      and(
        ne(notices.reviewState, 'withdrawn'),
        // Overdue from the instant after the deadline (24:00 of its last day), as objection-routes.ts decides.
        lt(notices.decisionDueAt, now),
        gt(notices.decisionDueAt, since),
        // Decided after the deadline: it was overdue at the boundary (a round caught up after downtime).
        or(isNull(notices.decidedAt), gt(notices.decidedAt, notices.decisionDueAt)),
        // raw: the once-key is built in SQL from the row's id (drizzle has no string concatenation)
        notExists(db.select({ one: sql`1` }).from(events).where(eq(events.onceKey, sql`${`${TYPE}:`} || ${notices.id}::text`))),
      ),
    )
    .orderBy(asc(notices.decisionDueAt))
    .limit(ROUND_LIMIT)
  const byRegion = new Map<string, NewEvent[]>()
  for (const n of due) {
    const list = byRegion.get(n.regionCode) ?? []
    list.push({ type: TYPE, at: n.at!, onceKey: decisionOnceKey(n.id), data: { id: n.id, url: `/v1/notices/${n.id}`, department: n.departmentCode, domain: n.domainCode, dueAt: n.at!.toISOString() } })
    byRegion.set(n.regionCode, list)
  }
  let emitted = 0
  for (const [regionCode, list] of byRegion) emitted += await db.transaction((tx) => appendEvents(tx, { regionCode, now }, list))
  return emitted
}
