// When a report falls due. A monthly report: by the region's rule, counted in its working-day
// calendar (default the 5th working day of the following month); a pilot report: its phase's due
// date. Either way the report is on time until 24:00 Asia/Shanghai of that day.
import type { Db } from '../../db/client.js'
import { dayNumberFromParts, dayNumberOf, daysInMonth, endOfShanghaiDayIso, isoOf, MS_PER_DAY, SHANGHAI_OFFSET_MS, type WorkCalendar } from '../../lib/calendar/index.js'
import { getCalendar } from '../calendar/service.js'
import type { DueRule, PilotPhase } from './tables.js'

export interface Due {
  /** The last day (Asia/Shanghai). */
  dueDate: string
  /** 24:00 Asia/Shanghai of that day. */
  dueAt: Date
  /** The calendar of that day is provisional (next year's holidays not announced yet). */
  provisional: boolean
}

export interface Range {
  /** Inclusive. */
  from: Date
  /** Exclusive. */
  to: Date
}

const startOfShanghaiDay = (day: number) => new Date(day * MS_PER_DAY - SHANGHAI_OFFSET_MS)

export function parseMonth(month: string): { year: number; month: number } {
  const [y, m] = month.split('-').map(Number)
  return { year: y!, month: m! }
}

/** A month in Asia/Shanghai as instants: from 00:00 on the 1st to 00:00 on the 1st of the next. */
export function monthRange(month: string): Range {
  const { year, month: m } = parseMonth(month)
  const first = dayNumberFromParts(year, m, 1)
  return { from: startOfShanghaiDay(first), to: startOfShanghaiDay(first + daysInMonth(year, m)) }
}

/** Dates `from`..`to` (inclusive, Asia/Shanghai) as instants. */
export function dateRange(from: string, to: string): Range {
  return { from: startOfShanghaiDay(dayNumberOf(from)), to: startOfShanghaiDay(dayNumberOf(to) + 1) }
}

/** `YYYY-MM` of the month after `month`. */
export function nextMonth(month: string): string {
  const { year, month: m } = parseMonth(month)
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`
}

/** The months from `from` to `to` (`YYYY-MM`, inclusive). */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = []
  for (let m = from; m <= to; m = nextMonth(m)) months.push(m)
  return months
}

function due(calendar: WorkCalendar, day: number): Due {
  return { dueDate: isoOf(day), dueAt: new Date(endOfShanghaiDayIso(day)), provisional: calendar.dayInfo(day).provisional }
}

/** The due day of `month`'s report under `rule`, in a given calendar. */
export function dueInCalendar(calendar: WorkCalendar, month: string, rule: DueRule): Due {
  const { year, month: m } = parseMonth(nextMonth(month))
  const first = dayNumberFromParts(year, m, 1)
  if (rule.type === 'nth_working_day_of_next_month') {
    // Counting the working days of the calendar (make-up Saturdays and Sundays count, holidays do not).
    let counted = 0
    for (let d = first; d < first + 62; d++) {
      if (calendar.isWorkingDay(d) && ++counted === rule.n) return due(calendar, d)
    }
    throw new Error(`no ${rule.n}th working day within two months of ${isoOf(first)}`)
  }
  // A fixed day that is a rest day moves to the next working day (as a period's last day does,
  // Civil Code art. 203).
  let d = first + Math.min(rule.day, daysInMonth(year, m)) - 1
  while (!calendar.isWorkingDay(d)) d++
  return due(calendar, d)
}

export async function dueOfMonth(db: Db, regionCode: string, month: string, rule: DueRule): Promise<Due> {
  return dueInCalendar(await getCalendar(db, regionCode), month, rule)
}

export function dueOfPhase(phase: PilotPhase): Due {
  const day = dayNumberOf(phase.dueDate)
  return { dueDate: phase.dueDate, dueAt: new Date(endOfShanghaiDayIso(day)), provisional: false }
}

/** The month (`YYYY-MM`, Asia/Shanghai) an instant falls in. */
export function monthOf(instant: Date): string {
  return isoOf(Math.floor((instant.getTime() + SHANGHAI_OFFSET_MS) / MS_PER_DAY)).slice(0, 7)
}
