// Bit layout of one day in the calendar's lookup table. Kept in one place so the period engine can
// read the table without any string work.
import type { DayReason } from './types.js';

export const DAY_WORKING = 1;
/** The day's own year has only a provisional arrangement. */
export const DAY_PROVISIONAL_OWN_YEAR = 2;
/** 25–31 December while next year's arrangement (which may reach into this December) is provisional. */
export const DAY_PROVISIONAL_NEXT_YEAR = 4;
export const DAY_PROVISIONAL = DAY_PROVISIONAL_OWN_YEAR | DAY_PROVISIONAL_NEXT_YEAR;
/** Set on every computed entry so that 0 means "year not computed yet". */
export const DAY_FILLED = 8;
export const DAY_REASON_SHIFT = 4;

export const REASON_CODES: readonly DayReason[] = ['weekday', 'weekend', 'holiday', 'makeup_workday', 'closure'];
export const REASON_WEEKDAY = 0;
export const REASON_WEEKEND = 1;
export const REASON_HOLIDAY = 2;
export const REASON_MAKEUP = 3;
export const REASON_CLOSURE = 4;

export function reasonOfFlags(flags: number): DayReason {
  return REASON_CODES[(flags >> DAY_REASON_SHIFT) & 7] ?? 'weekday';
}
