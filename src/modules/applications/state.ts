// An application's status and outcome, derived from its facts and the clock at read time — never from
// a timer having fired (DESIGN.md): a correction not received by its stated deadline closes the
// application as 逾期不补正 (art. 30) at 24:00 of that day, an unpaid fee as 逾期未缴费 at 24:00 of its
// deadline; a reply counts from the moment it is sent.
import { dayNumberOf, endOfShanghaiDayIso, type WorkCalendar } from '../../lib/calendar/index.js'
import { replyClock, type Pause, type ReplyClock } from './clock.js'
import type { OutcomeGroup, OutcomeReason } from './outcomes.js'
import type { applicationStatuses } from './schemas.js'
import type { ApplicationRow, ConsultationRow, RemedyRow, ReplyRow } from './tables.js'

export type ApplicationStatus = (typeof applicationStatuses)[number]

export interface ApplicationRecord {
  app: ApplicationRow
  consultations: ConsultationRow[]
  reply: ReplyRow | null
  remedies: RemedyRow[]
}

export interface DerivedState {
  status: ApplicationStatus
  clock: ReplyClock | null
  overdue: boolean
  /** How it ended and when (the moment it leaves the open applications). */
  outcome: { group: OutcomeGroup; reason: OutcomeReason | null; at: Date } | null
}

const endOfDay = (date: string) => new Date(endOfShanghaiDayIso(dayNumberOf(date)))

/** The moment a lapsed deadline closes the application, if it has lapsed by `now`. */
function lapse(rec: ApplicationRecord, now: Date): DerivedState['outcome'] {
  const { app } = rec
  const closures: { at: Date; reason: OutcomeReason }[] = []
  if (app.correctionDueDate && !app.correctedAt) closures.push({ at: endOfDay(app.correctionDueDate), reason: 'no_correction' })
  if (app.feeDueDate && !app.feePaidAt) closures.push({ at: endOfDay(app.feeDueDate), reason: 'fee_unpaid' })
  const first = closures.filter((c) => c.at <= now).sort((a, b) => a.at.getTime() - b.at.getTime())[0]
  return first ? { group: 'other', reason: first.reason, at: first.at } : null
}

export function pausesOf(rec: ApplicationRecord): Pause[] {
  const pauses: Pause[] = rec.consultations.map((c) => ({ kind: 'consultation', from: c.sentAt, until: c.answeredAt, expectedUntil: c.dueDate }))
  const { app } = rec
  if (app.feeNoticedAt && app.feeDueDate) pauses.push({ kind: 'fee', from: app.feeNoticedAt, until: app.feePaidAt, expectedUntil: app.feeDueDate })
  return pauses
}

export function deriveState(calendar: WorkCalendar, rec: ApplicationRecord, now: Date): DerivedState {
  const { app, reply } = rec
  const awaitingCorrection = app.correctionRequestedAt !== null && app.correctedAt === null
  const clock = replyClock(calendar, { receivedAt: app.receivedAt, correctedAt: app.correctedAt, awaitingCorrection, extensionDays: app.extensionApprovedAt ? (app.extensionDays ?? 0) : 0, pauses: pausesOf(rec) }, now)
  const sent = reply?.reviewState === 'published' && reply.publishedAt ? { group: reply.outcome as OutcomeGroup, reason: reply.reason as OutcomeReason | null, at: reply.publishedAt } : null
  const lapsed = lapse(rec, now)
  // Whichever came first: a reply sent before a deadline lapsed stands, and the other way round.
  const outcome = sent && (!lapsed || sent.at <= lapsed.at) ? sent : lapsed
  let status: ApplicationStatus
  if (outcome) status = outcome === sent ? 'replied' : 'closed'
  else if (awaitingCorrection) status = 'awaiting_correction'
  else if (rec.consultations.some((c) => !c.answeredAt)) status = 'consulting'
  else if (app.feeNoticedAt && !app.feePaidAt) status = 'awaiting_fee'
  else if (reply && reply.reviewState !== 'withdrawn') status = 'reply_in_review'
  else status = 'processing'
  const overdue = !outcome && clock !== null && now.getTime() >= new Date(clock.dueAt).getTime()
  return { status, clock, overdue, outcome }
}
