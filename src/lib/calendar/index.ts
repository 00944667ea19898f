// The working-day calendar: official and provisional holiday arrangements, region closures, and an
// O(1) lookup on day numbers. Pure code: no I/O, no clock, no process time zone.
export * from './dates.js';
export type * from './types.js';
export { officialArrangements, officialYearSpan } from './official.js';
export { provisionalArrangement, lunarNewYearsEveDay, qingmingDay, PROVISIONAL_MIN_YEAR, PROVISIONAL_MAX_YEAR } from './provisional.js';
export { validateArrangement, validateClosures, arrangementWindow, ARRANGEMENT_MIN_YEAR, ARRANGEMENT_MAX_YEAR, PREVIOUS_DECEMBER_DAYS } from './validate.js';
export { buildCalendar, mergeArrangements, InvalidCalendarError } from './build.js';
export type { CalendarOptions } from './build.js';
export * from './flags.js';
