// The working-day calendar and statutory periods: the one service other modules (notices, items' time
// limits, report due dates) call to compute a period, the public reads of the calendar, and the seed.
// Periods follow the Civil Code (arts. 200–204) through the pure engine in lib/periods; the admin
// changes (years, corrections, closures, rules) are in changes.ts.
import type { Db } from '../../db/client.js'
import {
  ARRANGEMENT_MAX_YEAR,
  ARRANGEMENT_MIN_YEAR,
  CalendarInputError,
  dayNumberFromParts,
  isoOf,
  officialArrangements,
  tryDayNumberOf,
  weekdayOf,
  type ArrangementStatus,
  type DayReason,
  type HolidayRange,
  type MakeupWorkday,
  type WorkCalendar,
} from '../../lib/calendar/index.js'
import { BUILT_IN_RULES, computePeriod, PERIOD_MAX_LENGTH, PERIOD_MIN_LENGTH, type PeriodResult, type PeriodUnit } from '../../lib/periods/index.js'
import { badRequest, notFound, type FieldError } from '../../lib/problems.js'
import { yearEtag } from './etags.js'
import { parseStart } from './instants.js'
import * as q from './queries.js'
import type { ClosureRow, PeriodRuleRow } from './queries.js'
import { loadSnapshot } from './snapshot.js'

export type { ClosureRow, PeriodRuleRow }
export { addClosure, createPeriodRule, patchCalendarYear, putCalendarYear, removeClosure } from './changes.js'

/** The most days one calendar-days request may list. */
export const MAX_DAYS_PER_REQUEST = 366

// --- seed ------------------------------------------------------------------------------------------

/**
 * Idempotent, at every start: stores each year of official data in `chinese-days` that is not stored
 * yet (an admin-loaded or corrected year is never overwritten), the built-in period rules of the
 * region, and the region's revision row. Bumps revisions when it added anything, so instances still
 * running the previous release rebuild their calendars.
 */
export async function seedCalendar(db: Db, regionCode: string): Promise<void> {
  await db.transaction(async (tx) => {
    await q.ensureRevision(tx, regionCode)
    const years = await q.insertMissingYears(
      tx,
      officialArrangements().map((a) => ({ year: a.year, status: 'official', holidays: a.holidays, makeupWorkdays: a.makeupWorkdays, source: 'package' })),
    )
    const stored = new Map((await q.listRules(tx, regionCode)).map((r) => [r.code, r]))
    let rulesChanged = 0
    const missing = Object.values(BUILT_IN_RULES).filter((r) => !stored.has(r.code))
    rulesChanged += await q.insertMissingRules(
      tx,
      missing.map((r) => ({ regionCode, code: r.code, unit: r.unit, length: r.length, nameZh: r.nameZh, nameEn: r.nameEn, legalSource: r.legalSource, description: r.description, builtIn: true })),
    )
    // Built-in rules belong to the code (admins cannot edit them): a corrected citation or name is
    // carried over. A rule an admin created under the same code is left alone.
    for (const r of Object.values(BUILT_IN_RULES)) {
      const have = stored.get(r.code)
      if (!have?.builtIn) continue
      const want = { unit: r.unit as string, length: r.length, nameZh: r.nameZh, nameEn: r.nameEn, legalSource: r.legalSource, description: r.description }
      if ((Object.keys(want) as (keyof typeof want)[]).some((k) => have[k] !== want[k])) {
        await q.refreshBuiltInRule(tx, regionCode, r.code, want)
        rulesChanged++
      }
    }
    if (years.length) await q.bumpAllRevisions(tx)
    else if (rulesChanged) await q.bumpRevision(tx, regionCode)
  })
}

// --- the calendar ----------------------------------------------------------------------------------

/** The region's working-day calendar as of now (cached; rebuilt when the region's revision moved). */
export async function getCalendar(db: Db, regionCode: string): Promise<WorkCalendar> {
  return (await loadSnapshot(db, regionCode)).calendar
}

export type SpecialDayKind = 'holiday' | 'makeup_workday' | 'closure'
export interface SpecialDay {
  date: string
  kind: SpecialDayKind
  name: string | null
  nameEn?: string
}

