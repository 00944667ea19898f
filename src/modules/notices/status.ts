// A notice's status, derived from its stored facts and the clock at read time — never from a timer
// having fired: draft → submitted → approved → scheduled | in_publicity → period_ended → concluded,
// revised or withdrawn.
import type { NoticeRow, Retention } from './tables.js'

export const noticeStatuses = ['draft', 'submitted', 'rejected', 'approved', 'scheduled', 'in_publicity', 'period_ended', 'concluded', 'revised', 'withdrawn'] as const
export type NoticeStatus = (typeof noticeStatuses)[number]

type StatusFacts = Pick<NoticeRow, 'reviewState' | 'startsAt' | 'endsAt' | 'conclusion'>

export function noticeStatus(n: StatusFacts, now: Date): NoticeStatus {
  if (n.reviewState === 'withdrawn') return 'withdrawn'
  if (n.reviewState !== 'published') return n.reviewState as NoticeStatus
  if (n.conclusion === 'revised') return 'revised'
  if (n.conclusion) return 'concluded'
  if (n.startsAt && now < n.startsAt) return 'scheduled'
  if (n.endsAt && now < n.endsAt) return 'in_publicity'
  return 'period_ended'
}

/** Whole days left until the period ends (0 on its last day, null when not running). */
export function daysRemaining(n: StatusFacts, now: Date): number | null {
  if (!n.endsAt || noticeStatus(n, now) !== 'in_publicity') return null
  return Math.max(0, Math.ceil((n.endsAt.getTime() - now.getTime()) / 86_400_000) - 1)
}

const DAY = 86_400_000

/**
 * When the list leaves public responses (its summary and counts stay): at the end of the period
 * (default), N days after the decision is final, or never (long-term, with reduced columns).
 */
export function entriesPublicUntil(n: Pick<NoticeRow, 'endsAt' | 'concludedAt' | 'decidedAt'> & { retention: Retention }): Date | null | 'forever' {
  switch (n.retention.type) {
    case 'period_end':
      return n.endsAt
    case 'decision_final': {
      const final = n.concludedAt ?? n.decidedAt
      return final ? new Date(final.getTime() + n.retention.days * DAY) : n.endsAt ? 'forever' : null
    }
    case 'long_term':
      return 'forever'
  }
}

export function entriesArePublic(n: Parameters<typeof entriesPublicUntil>[0] & StatusFacts, now: Date): boolean {
  const status = noticeStatus(n, now)
  if (!['in_publicity', 'period_ended', 'concluded'].includes(status)) return false
  const until = entriesPublicUntil(n)
  return until === 'forever' || (until !== null && now < until)
}

/**
 * Whether the unmasked list must now be deleted (PIPL art. 47; issue 14 #16): its retention has ended
 * and no objection to it is still undecided — an open objection is decided on the real data, so the
 * record stays readable to entitled staff until then (DESIGN.md "Personal information").
 */
export function rawListExpired(n: Parameters<typeof entriesArePublic>[0], now: Date, openObjections: number): boolean {
  return openObjections === 0 && !entriesArePublic(n, now)
}
