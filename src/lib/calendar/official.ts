// Official holiday arrangements (国务院办公厅关于节假日安排的通知), seeded from the data maintained in
// the `chinese-days` package (2004 onwards). Each date there is tagged "English,中文,statutory days".
import officialData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { dayNumberOf, isoOf, isWeekend, partsOfDayNumber } from './dates.js';
import type { HolidayRange, MakeupWorkday, YearArrangement } from './types.js';

interface TaggedDay {
  day: number;
  name: string;
  nameEn: string;
}

const NEW_YEAR_EN = "New Year's Day";

function parseTag(tag: string): { name: string; nameEn: string } {
  const [nameEn = '', name = ''] = tag.split(',');
  return { name: name || nameEn, nameEn };
}

/**
 * The arrangement year a date belongs to: its own year, except New Year rest days and make-up days
 * in late December, which the notice for the following year announces (2006-12-30/31, 2007-12-29..31,
 * 2011-12-31, 2018-12-29..31, 2022-12-31 in the data).
 */
function arrangementYearOf(day: number, nameEn: string): number {
  const { year, month, day: dom } = partsOfDayNumber(day);
  return month === 12 && dom >= 25 && nameEn === NEW_YEAR_EN ? year + 1 : year;
}

function collect(source: Record<string, string>): Map<number, TaggedDay[]> {
  const byYear = new Map<number, TaggedDay[]>();
  for (const [iso, tag] of Object.entries(source)) {
    const day = dayNumberOf(iso);
    const { name, nameEn } = parseTag(tag);
    const year = arrangementYearOf(day, nameEn);
    let list = byYear.get(year);
    if (list === undefined) {
      list = [];
      byYear.set(year, list);
    }
    list.push({ day, name, nameEn });
  }
  for (const list of byYear.values()) list.sort((a, b) => a.day - b.day);
  return byYear;
}

/**
 * Groups consecutive rest days of the same holiday into ranges. The data leaves out the weekend day
 * in the middle of three Dragon Boat breaks (2011-06-05, 2012-06-23, 2015-06-21) although each
 * announced break was continuous, so a gap of one or two weekend days that are not make-up days
 * between dates of the same holiday is bridged.
 */
function groupRanges(days: TaggedDay[], makeupDays: ReadonlySet<number>): HolidayRange[] {
  const ranges: HolidayRange[] = [];
  let current: { name: string; nameEn: string; from: number; to: number } | null = null;
  const flush = (): void => {
    if (current !== null) {
      ranges.push({ name: current.name, nameEn: current.nameEn, from: isoOf(current.from), to: isoOf(current.to) });
    }
  };
  for (const d of days) {
    if (current !== null && current.name === d.name && bridgeable(current.to, d.day, makeupDays)) {
      current.to = d.day;
      continue;
    }
    flush();
    current = { name: d.name, nameEn: d.nameEn, from: d.day, to: d.day };
  }
  flush();
  return ranges;
}

function bridgeable(lastDay: number, nextDay: number, makeupDays: ReadonlySet<number>): boolean {
  const gap = nextDay - lastDay - 1;
  if (gap < 0 || gap > 2) return false;
  for (let d = lastDay + 1; d < nextDay; d++) if (!isWeekend(d) || makeupDays.has(d)) return false;
  return true;
}

/** Every year of official data in `chinese-days`, oldest first. Each call returns fresh objects. */
export function officialArrangements(): YearArrangement[] {
  const holidays = collect(officialData.holidays as Record<string, string>);
  const workdays = collect(officialData.workdays as Record<string, string>);
  const years = [...new Set([...holidays.keys(), ...workdays.keys()])].sort((a, b) => a - b);
  return years.map((year) => {
    const made = workdays.get(year) ?? [];
    const makeupWorkdays: MakeupWorkday[] = made.map((d) => ({ date: isoOf(d.day), name: d.name }));
    return {
      year,
      status: 'official' as const,
      holidays: groupRanges(holidays.get(year) ?? [], new Set(made.map((d) => d.day))),
      makeupWorkdays,
    };
  });
}

/** First and last year with official data. */
export function officialYearSpan(): { first: number; last: number } {
  const years = officialArrangements().map((a) => a.year);
  return { first: Math.min(...years), last: Math.max(...years) };
}