export interface CalendarYearView {
  year: number
  regionCode: string
  status: ArrangementStatus
  /** `computed`: nothing stored, the provisional arrangement from the statutory holidays. */
  source: 'package' | 'admin' | 'computed'
  /** The stored version; 0 when nothing is stored. */
  version: number
  updatedAt: Date | null
  holidays: HolidayRange[]
  makeupWorkdays: MakeupWorkday[]
  closures: ClosureRow[]
  specialDays: SpecialDay[]
  etag: string
}

/**
 * One year as the public sees it: the arrangement in force (stored, or provisional from law), the
 * region's closures, and every special day from 1 January to 31 December — including late-December
 * days that the next year's notice announces.
 */
export async function getCalendarYear(db: Db, regionCode: string, year: number): Promise<CalendarYearView> {
  const s = await loadSnapshot(db, regionCode)
  const row = s.years.get(year)
  const arrangement = s.calendar.arrangementFor(year)
  const specialDays: SpecialDay[] = []
  for (let d = dayNumberFromParts(year, 1, 1), end = dayNumberFromParts(year + 1, 1, 1); d < end; d++) {
    const info = s.calendar.dayInfo(d)
    if (info.reason === 'weekday' || info.reason === 'weekend') continue
    specialDays.push({ date: isoOf(d), kind: info.reason, name: info.name ?? null, ...(info.nameEn ? { nameEn: info.nameEn } : {}) })
  }
  const version = row?.version ?? 0
  return {
    year,
    regionCode,
    status: s.calendar.yearStatus(year),
    source: row ? (row.source === 'admin' ? 'admin' : 'package') : 'computed',
    version,
    updatedAt: row?.updatedAt ?? null,
    holidays: arrangement.holidays,
    makeupWorkdays: arrangement.makeupWorkdays,
    closures: s.closures.filter((c) => c.date.startsWith(`${year}-`)),
    specialDays,
    etag: yearEtag(year, version, s.revision),
  }
}

export interface CalendarDay {
  date: string
  /** ISO day of the week: 1 = Monday … 7 = Sunday. */
  weekday: number
  working: boolean
  reason: DayReason
  name?: string
  nameEn?: string
  provisional: boolean
}

/** Each day from `from` to `to` (inclusive, at most MAX_DAYS_PER_REQUEST) with whether it is worked and why. */
export async function listCalendarDays(db: Db, regionCode: string, from: string, to: string): Promise<CalendarDay[]> {
  const first = tryDayNumberOf(from)
  const last = tryDayNumberOf(to)
  const errors: FieldError[] = []
  if (first === null) errors.push({ pointer: '/query/from', message: 'not a calendar date (YYYY-MM-DD)' })
  if (last === null) errors.push({ pointer: '/query/to', message: 'not a calendar date (YYYY-MM-DD)' })
  if (first !== null && last !== null) {
    if (last < first) errors.push({ pointer: '/query/to', message: `is before from (${from})` })
    else if (last - first + 1 > MAX_DAYS_PER_REQUEST) errors.push({ pointer: '/query/to', message: `at most ${MAX_DAYS_PER_REQUEST} days per request` })
    const min = dayNumberFromParts(ARRANGEMENT_MIN_YEAR, 1, 1)
    const max = dayNumberFromParts(ARRANGEMENT_MAX_YEAR, 12, 31)
    if (first < min || last > max) errors.push({ pointer: first < min ? '/query/from' : '/query/to', message: `the calendar covers ${isoOf(min)}..${isoOf(max)}` })
  }
  if (errors.length) throw badRequest(errors.map((e) => `${e.pointer} ${e.message}`).join('; '), errors)
  const { calendar } = await loadSnapshot(db, regionCode)
  const days: CalendarDay[] = []
  for (let d = first!; d <= last!; d++) {
    const info = calendar.dayInfo(d)
    days.push({
      date: isoOf(d),
      weekday: weekdayOf(d) || 7,
      working: info.working,
      reason: info.reason,
      ...(info.name ? { name: info.name } : {}),
      ...(info.nameEn ? { nameEn: info.nameEn } : {}),
      provisional: info.provisional,
    })
  }
  return days
}

// --- period rules ----------------------------------------------------------------------------------

export async function listPeriodRules(db: Db, regionCode: string): Promise<PeriodRuleRow[]> {
  const { rules } = await loadSnapshot(db, regionCode)
  return [...rules.values()].sort((a, b) => (a.code < b.code ? -1 : 1))
}

