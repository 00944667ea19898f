// The working-day calendar as data: the State Council's yearly holiday arrangement (放假安排),
// a region's own closures on top, and what one day turns out to be.
import type { IsoDate } from './dates.js';

export type ArrangementStatus = 'official' | 'provisional';

/** One announced break (the whole break counts as rest days, weekends inside it included). */
export interface HolidayRange {
  name: string;
  nameEn?: string;
  from: IsoDate;
  to: IsoDate;
}

/** A Saturday or Sunday declared a working day (调休上班). */
export interface MakeupWorkday {
  date: IsoDate;
  name?: string;
}

/**
 * The holiday arrangement for one year. A New Year break and its make-up day may begin in the last
 * days of the previous December (e.g. 2018-12-29 make-up, 2018-12-30..2019-01-01 break): such dates
 * belong to the arrangement of the year the break ends in.
 */
export interface YearArrangement {
  year: number;
  status: ArrangementStatus;
  holidays: HolidayRange[];
  makeupWorkdays: MakeupWorkday[];
}

/** A region's own extra rest day, applied on top of the national arrangement. */
export interface RegionClosure {
  date: IsoDate;
  name: string;
}

/** A problem found in an arrangement; `pointer` is a JSON pointer into the arrangement. */
export interface ArrangementProblem {
  pointer: string;
  message: string;
}

export type DayReason = 'weekday' | 'weekend' | 'holiday' | 'makeup_workday' | 'closure';

export interface DayInfo {
  working: boolean;
  reason: DayReason;
  name?: string;
  nameEn?: string;
  /**
   * True when the answer relies on a provisional arrangement: the day's own year is provisional, or
   * the day is in 25–31 December and next year's arrangement (which may move New Year rest days or a
   * make-up day into this December) is provisional.
   */
  provisional: boolean;
}

export interface WorkCalendar {
  /** First and last year the calendar can answer for. */
  readonly minYear: number;
  readonly maxYear: number;
  isWorkingDay(day: number): boolean;
  dayInfo(day: number): DayInfo;
  yearStatus(year: number): ArrangementStatus;
  /** The arrangement in force for a year: the one given, or the provisional one computed from law. */
  arrangementFor(year: number): YearArrangement;
  /** Low-level O(1) lookup for hot loops: a bit set of the DAY_* flags in `calendar/flags.ts`. */
  dayFlags(day: number): number;
}
