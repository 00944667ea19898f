// Computes when a statutory period ends, following the PRC Civil Code on periods (arts. 200–204):
//   art. 200  periods are counted by the Gregorian calendar (here: Asia/Shanghai dates);
//   art. 201  a period counted in days starts on the day after the triggering day;
//   art. 203  if the last day is a statutory rest day (法定休假日) the day after the rest ends is the
//             last day; the last day ends at 24:00;
//   art. 204  unless a law provides otherwise — periods the law counts in working days (工作日), e.g.
//             土地管理法实施条例 art. 26, count only the working days of the official calendar.
import { CalendarInputError, MS_PER_DAY, SHANGHAI_OFFSET_MS, endOfShanghaiDayIso, isoOf, partsOfDayNumber } from '../calendar/dates.js';
import type { IsoDate } from '../calendar/dates.js';
import { DAY_PROVISIONAL, DAY_PROVISIONAL_NEXT_YEAR, DAY_PROVISIONAL_OWN_YEAR, DAY_WORKING } from '../calendar/flags.js';
import type { DayReason, WorkCalendar } from '../calendar/types.js';
import { PERIOD_MAX_LENGTH, PERIOD_MIN_LENGTH } from './rules.js';
import type { PeriodUnit } from './rules.js';

export interface PeriodInput {
  /** The triggering instant (publication, receipt of materials…); its Shanghai date is not counted. */
  start: Date;
  unit: PeriodUnit;
  length: number;
  /** List every day from the day after the trigger to the last day, counted or skipped. */
  explain?: boolean;
}

export interface ExplainedDay {
  date: IsoDate;
  reason: DayReason;
  name?: string;
}

export interface PeriodExplanation {
  /**
   * Days that make up the period: for calendar days every day from the first to the nominal last day
   * (rest days count too) plus, when art. 203 moved the end, the new last day; for working days the
   * `length` working days.
   */
  counted: ExplainedDay[];
  /** Rest days passed over: those after the nominal last day (calendar days) or every rest day (working days). */
  skipped: ExplainedDay[];
}

export interface PeriodResult {
  /** Asia/Shanghai date of `start`. */
  triggerDate: IsoDate;
  /** Day after the trigger (calendar days) or the first working day after it (working days). */
  firstDay: IsoDate;
  lastDay: IsoDate;
  /** trigger + length for calendar days (before art. 203 moves it); equals lastDay for working days. */
  nominalLastDay: IsoDate;
  /** 24:00 Asia/Shanghai of lastDay: `${lastDay}T16:00:00.000Z`. */
  endsAt: string;
  movedFromRestDay: boolean;
  movedFrom: IsoDate | null;
  /** True when any day from the day after the trigger to the last day relies on a provisional arrangement. */
  provisional: boolean;
  /** Years whose provisional arrangement the result relies on, ascending. */
  provisionalYears: number[];
  explanation?: PeriodExplanation;
}

function checkInput(input: PeriodInput): number {
  const t = input.start instanceof Date ? input.start.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new CalendarInputError('start must be a valid instant', '/start');
  if (input.unit !== 'calendar_day' && input.unit !== 'working_day') {
    throw new CalendarInputError("unit must be 'calendar_day' or 'working_day'", '/unit');
  }
  const n = input.length;
  if (!Number.isInteger(n) || n < PERIOD_MIN_LENGTH || n > PERIOD_MAX_LENGTH) {
    throw new CalendarInputError(`length must be an integer from ${PERIOD_MIN_LENGTH} to ${PERIOD_MAX_LENGTH}`, '/length');
  }
  return t;
}

export function computePeriod(calendar: WorkCalendar, input: PeriodInput): PeriodResult {
  const t = checkInput(input);
  const length = input.length;
  // Asia/Shanghai date of the trigger (UTC+8, no DST since 1991); art. 201: not counted.
  const trigger = Math.floor((t + SHANGHAI_OFFSET_MS) / MS_PER_DAY);
  let seen = 0;
  let firstDay: number;
  let nominal: number;
  let lastDay: number;

  if (input.unit === 'working_day') {
    let d = trigger;
    let counted = 0;
    firstDay = 0;
    while (counted < length) {
      d++;
      const f = calendar.dayFlags(d);
      seen |= f;
      if ((f & DAY_WORKING) !== 0) {
        counted++;
        if (counted === 1) firstDay = d;
      }
    }
    nominal = d;
    lastDay = d;
  } else {
    firstDay = trigger + 1;
    nominal = trigger + length;
    for (let d = firstDay; d < nominal; d++) seen |= calendar.dayFlags(d);
    // Art. 203: a last day on a rest day (weekend or holiday, not a make-up working day, or a
    // region closure) moves to the first working day after it.
    lastDay = nominal;
    let f = calendar.dayFlags(lastDay);
    seen |= f;
    while ((f & DAY_WORKING) === 0) {
      lastDay++;
      f = calendar.dayFlags(lastDay);
      seen |= f;
    }
  }

  const moved = lastDay !== nominal;
  const provisional = (seen & DAY_PROVISIONAL) !== 0;
  const result: PeriodResult = {
    triggerDate: isoOf(trigger),
    firstDay: isoOf(firstDay),
    lastDay: isoOf(lastDay),
    nominalLastDay: isoOf(nominal),
    endsAt: endOfShanghaiDayIso(lastDay),
    movedFromRestDay: moved,
    movedFrom: moved ? isoOf(nominal) : null,
    provisional,
    provisionalYears: provisional ? provisionalYearsBetween(calendar, trigger + 1, lastDay) : [],
  };
  if (input.explain === true) result.explanation = explain(calendar, input.unit, trigger, nominal, lastDay);
  return result;
}

function provisionalYearsBetween(calendar: WorkCalendar, from: number, to: number): number[] {
  const years = new Set<number>();
  for (let d = from; d <= to; d++) {
    const f = calendar.dayFlags(d);
    if ((f & DAY_PROVISIONAL) === 0) continue;
    const year = partsOfDayNumber(d).year;
    if ((f & DAY_PROVISIONAL_OWN_YEAR) !== 0) years.add(year);
    if ((f & DAY_PROVISIONAL_NEXT_YEAR) !== 0) years.add(year + 1);
  }
  return [...years].sort((a, b) => a - b);
}

function explained(calendar: WorkCalendar, day: number): ExplainedDay {
  const info = calendar.dayInfo(day);
  const entry: ExplainedDay = { date: isoOf(day), reason: info.reason };
  if (info.name !== undefined) entry.name = info.name;
  return entry;
}

function explain(calendar: WorkCalendar, unit: PeriodUnit, trigger: number, nominal: number, lastDay: number): PeriodExplanation {
  const counted: ExplainedDay[] = [];
  const skipped: ExplainedDay[] = [];
  for (let d = trigger + 1; d <= lastDay; d++) {
    const countsToward = unit === 'working_day' ? calendar.isWorkingDay(d) : d <= nominal || d === lastDay;
    (countsToward ? counted : skipped).push(explained(calendar, d));
  }
  return { counted, skipped };
}