export async function getPeriodRule(db: Db, regionCode: string, code: string): Promise<PeriodRuleRow> {
  const rule = (await loadSnapshot(db, regionCode)).rules.get(code)
  if (!rule) throw notFound(`No period rule ${code} in region ${regionCode}.`)
  return rule
}

// --- computing a period ----------------------------------------------------------------------------

export interface PeriodRequest {
  /** The triggering instant: a Date, an RFC 3339 date-time, or `YYYY-MM-DD` (that day in Asia/Shanghai). */
  start: Date | string
  /** A period rule's code — or `unit` and `length`, not both. */
  rule?: string | undefined
  unit?: PeriodUnit | undefined
  length?: number | undefined
  /** List the days counted and skipped (default false here; the HTTP endpoint defaults to true). */
  explain?: boolean | undefined
}

export interface AppliedRule {
  /** null for an ad-hoc `unit` + `length`. */
  code: string | null
  unit: PeriodUnit
  length: number
  nameZh: string | null
  nameEn: string | null
  legalSource: string | null
}

export interface PeriodComputation extends PeriodResult {
  regionCode: string
  rule: AppliedRule
}

/**
 * When a period ends in the region's calendar (Civil Code arts. 200–204), with the rule applied and,
 * when asked, the days counted and skipped. Bad input is a 400 problem whose pointers are
 * `pointerPrefix` (default `/body`) followed by the field (`/start`, `/rule`, `/unit`, `/length`).
 */
export async function computeForRule(
  db: Db,
  regionCode: string,
  request: PeriodRequest,
  options: { pointerPrefix?: string } = {},
): Promise<PeriodComputation> {
  const at = (field: string) => `${options.pointerPrefix ?? '/body'}${field}`
  const errors: FieldError[] = []
  const start = request.start instanceof Date ? request.start : parseStart(request.start)
  if (start === null || Number.isNaN(start.getTime())) {
    errors.push({ pointer: at('/start'), message: 'must be an RFC 3339 date-time (2025-09-26T10:00:00+08:00) or a date (2025-09-26)' })
  }
  if (request.rule !== undefined) {
    for (const field of ['unit', 'length'] as const) {
      if (request[field] !== undefined) errors.push({ pointer: at(`/${field}`), message: 'give either rule, or unit and length — not both' })
    }
  } else {
    if (request.unit === undefined) errors.push({ pointer: at('/unit'), message: 'is required when no rule is given' })
    if (request.length === undefined) errors.push({ pointer: at('/length'), message: 'is required when no rule is given' })
    else if (!Number.isInteger(request.length) || request.length < PERIOD_MIN_LENGTH || request.length > PERIOD_MAX_LENGTH) {
      errors.push({ pointer: at('/length'), message: `must be an integer from ${PERIOD_MIN_LENGTH} to ${PERIOD_MAX_LENGTH}` })
    }
  }
  if (errors.length) throw badRequest(errors.map((e) => `${e.pointer} ${e.message}`).join('; '), errors)

  const s = await loadSnapshot(db, regionCode)
  let rule: AppliedRule
  if (request.rule !== undefined) {
    const stored = s.rules.get(request.rule)
    if (!stored) {
      throw badRequest(`No period rule ${request.rule} in region ${regionCode}; see GET /v1/period-rules.`, [
        { pointer: at('/rule'), message: 'is not a period rule of this region' },
      ])
    }
    rule = { code: stored.code, unit: stored.unit as PeriodUnit, length: stored.length, nameZh: stored.nameZh, nameEn: stored.nameEn, legalSource: stored.legalSource }
  } else {
    rule = { code: null, unit: request.unit!, length: request.length!, nameZh: null, nameEn: null, legalSource: null }
  }
  try {
    const result = computePeriod(s.calendar, { start: start!, unit: rule.unit, length: rule.length, explain: request.explain ?? false })
    return { regionCode, rule, ...result }
  } catch (err) {
    // Dates outside the calendar (1901–2099), e.g. a period running past 2099.
    if (err instanceof CalendarInputError) throw badRequest(err.message, [{ pointer: at(err.pointer ?? '/start'), message: err.message }])
    throw err
  }
}
