// Builds the working-day calendar: one byte per day from 1901 to 2099 (see flags.ts), each year
// filled on first use from its arrangement (given, or provisional from law), then region closures.
import { CalendarInputError, dayNumberFromParts, isoOf, isWeekend, partsOfDayNumber, tryDayNumberOf } from './dates.js';
import {
  DAY_FILLED,
  DAY_PROVISIONAL,
  DAY_PROVISIONAL_NEXT_YEAR,
  DAY_PROVISIONAL_OWN_YEAR,
  DAY_REASON_SHIFT,
  DAY_WORKING,
  REASON_CLOSURE,
  REASON_HOLIDAY,
  REASON_MAKEUP,
  REASON_WEEKDAY,
  REASON_WEEKEND,
  reasonOfFlags,
} from './flags.js';
import { provisionalArrangement } from './provisional.js';
import type { ArrangementProblem, ArrangementStatus, DayInfo, RegionClosure, WorkCalendar, YearArrangement } from './types.js';
import { ARRANGEMENT_MAX_YEAR, ARRANGEMENT_MIN_YEAR, PREVIOUS_DECEMBER_DAYS, validateArrangement, validateClosures } from './validate.js';

export interface CalendarOptions {
  /** Arrangements to use, at most one per year (e.g. officialArrangements() with admin corrections). */
  arrangements: readonly YearArrangement[];
  /** The region's own extra rest days, applied on top of the national arrangement. */
  closures?: readonly RegionClosure[];
  /** Arrangement for a year not given; defaults to provisionalArrangement (statutory holidays only). */
  provisionalFor?: (year: number) => YearArrangement;
}

/** The options handed to buildCalendar do not describe a usable calendar. */
export class InvalidCalendarError extends Error {
  override readonly name = 'InvalidCalendarError';
  readonly problems: ArrangementProblem[];
  constructor(problems: ArrangementProblem[]) {
    super(`invalid calendar: ${problems.map((p) => `${p.pointer}: ${p.message}`).join('; ')}`);
    this.problems = problems;
  }
}

const FIRST_DAY = dayNumberFromParts(ARRANGEMENT_MIN_YEAR, 1, 1);
const LAST_DAY = dayNumberFromParts(ARRANGEMENT_MAX_YEAR, 12, 31);

interface DayName {
  name: string;
  nameEn?: string;
}

function copyArrangement(a: YearArrangement, status: ArrangementStatus = a.status): YearArrangement {
  return {
    year: a.year,
    status,
    holidays: a.holidays.map((h) => ({ ...h })),
    makeupWorkdays: a.makeupWorkdays.map((m) => ({ ...m })),
  };
}

function prefixed(problems: ArrangementProblem[], prefix: string): ArrangementProblem[] {
  return problems.map((p) => ({ pointer: `${prefix}${p.pointer}`, message: p.message }));
}

/** Days a given arrangement marks (holiday or make-up), for the cross-year check below. */
function markedDays(a: YearArrangement): Map<number, string> {
  const marked = new Map<number, string>();
  for (const h of a.holidays) {
    const from = tryDayNumberOf(h.from);
    const to = tryDayNumberOf(h.to);
    if (from !== null && to !== null) for (let d = from; d <= to; d++) marked.set(d, `holiday ${h.name}`);
  }
  for (const m of a.makeupWorkdays) {
    const d = tryDayNumberOf(m.date);
    if (d !== null) marked.set(d, 'make-up working day');
  }
  return marked;
}

