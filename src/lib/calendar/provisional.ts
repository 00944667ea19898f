// A provisional arrangement for a year whose official notice is not published yet, computed from the
// statutory holidays of the Regulations on National Annual and Memorial Holidays (全国年节及纪念日
// 放假办法, as amended 2024, in force 1 January 2025), art. 2 (holidays for all citizens) and art. 6.
// It has no make-up working days: those exist only in an announced arrangement.
import chineseDays from 'chinese-days';
import { CalendarInputError, dayNumberFromParts, isoOf, isWeekend } from './dates.js';
import type { HolidayRange, YearArrangement } from './types.js';

/** chinese-days' lunar tables cover 1900–2100; 1901 is the first year whose Lunar New Year's Eve they know. */
export const PROVISIONAL_MIN_YEAR = 1901;
export const PROVISIONAL_MAX_YEAR = 2099;

interface Festival {
  name: string;
  nameEn: string;
  first: number;
  days: number;
}

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < PROVISIONAL_MIN_YEAR || year > PROVISIONAL_MAX_YEAR) {
    throw new CalendarInputError(`no provisional arrangement for year ${year} (supported ${PROVISIONAL_MIN_YEAR}–${PROVISIONAL_MAX_YEAR})`);
  }
}

/**
 * First day in [from, to] whose lunar date is (month, day) in a regular (non-leap) month.
 * chinese-days' getLunarDate reads a `YYYY-MM-DD` string as UTC midnight and derives the lunar
 * numbers from elapsed whole days, so the numbers do not depend on the process time zone (its
 * `date` field does, and is not used).
 */
function findLunarDay(from: number, to: number, lunarMonth: number, lunarDay: number): number {
  for (let d = from; d <= to; d++) {
    const l = chineseDays.getLunarDate(isoOf(d));
    if (l.lunarMon === lunarMonth && l.lunarDay === lunarDay && !l.isLeap) return d;
  }
  throw new Error(`lunar ${lunarMonth}/${lunarDay} not found between ${isoOf(from)} and ${isoOf(to)}`);
}

/**
 * Day of the 清明 (Pure Brightness) solar term: the 寿星 formula also used by chinese-days'
 * getSolarTermDate (which has no correction entries for this term). Computed here because
 * getSolarTermDate formats its answer in the process's local time zone and returns the previous
 * day west of UTC.
 */
export function qingmingDay(year: number): number {
  const c = year >= 2000 ? 4.81 : 5.59;
  const y = year % 100;
  const dom = Math.floor(y * 0.2422 + c) - Math.floor(y / 4);
  return dayNumberFromParts(year, 4, dom);
}

/** Lunar New Year's Eve (除夕, the last day of the 12th lunar month) that falls in `year`. */
export function lunarNewYearsEveDay(year: number): number {
  // Lunar New Year falls between 21 January and 20 February.
  return findLunarDay(dayNumberFromParts(year, 1, 20), dayNumberFromParts(year, 2, 21), 1, 1) - 1;
}

function statutoryFestivals(year: number): Festival[] {
  return [
    { name: '元旦', nameEn: "New Year's Day", first: dayNumberFromParts(year, 1, 1), days: 1 },
    // Art. 2 as amended 2024: Spring Festival 4 days, from Lunar New Year's Eve to the 3rd of the 1st month.
    { name: '春节', nameEn: 'Spring Festival', first: lunarNewYearsEveDay(year), days: 4 },
    { name: '清明', nameEn: 'Tomb-sweeping Day', first: qingmingDay(year), days: 1 },
    { name: '劳动节', nameEn: 'Labour Day', first: dayNumberFromParts(year, 5, 1), days: 2 },
    // 5th of the 5th lunar month: late May to late June.
    { name: '端午', nameEn: 'Dragon Boat Festival', first: findLunarDay(dayNumberFromParts(year, 5, 20), dayNumberFromParts(year, 7, 1), 5, 5), days: 1 },
    // 15th of the 8th lunar month: early September to early October.
    { name: '中秋', nameEn: 'Mid-autumn Festival', first: findLunarDay(dayNumberFromParts(year, 9, 1), dayNumberFromParts(year, 10, 15), 8, 15), days: 1 },
    { name: '国庆节', nameEn: 'National Day', first: dayNumberFromParts(year, 10, 1), days: 3 },
  ];
}

/**
 * The statutory holidays of `year` plus the substitute rest days of art. 6: "a holiday for all
 * citizens that falls on a Saturday or Sunday is made up on a working day" (全体公民放假的假日，如果
 * 适逢星期六、星期日，应当在工作日补假). Each such day gets a substitute on the next Monday–Friday
 * after that festival that is not already a rest day. When two festivals fall on the same day
 * (Mid-Autumn on 1–3 October, as in 2001 and 2020) the second one is also made up, as the
 * 2020 arrangement did. The official notice usually also bridges to weekends and adds make-up working
 * days; a provisional arrangement cannot guess those, which is why results relying on it say so.
 */
export function provisionalArrangement(year: number): YearArrangement {
  assertYear(year);
  const restName = new Map<number, { name: string; nameEn: string }>();
  const festivals = statutoryFestivals(year).sort((a, b) => a.first - b.first);
  for (const f of festivals) {
    let owed = 0;
    for (let d = f.first; d < f.first + f.days; d++) {
      const taken = restName.get(d);
      if (taken !== undefined) {
        owed++;
        restName.set(d, { name: `${taken.name}、${f.name}`, nameEn: `${taken.nameEn} / ${f.nameEn}` });
        continue;
      }
      restName.set(d, { name: f.name, nameEn: f.nameEn });
      if (isWeekend(d)) owed++;
    }
    for (let d = f.first + f.days; owed > 0; d++) {
      if (isWeekend(d) || restName.has(d)) continue;
      restName.set(d, { name: f.name, nameEn: f.nameEn });
      owed--;
    }
  }
  return { year, status: 'provisional', holidays: rangesOf(restName), makeupWorkdays: [] };
}

/**
 * Groups rest days into ranges; a weekend between two rest days of the same festival (a Saturday
 * festival made up on Monday) is part of that break, as in the official arrangements.
 */
function rangesOf(restName: Map<number, { name: string; nameEn: string }>): HolidayRange[] {
  const days = [...restName.keys()].sort((a, b) => a - b);
  const ranges: HolidayRange[] = [];
  let start = 0;
  let end = 0;
  let label: { name: string; nameEn: string } | undefined;
  const flush = (): void => {
    if (label !== undefined) ranges.push({ name: label.name, nameEn: label.nameEn, from: isoOf(start), to: isoOf(end) });
  };
  for (const d of days) {
    const l = restName.get(d);
    if (l === undefined) continue;
    if (label !== undefined && label.name === l.name && onlyWeekendBetween(end, d)) {
      end = d;
      continue;
    }
    flush();
    start = d;
    end = d;
    label = l;
  }
  flush();
  return ranges;
}

function onlyWeekendBetween(a: number, b: number): boolean {
  for (let d = a + 1; d < b; d++) if (!isWeekend(d)) return false;
  return true;
}
