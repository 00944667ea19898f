// When a period ends: worked out by hand from the official arrangements (Civil Code arts. 201, 203).
import t from 'tap';
import { buildCalendar, CalendarInputError, officialArrangements } from '../../src/lib/calendar/index.js';
import type { YearArrangement } from '../../src/lib/calendar/index.js';
import { BUILT_IN_RULES, computePeriod } from '../../src/lib/periods/index.js';
import type { PeriodUnit } from '../../src/lib/periods/index.js';

const official = officialArrangements();
const calendar = buildCalendar({ arrangements: official });

/** A trigger at 10:00 Shanghai time on the given date. */
const at10 = (iso: string): Date => new Date(`${iso}T10:00:00+08:00`);
const period = (start: Date | string, unit: PeriodUnit, length: number, cal = calendar) =>
  computePeriod(cal, { start: typeof start === 'string' ? at10(start) : start, unit, length });

t.test('7 calendar days ending inside Spring Festival 2024 move past the break to the make-up Sunday', async (t) => {
  // Trigger Wed 02-07; days 02-08..02-14; 02-14 is in the break (02-10..02-17); 02-18 is a worked Sunday.
  t.same(period('2024-02-07', 'calendar_day', 7), {
    triggerDate: '2024-02-07',
    firstDay: '2024-02-08',
    lastDay: '2024-02-18',
    nominalLastDay: '2024-02-14',
    endsAt: '2024-02-18T16:00:00.000Z',
    movedFromRestDay: true,
    movedFrom: '2024-02-14',
    provisional: false,
    provisionalYears: [],
  });
});

t.test('7 working days across Spring Festival 2024 count the make-up Sunday', async (t) => {
  // Mon 02-05 trigger: 06, 07, 08, 09 (eve was worked), [02-10..17 break], 18 (Sun, worked), 19, 20.
  const r = period('2024-02-05', 'working_day', 7);
  t.equal(r.firstDay, '2024-02-06');
  t.equal(r.lastDay, '2024-02-20');
  t.equal(r.nominalLastDay, '2024-02-20');
  t.equal(r.movedFromRestDay, false);
  t.equal(r.movedFrom, null);
});

t.test('Labour Day 2025: a calendar-day period moves to 05-06; a working-day period starts on the make-up Sunday', async (t) => {
  const c = period('2025-04-26', 'calendar_day', 7); // nominal Sat 05-03, in the break 05-01..05-05
  t.same([c.lastDay, c.movedFrom], ['2025-05-06', '2025-05-03']);
  // Fri 04-25 trigger: 04-26 Sat rest, 04-27 Sun worked (1), 28, 29, 30, [05-01..05], 06, 07, 08 (7).
  const w = period('2025-04-25', 'working_day', 7);
  t.same([w.firstDay, w.lastDay], ['2025-04-27', '2025-05-08']);
});

t.test('National Day + Mid-Autumn 2025: 7 working days across the break, passing the make-up Saturday', async (t) => {
  // Fri 09-26 trigger: 09-27 Sat rest, 09-28 Sun worked (1), 29 (2), 30 (3), [10-01..08],
  // 10-09 (4), 10-10 (5), 10-11 Sat worked (6), 10-12 Sun rest, 10-13 (7).
  const r = period('2025-09-26', 'working_day', 7);
  t.same([r.firstDay, r.lastDay, r.endsAt], ['2025-09-28', '2025-10-13', '2025-10-13T16:00:00.000Z']);
  // A trigger on the last day before the break: 10-09, 10, 11 (Sat), 13, 14, 15, 16.
  t.equal(period('2025-09-30', 'working_day', 7).lastDay, '2025-10-16');
});