function checkOptions(options: CalendarOptions): ArrangementProblem[] {
  const problems: ArrangementProblem[] = [];
  const byYear = new Map<number, number>();
  options.arrangements.forEach((a, i) => {
    problems.push(...prefixed(validateArrangement(a), `/arrangements/${i}`));
    const dup = byYear.get(a.year);
    if (dup !== undefined) problems.push({ pointer: `/arrangements/${i}/year`, message: `year ${a.year} is also given at /arrangements/${dup}` });
    else byYear.set(a.year, i);
  });
  if (options.closures !== undefined) problems.push(...prefixed(validateClosures(options.closures), '/closures'));
  if (problems.length > 0) return problems;
  // A New Year break reaching back into December must not contradict the previous year's arrangement.
  for (const [year, i] of byYear) {
    const prevIndex = byYear.get(year - 1);
    const a = options.arrangements[i];
    const prev = prevIndex === undefined ? undefined : options.arrangements[prevIndex];
    if (a === undefined || prev === undefined) continue;
    const prevMarked = markedDays(prev);
    const jan1 = dayNumberFromParts(year, 1, 1);
    for (const [d, what] of markedDays(a)) {
      const clash = d < jan1 ? prevMarked.get(d) : undefined;
      if (clash !== undefined) {
        problems.push({ pointer: `/arrangements/${i}`, message: `${isoOf(d)} (${what}) is also a ${clash} in the ${year - 1} arrangement` });
      }
    }
  }
  return problems;
}

class TableCalendar implements WorkCalendar {
  readonly minYear = ARRANGEMENT_MIN_YEAR;
  readonly maxYear = ARRANGEMENT_MAX_YEAR;
  private readonly table = new Uint8Array(LAST_DAY - FIRST_DAY + 1);
  private readonly names = new Map<number, DayName>();
  private readonly given = new Map<number, YearArrangement>();
  private readonly resolved = new Map<number, YearArrangement>();
  private readonly closures = new Map<number, RegionClosure>();
  private readonly provisionalFor: (year: number) => YearArrangement;

  constructor(options: CalendarOptions) {
    for (const a of options.arrangements) this.given.set(a.year, copyArrangement(a));
    for (const c of options.closures ?? []) this.closures.set(tryDayNumberOf(c.date) ?? Number.NaN, { ...c });
    this.provisionalFor = options.provisionalFor ?? provisionalArrangement;
  }

  /** O(1): one typed-array read; a year is filled on its first lookup. */
  dayFlags(day: number): number {
    const f = this.table[day - FIRST_DAY];
    return f !== undefined && f !== 0 ? f : this.fillFor(day);
  }

  isWorkingDay(day: number): boolean {
    return (this.dayFlags(day) & DAY_WORKING) !== 0;
  }

  dayInfo(day: number): DayInfo {
    const f = this.dayFlags(day);
    const reason = reasonOfFlags(f);
    const info: DayInfo = { working: (f & DAY_WORKING) !== 0, reason, provisional: (f & DAY_PROVISIONAL) !== 0 };
    const label = reason === 'weekday' || reason === 'weekend' ? undefined : this.names.get(day);
    if (label !== undefined) {
      info.name = label.name;
      if (label.nameEn !== undefined) info.nameEn = label.nameEn;
    }
    return info;
  }

  yearStatus(year: number): ArrangementStatus {
    this.assertYear(year);
    return this.given.get(year)?.status ?? 'provisional';
  }

  arrangementFor(year: number): YearArrangement {
    return copyArrangement(this.resolve(year));
  }

  private assertYear(year: number): void {
    if (!Number.isInteger(year) || year < this.minYear || year > this.maxYear) {
      throw new CalendarInputError(`the calendar covers ${this.minYear}–${this.maxYear}, not ${year}`);
    }
  }

  private resolve(year: number): YearArrangement {
    this.assertYear(year);
    const given = this.given.get(year);
    if (given !== undefined) return given;
    let a = this.resolved.get(year);
    if (a === undefined) {
      const computed = this.provisionalFor(year);
      const problems = computed.year === year ? validateArrangement(computed) : [{ pointer: '/year', message: `asked for ${year}` }];
      if (problems.length > 0) throw new InvalidCalendarError(prefixed(problems, `/provisional/${year}`));
      a = copyArrangement(computed, 'provisional');
      this.resolved.set(year, a);
    }
    return a;
  }

