// Checks an arrangement (typed in by an admin or loaded from data) before the calendar uses it.
import { dayNumberFromParts, isoOf, isWeekend, tryDayNumberOf } from './dates.js';
import type { ArrangementProblem, RegionClosure, YearArrangement } from './types.js';

export const ARRANGEMENT_MIN_YEAR = 1901;
export const ARRANGEMENT_MAX_YEAR = 2099;

/**
 * How far into the previous December an arrangement may reach. The notice for year Y announces the
 * New Year break, which has started as early as 30 December (2007-12-30, 2018-12-30) with make-up
 * days back to 29 December (2007-12-29, 2018-12-29) — and make-up days on 30/31 December 2006 for
 * New Year 2007. Such dates belong to the year the break ends in; a week is allowed.
 */
export const PREVIOUS_DECEMBER_DAYS = 7;

export function arrangementWindow(year: number): { first: number; last: number } {
  return {
    first: dayNumberFromParts(year, 1, 1) - PREVIOUS_DECEMBER_DAYS,
    last: dayNumberFromParts(year, 12, 31),
  };
}

/** Problems in an arrangement; an empty list means it can be used. */
export function validateArrangement(a: YearArrangement): ArrangementProblem[] {
  const problems: ArrangementProblem[] = [];
  const add = (pointer: string, message: string): void => {
    problems.push({ pointer, message });
  };
  if (!Number.isInteger(a.year) || a.year < ARRANGEMENT_MIN_YEAR || a.year > ARRANGEMENT_MAX_YEAR) {
    add('/year', `year must be an integer from ${ARRANGEMENT_MIN_YEAR} to ${ARRANGEMENT_MAX_YEAR}`);
    return problems;
  }
  if (a.status !== 'official' && a.status !== 'provisional') add('/status', "status must be 'official' or 'provisional'");
  const { first, last } = arrangementWindow(a.year);
  const window = `${isoOf(first)}..${isoOf(last)}`;

  const ranges: { from: number; to: number; index: number }[] = [];
  a.holidays.forEach((h, i) => {
    const at = `/holidays/${i}`;
    if (typeof h.name !== 'string' || h.name.trim() === '') add(`${at}/name`, 'a holiday needs a name');
    const from = tryDayNumberOf(h.from);
    const to = tryDayNumberOf(h.to);
    if (from === null) add(`${at}/from`, 'not a calendar date (YYYY-MM-DD)');
    if (to === null) add(`${at}/to`, 'not a calendar date (YYYY-MM-DD)');
    if (from === null || to === null) return;
    if (from > to) {
      add(`${at}/to`, `to (${h.to}) is before from (${h.from})`);
      return;
    }
    if (to < dayNumberFromParts(a.year, 1, 1) || to > last) add(`${at}/to`, `a break must end in ${a.year}`);
    else if (from < first) add(`${at}/from`, `a break may start at most ${PREVIOUS_DECEMBER_DAYS} days before 1 January (${window})`);
    ranges.push({ from, to, index: i });
  });

  ranges.sort((x, y) => x.from - y.from);
  for (let k = 1; k < ranges.length; k++) {
    const prev = ranges[k - 1];
    const cur = ranges[k];
    if (prev !== undefined && cur !== undefined && cur.from <= prev.to) {
      add(`/holidays/${cur.index}`, `overlaps holiday ${prev.index} (${isoOf(prev.from)}..${isoOf(prev.to)})`);
    }
  }

  const seen = new Map<number, number>();
  a.makeupWorkdays.forEach((m, i) => {
    const at = `/makeupWorkdays/${i}/date`;
    const d = tryDayNumberOf(m.date);
    if (d === null) {
      add(at, 'not a calendar date (YYYY-MM-DD)');
      return;
    }
    if (!isWeekend(d)) add(at, `${m.date} is a weekday; a make-up working day must be a Saturday or Sunday`);
    if (d < first || d > last) add(at, `a make-up working day must be in ${a.year} (or up to ${PREVIOUS_DECEMBER_DAYS} days before it): ${window}`);
    const inside = ranges.find((r) => d >= r.from && d <= r.to);
    if (inside !== undefined) add(at, `${m.date} is inside holiday ${inside.index}`);
    const dup = seen.get(d);
    if (dup !== undefined) add(at, `same date as make-up day ${dup}`);
    else seen.set(d, i);
  });
  return problems;
}

/** Problems in a region's closure list (JSON pointers into the list). */
export function validateClosures(closures: readonly RegionClosure[]): ArrangementProblem[] {
  const problems: ArrangementProblem[] = [];
  const seen = new Map<number, number>();
  closures.forEach((c, i) => {
    if (typeof c.name !== 'string' || c.name.trim() === '') problems.push({ pointer: `/${i}/name`, message: 'a closure needs a name' });
    const d = tryDayNumberOf(c.date);
    if (d === null) {
      problems.push({ pointer: `/${i}/date`, message: 'not a calendar date (YYYY-MM-DD)' });
      return;
    }
    if (d < dayNumberFromParts(ARRANGEMENT_MIN_YEAR, 1, 1) || d > dayNumberFromParts(ARRANGEMENT_MAX_YEAR, 12, 31)) {
      problems.push({ pointer: `/${i}/date`, message: `outside the calendar (${ARRANGEMENT_MIN_YEAR}–${ARRANGEMENT_MAX_YEAR})` });
    }
    const dup = seen.get(d);
    if (dup !== undefined) problems.push({ pointer: `/${i}/date`, message: `same date as closure ${dup}` });
    else seen.set(d, i);
  });
  return problems;
}
