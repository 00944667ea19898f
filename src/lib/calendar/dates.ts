// Calendar dates as integer day numbers (days since 1970-01-01) and their YYYY-MM-DD form.
// Everything here is plain arithmetic: nothing reads the process time zone, so results are the
// same under TZ=UTC, TZ=Asia/Shanghai or TZ=America/Los_Angeles.

/** A calendar date written `YYYY-MM-DD`. */
export type IsoDate = string;

export const MS_PER_DAY = 86_400_000;

/**
 * Asia/Shanghai is UTC+8 all year. China observed daylight saving time only in 1986–1991, so for
 * instants after 1991 the Shanghai calendar date is simply the UTC instant shifted by 8 hours.
 */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** Thrown for input that is not a date the calendar can answer for (bad format, out of range). */
export class CalendarInputError extends RangeError {
  override readonly name = 'CalendarInputError';
  /** JSON pointer into the caller's input, when the caller gave one. */
  readonly pointer: string | undefined;
  constructor(message: string, pointer?: string) {
    super(message);
    this.pointer = pointer;
  }
}

/** Day number of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function dayNumberFromParts(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Year, month (1–12) and day of a day number (H. Hinnant's civil_from_days). */
export function partsOfDayNumber(dayNumber: number): CivilDate {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function yearOfDayNumber(dayNumber: number): number {
  return partsOfDayNumber(dayNumber).year;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a `YYYY-MM-DD` date, or null when the text is not a real calendar date. */
export function tryDayNumberOf(iso: string): number | null {
  const m = ISO_DATE.exec(iso);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return dayNumberFromParts(year, month, day);
}

/** Day number of a `YYYY-MM-DD` date; throws CalendarInputError for anything else. */
export function dayNumberOf(iso: IsoDate, pointer?: string): number {
  const n = tryDayNumberOf(iso);
  if (n === null) throw new CalendarInputError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(iso)}`, pointer);
  return n;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function formatDayNumber(dayNumber: number): IsoDate {
  const { year, month, day } = partsOfDayNumber(dayNumber);
  const y = year >= 0 && year < 10_000 ? String(year).padStart(4, '0') : String(year);
  return `${y}-${pad2(month)}-${pad2(day)}`;
}

// Memo of formatted dates for 1900–2100: the period engine formats a handful of dates per call
// and this keeps that off the hot path after the first use of each day.
const ISO_CACHE_FIRST_DAY = dayNumberFromParts(1900, 1, 1);
const ISO_CACHE_SIZE = dayNumberFromParts(2101, 1, 1) - ISO_CACHE_FIRST_DAY;
const isoCache: (IsoDate | undefined)[] = new Array<IsoDate | undefined>(ISO_CACHE_SIZE);

/** `YYYY-MM-DD` of a day number. */
export function isoOf(dayNumber: number): IsoDate {
  const i = dayNumber - ISO_CACHE_FIRST_DAY;
  if (i >= 0 && i < ISO_CACHE_SIZE) {
    let s = isoCache[i];
    if (s === undefined) {
      s = formatDayNumber(dayNumber);
      isoCache[i] = s;
    }
    return s;
  }
  return formatDayNumber(dayNumber);
}

/** Asia/Shanghai calendar day (day number) of an instant. */
export function shanghaiDayOf(instant: Date): number {
  const t = instant.getTime();
  if (!Number.isFinite(t)) throw new CalendarInputError('not a valid instant');
  return Math.floor((t + SHANGHAI_OFFSET_MS) / MS_PER_DAY);
}

/** Asia/Shanghai calendar date (`YYYY-MM-DD`) of an instant. */
export function shanghaiDateOf(instant: Date): IsoDate {
  return isoOf(shanghaiDayOf(instant));
}

/** Day of the week: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function isWeekend(dayNumber: number): boolean {
  const w = weekdayOf(dayNumber);
  return w === 0 || w === 6;
}

/** The instant 24:00 Asia/Shanghai ends a day, i.e. `YYYY-MM-DDT16:00:00.000Z` of that day. */
export function endOfShanghaiDayIso(dayNumber: number): string {
  return `${isoOf(dayNumber)}T16:00:00.000Z`;
}
