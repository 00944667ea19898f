// Until when a public page of notices stays what a fresh read would render, as far as the clock goes
// (changes in the database are the epoch's business: epoch.ts). What the clock changes in a list:
// - a notice's state (scheduled → in publicity → period ended) and so which notices a status filter
//   holds: at the next start or end of a period in the region (the list query reads it, `nextTurn`);
// - `daysRemaining` of a notice in publicity: whenever a whole day more of its period has passed;
// - `decisionOverdue` of an undecided notice: just after its decision was due;
// - the window filters (`endingWithinDays`, `concludedWithinDays`) slide with every instant: their pages
//   are kept only the usual MAX_AGE_MS.
import { MAX_AGE_MS } from '../catalog/current-pointer.js'
import type { NoticeSummaryRow } from './queries.js'
import { noticeStatus } from './status.js'

const DAY = 86_400_000

/** Even when nothing can change it, a page is read again after this long (a bound, not a rule). */
export const MAX_KEEP_MS = 10 * 60_000

/** The next instant after `now` at which ceil((endsAt − now) / day) steps down (status.ts, daysRemaining). */
function nextDayTurn(endsAt: Date, now: number): number {
  const rest = (endsAt.getTime() - now) % DAY
  return now + (rest > 0 ? rest : DAY)
}

export interface PageClock {
  now: Date
  nextTurn: Date | null
  slidingWindow: boolean
}

export function pageValidUntil(rows: readonly NoticeSummaryRow[], { now, nextTurn, slidingWindow }: PageClock): number {
  const at = now.getTime()
  if (slidingWindow) return at + MAX_AGE_MS
  let until = Math.min(at + MAX_KEEP_MS, nextTurn ? nextTurn.getTime() : Infinity)
  for (const n of rows) {
    if (n.endsAt && noticeStatus(n, now) === 'in_publicity') until = Math.min(until, nextDayTurn(n.endsAt, at))
    if (n.decisionDueAt && !n.decidedAt && n.decisionDueAt.getTime() >= at) until = Math.min(until, n.decisionDueAt.getTime() + 1)
  }
  return until
}