t.test('a late-evening trigger counts from its Shanghai date', async (t) => {
  const evening = period(new Date('2025-09-30T23:30:00+08:00'), 'calendar_day', 7);
  t.same([evening.triggerDate, evening.firstDay, evening.nominalLastDay, evening.lastDay], ['2025-09-30', '2025-10-01', '2025-10-07', '2025-10-09']);
  const utcAfternoon = period(new Date('2025-09-30T16:30:00Z'), 'calendar_day', 7); // 00:30 on 10-01 in Shanghai
  t.same([utcAfternoon.triggerDate, utcAfternoon.firstDay, utcAfternoon.nominalLastDay, utcAfternoon.lastDay], ['2025-10-01', '2025-10-02', '2025-10-08', '2025-10-09']);
  t.equal(period(new Date('2025-09-30T15:59:59.999Z'), 'calendar_day', 1).triggerDate, '2025-09-30');
  t.equal(period(new Date('2025-09-30T16:00:00.000Z'), 'calendar_day', 1).triggerDate, '2025-10-01');
});

t.test('Spring Festival 2026: periods ending on and passing the make-up Saturdays', async (t) => {
  // Break 02-15..02-23, worked Saturdays 02-14 and 02-28.
  t.same(period('2026-02-10', 'calendar_day', 7).lastDay, '2026-02-24', 'nominal 02-17 is in the break');
  const review = computePeriod(calendar, { ...BUILT_IN_RULES.REVIEW_15D, start: at10('2026-02-13') });
  t.same([review.nominalLastDay, review.lastDay, review.movedFromRestDay], ['2026-02-28', '2026-02-28', false], 'a worked Saturday is not a rest day');
  // Thu 02-12: 13 (1), 14 Sat worked (2), [15..23], 24 (3), 25, 26, 27 (6), 28 Sat worked (7).
  t.equal(computePeriod(calendar, { ...BUILT_IN_RULES.PUBLICITY_7WD, start: at10('2026-02-12') }).lastDay, '2026-02-28');
});

t.test('a New Year break reaching into December 2018 is used', async (t) => {
  // Thu 2018-12-27: 28 (1), 29 Sat worked (2), [30, 31, 01-01], 01-02 (3), 03, 04 (5), [05, 06], 07, 08 (7).
  t.equal(period('2018-12-27', 'working_day', 7).lastDay, '2019-01-08');
});

t.test('a calendar-day period ending on an ordinary weekend moves to Monday', async (t) => {
  const r = period('2025-03-01', 'calendar_day', 7); // nominal Sat 2025-03-08
  t.same([r.nominalLastDay, r.lastDay, r.movedFrom], ['2025-03-08', '2025-03-10', '2025-03-08']);
  t.same(period('2025-03-03', 'calendar_day', 7).movedFrom, null, 'nominal Mon 03-10 stays');
});

t.test('the explanation lists every day with its reason and holiday name', async (t) => {
  const r = computePeriod(calendar, { start: at10('2025-09-28'), unit: 'calendar_day', length: 7, explain: true });
  t.equal(r.lastDay, '2025-10-09');
  t.same(r.explanation, {
    counted: [
      { date: '2025-09-29', reason: 'weekday' },
      { date: '2025-09-30', reason: 'weekday' },
      { date: '2025-10-01', reason: 'holiday', name: '国庆节' },
      { date: '2025-10-02', reason: 'holiday', name: '国庆节' },
      { date: '2025-10-03', reason: 'holiday', name: '国庆节' },
      { date: '2025-10-04', reason: 'holiday', name: '国庆节' },
      { date: '2025-10-05', reason: 'holiday', name: '国庆节' },
      { date: '2025-10-09', reason: 'weekday' },
    ],
    skipped: [
      { date: '2025-10-06', reason: 'holiday', name: '中秋' },
      { date: '2025-10-07', reason: 'holiday', name: '国庆节' },
      { date: '2025-10-08', reason: 'holiday', name: '国庆节' },
    ],
  });
  const w = computePeriod(calendar, { start: at10('2025-10-10'), unit: 'working_day', length: 2, explain: true });
  t.same(w.explanation, {
    counted: [
      { date: '2025-10-11', reason: 'makeup_workday', name: '国庆节' },
      { date: '2025-10-13', reason: 'weekday' },
    ],
    skipped: [{ date: '2025-10-12', reason: 'weekend' }],
  });
  t.equal(period('2025-09-28', 'calendar_day', 7).explanation, undefined, 'only on request');
});