  private fillFor(day: number): number {
    if (!Number.isInteger(day) || day < FIRST_DAY || day > LAST_DAY) {
      throw new CalendarInputError(`the calendar covers ${isoOf(FIRST_DAY)}..${isoOf(LAST_DAY)}; day ${day} is outside it`);
    }
    this.fillYear(partsOfDayNumber(day).year);
    return this.table[day - FIRST_DAY] ?? 0;
  }

  private fillYear(year: number): void {
    const start = dayNumberFromParts(year, 1, 1);
    const end = dayNumberFromParts(year + 1, 1, 1) - 1;
    const own = this.yearStatus(year) === 'provisional' ? DAY_PROVISIONAL_OWN_YEAR : 0;
    // Next year's notice may move New Year rest days or a make-up day into the last week of December.
    const next = year + 1 > this.maxYear || this.yearStatus(year + 1) === 'provisional' ? DAY_PROVISIONAL_NEXT_YEAR : 0;
    const nextFrom = end - PREVIOUS_DECEMBER_DAYS + 1;
    const t = this.table;
    for (let d = start; d <= end; d++) {
      const base = isWeekend(d) ? REASON_WEEKEND << DAY_REASON_SHIFT : DAY_WORKING | (REASON_WEEKDAY << DAY_REASON_SHIFT);
      t[d - FIRST_DAY] = base | DAY_FILLED | own | (d >= nextFrom ? next : 0);
    }
    this.apply(this.resolve(year), start, end);
    const following = year < this.maxYear ? this.given.get(year + 1) : undefined;
    if (following !== undefined) this.apply(following, start, end);
    for (const [d, c] of this.closures) {
      if (d < start || d > end) continue;
      const f = t[d - FIRST_DAY] ?? 0;
      // A closure turns a working day into a rest day; a day already at rest keeps its reason.
      if ((f & DAY_WORKING) !== 0) {
        t[d - FIRST_DAY] = (f & DAY_PROVISIONAL) | DAY_FILLED | (REASON_CLOSURE << DAY_REASON_SHIFT);
        this.names.set(d, { name: c.name });
      }
    }
  }

  private apply(a: YearArrangement, start: number, end: number): void {
    const t = this.table;
    for (const h of a.holidays) {
      const from = Math.max(tryDayNumberOf(h.from) ?? end + 1, start);
      const to = Math.min(tryDayNumberOf(h.to) ?? start - 1, end);
      const label: DayName = h.nameEn === undefined ? { name: h.name } : { name: h.name, nameEn: h.nameEn };
      for (let d = from; d <= to; d++) {
        t[d - FIRST_DAY] = ((t[d - FIRST_DAY] ?? 0) & DAY_PROVISIONAL) | DAY_FILLED | (REASON_HOLIDAY << DAY_REASON_SHIFT);
        this.names.set(d, label);
      }
    }
    for (const m of a.makeupWorkdays) {
      const d = tryDayNumberOf(m.date);
      if (d === null || d < start || d > end) continue;
      t[d - FIRST_DAY] = ((t[d - FIRST_DAY] ?? 0) & DAY_PROVISIONAL) | DAY_FILLED | DAY_WORKING | (REASON_MAKEUP << DAY_REASON_SHIFT);
      if (m.name !== undefined) this.names.set(d, { name: m.name });
    }
  }
}

/**
 * A calendar over the given arrangements; years not given use `provisionalFor` (lazily, cached).
 * Throws InvalidCalendarError (with JSON pointers into `options`) when an arrangement is invalid.
 */
export function buildCalendar(options: CalendarOptions): WorkCalendar {
  const problems = checkOptions(options);
  if (problems.length > 0) throw new InvalidCalendarError(problems);
  return new TableCalendar(options);
}

/** `base` with each year replaced by the override for that year, if any (e.g. admin corrections). */
export function mergeArrangements(base: readonly YearArrangement[], overrides: readonly YearArrangement[]): YearArrangement[] {
  const byYear = new Map<number, YearArrangement>();
  for (const a of base) byYear.set(a.year, a);
  for (const a of overrides) byYear.set(a.year, a);
  return [...byYear.values()].sort((x, y) => x.year - y.year);
}
