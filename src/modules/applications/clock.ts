// The reply clock of an application, on the region's working-day calendar (Regulations on Open
// Government Information, 2019):
//   art. 33  reply within 20 working days of receipt (the day of receipt is not counted, Civil Code
//            art. 201); one extension of at most 20 working days;
//   art. 30  a request for correction, once, within 7 working days of receipt: the period then runs
//            from the day the corrected application is received;
//   art. 32  a third party consulted has 15 working days; the time the consultation takes is not
//            counted in the reply period (nor the time from a fee notice to payment, 政府信息公开信息处理费
//            管理办法 2020).
// Pure: the caller passes the calendar, the facts and "now". Days are Asia/Shanghai day numbers.
import { DAY_PROVISIONAL, endOfShanghaiDayIso, isoOf, shanghaiDayOf, tryDayNumberOf, type IsoDate, type WorkCalendar } from '../../lib/calendar/index.js'

export const REPLY_WORKING_DAYS = 20
export const CORRECTION_WINDOW_WORKING_DAYS = 7
export const EXTENSION_MAX_WORKING_DAYS = 20
export const CONSULTATION_WORKING_DAYS = 15
export const FEE_WORKING_DAYS = 20

/** A stretch in which the clock stands still: from the day after `from` to the day of `until` (inclusive). */
export interface Pause {
  kind: 'consultation' | 'fee'
  from: Date
  /** When it ended; null while it runs (then it is assumed to run to `expectedUntil`, or today if later). */
  until: Date | null
  expectedUntil: IsoDate
}

export interface ClockFacts {
  receivedAt: Date
  correctedAt: Date | null
  /** A correction was asked for and has not arrived: the clock has not started. */
  awaitingCorrection: boolean
  extensionDays: number
  pauses: Pause[]
}

export interface ClockDay {
  date: IsoDate
  reason: 'weekend' | 'holiday' | 'closure' | 'paused' | 'weekday' | 'makeup_workday'
  name?: string
}

export interface ReplyClock {
  /** The day the period runs from (receipt, or receipt of the corrected application). */
  startsOn: IsoDate
  workingDays: number
  lastDay: IsoDate
  dueAt: string
  /** True when any day up to the last relies on a provisional calendar year. */
  provisional: boolean
  paused: boolean
  /** Calendar days from today to the last day: 0 on the last day, negative when overdue. */
  daysLeft: number
  explanation: { counted: ClockDay[]; skipped: ClockDay[] }
}

/** The day (a day number) `n` working days after `start`'s day, skipping rest days. */
export function workingDaysAfter(calendar: WorkCalendar, start: Date, n: number): number {
  let d = shanghaiDayOf(start)
  for (let counted = 0; counted < n; ) if (calendar.isWorkingDay(++d)) counted++
  return d
}

/** The last day for an answer, `n` working days after `start`, as a date. */
export const dueDateAfter = (calendar: WorkCalendar, start: Date, n: number): IsoDate => isoOf(workingDaysAfter(calendar, start, n))

/** Art. 30: was `at` within the 7 working days after receipt? */
export function withinCorrectionWindow(calendar: WorkCalendar, receivedAt: Date, at: Date): boolean {
  return shanghaiDayOf(at) <= workingDaysAfter(calendar, receivedAt, CORRECTION_WINDOW_WORKING_DAYS)
}

/** The reply clock, or null while a correction is awaited (the period has not started). */
export function replyClock(calendar: WorkCalendar, facts: ClockFacts, now: Date): ReplyClock | null {
  if (facts.awaitingCorrection) return null
  const start = shanghaiDayOf(facts.correctedAt ?? facts.receivedAt)
  const today = shanghaiDayOf(now)
  const paused = new Map<number, true>()
  let pausedNow = false
  for (const p of facts.pauses) {
    const from = shanghaiDayOf(p.from)
    const expected = tryDayNumberOf(p.expectedUntil) ?? from
    const until = p.until ? shanghaiDayOf(p.until) : Math.max(expected, today)
    if (!p.until) pausedNow = true
    for (let d = from + 1; d <= until; d++) paused.set(d, true)
  }
  const length = REPLY_WORKING_DAYS + facts.extensionDays
  const counted: ClockDay[] = []
  const skipped: ClockDay[] = []
  let provisional = false
  let d = start
  while (counted.length < length) {
    d++
    const info = calendar.dayInfo(d)
    if ((calendar.dayFlags(d) & DAY_PROVISIONAL) !== 0) provisional = true
    const day: ClockDay = { date: isoOf(d), reason: info.reason, ...(info.name ? { name: info.name } : {}) }
    if (!info.working) skipped.push(day)
    else if (paused.has(d)) skipped.push({ ...day, reason: 'paused' })
    else counted.push(day)
  }
  return {
    startsOn: isoOf(start),
    workingDays: length,
    lastDay: isoOf(d),
    dueAt: endOfShanghaiDayIso(d),
    provisional,
    paused: pausedNow,
    daysLeft: d - today,
    explanation: { counted, skipped },
  }
}