t.test('a region closure on the day a period would end moves it on', async (t) => {
  const regional = buildCalendar({ arrangements: official, closures: [{ date: '2025-10-09', name: '区级停工日' }] });
  t.equal(period('2025-09-28', 'calendar_day', 7, regional).lastDay, '2025-10-10');
  t.equal(period('2025-09-30', 'working_day', 1, regional).lastDay, '2025-10-10');
});

t.test('a period crossing into 2027 relies on the provisional 2027 arrangement', async (t) => {
  // Mon 2026-12-28: 29, 30, 31 (3), [2027-01-01 New Year (provisional), 02, 03], 04, 05, 06, 07 (7).
  const r = period('2026-12-28', 'working_day', 7);
  t.same([r.lastDay, r.provisional, r.provisionalYears], ['2027-01-07', true, [2027]]);
  const inDecember = period('2026-12-20', 'calendar_day', 7); // ends Mon 2026-12-28
  t.same([inDecember.lastDay, inDecember.provisional, inDecember.provisionalYears], ['2026-12-28', true, [2027]], 'late December depends on the 2027 notice');
  t.same(period('2026-12-10', 'calendar_day', 7).provisional, false);

  const year2027: YearArrangement = {
    year: 2027,
    status: 'official',
    holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }],
    makeupWorkdays: [],
  };
  const with2027 = buildCalendar({ arrangements: [...official, year2027] });
  const o = period('2026-12-28', 'working_day', 7, with2027);
  t.same([o.lastDay, o.provisional, o.provisionalYears], ['2027-01-07', false, []]);
});

t.test('the built-in rules', async (t) => {
  t.same(
    Object.values(BUILT_IN_RULES).map((r) => `${r.code} ${r.unit} ${r.length}`),
    ['PUBLICITY_7D calendar_day 7', 'REVIEW_15D calendar_day 15', 'PUBLICITY_7WD working_day 7', 'PUBLICITY_10WD working_day 10', 'PUBLICITY_30D calendar_day 30', 'DISCLOSE_20WD working_day 20'],
  );
  for (const r of Object.values(BUILT_IN_RULES)) t.ok(r.nameZh && r.nameEn && r.legalSource && r.description, `${r.code} is documented`);
  // 10 working days from Fri 2025-09-26: 28, 29, 30, [break], 09, 10, 11, 13, 14, 15, 16 (10).
  t.equal(computePeriod(calendar, { ...BUILT_IN_RULES.PUBLICITY_10WD, start: at10('2025-09-26') }).lastDay, '2025-10-16');
  // 30 days from 2025-01-05: nominal Tue 02-04, the last day of the Spring Festival break → Wed 02-05.
  t.equal(computePeriod(calendar, { ...BUILT_IN_RULES.PUBLICITY_30D, start: at10('2025-01-05') }).lastDay, '2025-02-05');
});

t.test('bad input is refused with a pointer', async (t) => {
  const pointerOf = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (err) {
      return err instanceof CalendarInputError ? err.pointer : `not a CalendarInputError: ${String(err)}`;
    }
    return 'nothing thrown';
  };
  t.equal(pointerOf(() => period('2025-01-01', 'calendar_day', 0)), '/length');
  t.equal(pointerOf(() => period('2025-01-01', 'calendar_day', 367)), '/length');
  t.equal(pointerOf(() => period('2025-01-01', 'working_day', 1.5)), '/length');
  t.equal(pointerOf(() => period(new Date('nope'), 'working_day', 1)), '/start');
  t.equal(pointerOf(() => period('2025-01-01', 'fortnight' as PeriodUnit, 1)), '/unit');
  t.throws(() => period('2099-12-30', 'calendar_day', 7), /calendar covers/);
});
