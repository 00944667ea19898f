// The working-day calendar: date arithmetic, the official data, provisional years, validation.
import t from 'tap';
import chineseDays from 'chinese-days';
import officialData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import {
  buildCalendar,
  dayNumberOf,
  dayNumberFromParts,
  InvalidCalendarError,
  isoOf,
  officialArrangements,
  provisionalArrangement,
  qingmingDay,
  shanghaiDateOf,
  tryDayNumberOf,
  validateArrangement,
  weekdayOf,
} from '../../src/lib/calendar/index.js';
import type { YearArrangement } from '../../src/lib/calendar/index.js';

const raw = officialData as { holidays: Record<string, string>; workdays: Record<string, string> };
const official = officialArrangements();
const calendar = buildCalendar({ arrangements: official });
const day = (iso: string): number => dayNumberOf(iso);
const arrangement = (year: number): YearArrangement => {
  const a = official.find((x) => x.year === year);
  if (a === undefined) throw new Error(`no official ${year}`);
  return a;
};
const info = (iso: string) => calendar.dayInfo(day(iso));

t.test('dates: day numbers round-trip and weekdays are right', async (t) => {
  t.equal(dayNumberOf('1970-01-01'), 0);
  t.equal(dayNumberOf('2000-03-01'), 11_017);
  t.equal(isoOf(-1), '1969-12-31');
  t.equal(isoOf(dayNumberOf('2024-02-29')), '2024-02-29');
  t.equal(tryDayNumberOf('2025-02-29'), null, 'no 29 February in 2025');
  t.equal(tryDayNumberOf('2025-13-01'), null);
  t.equal(tryDayNumberOf('2025-1-01'), null);
  t.throws(() => dayNumberOf('yesterday'));
  t.equal(weekdayOf(day('2025-10-01')), 3, '2025-10-01 was a Wednesday');
  t.equal(weekdayOf(day('2024-02-04')), 0, '2024-02-04 was a Sunday');
  for (let d = day('1901-01-01'); d <= day('2099-12-31'); d += 37) {
    t.equal(dayNumberOf(isoOf(d)), d);
    if (d % 1000 < 37) t.equal(isoOf(d), new Date(d * 86_400_000).toISOString().slice(0, 10));
  }
});

t.test('dates: the Shanghai date of an instant is UTC+8 whatever the process time zone', async (t) => {
  t.equal(shanghaiDateOf(new Date('2025-09-30T23:30:00+08:00')), '2025-09-30');
  t.equal(shanghaiDateOf(new Date('2025-09-30T15:59:59.999Z')), '2025-09-30');
  t.equal(shanghaiDateOf(new Date('2025-09-30T16:00:00Z')), '2025-10-01');
  t.equal(shanghaiDateOf(new Date('2025-09-30T16:30:00Z')), '2025-10-01');
  t.equal(shanghaiDateOf(new Date('1969-12-31T20:00:00Z')), '1970-01-01');
  t.throws(() => shanghaiDateOf(new Date('nonsense')));
});

t.test('official data: Spring Festival 2024 is 02-10..02-17 with make-up Sundays 02-04 and 02-18', async (t) => {
  const a = arrangement(2024);
  t.same(a.holidays.find((h) => h.name === '春节'), { name: '春节', nameEn: 'Spring Festival', from: '2024-02-10', to: '2024-02-17' });
  t.same(a.makeupWorkdays.filter((m) => m.name === '春节').map((m) => m.date), ['2024-02-04', '2024-02-18']);
  t.same(info('2024-02-04'), { working: true, reason: 'makeup_workday', name: '春节', provisional: false });
  t.same(info('2024-02-09'), { working: true, reason: 'weekday', provisional: false }, 'New Year’s Eve 2024 was a working day');
  t.same(info('2024-02-12'), { working: false, reason: 'holiday', name: '春节', nameEn: 'Spring Festival', provisional: false });
  t.same(info('2024-02-24'), { working: false, reason: 'weekend', provisional: false });
});

t.test('official data: Labour Day 2025, National Day + Mid-Autumn 2025, Spring Festival 2026', async (t) => {
  const y2025 = arrangement(2025);
  t.same(y2025.holidays.find((h) => h.name === '劳动节'), { name: '劳动节', nameEn: 'Labour Day', from: '2025-05-01', to: '2025-05-05' });
  t.same(y2025.holidays.filter((h) => h.from >= '2025-10-01').map((h) => `${h.name} ${h.from}..${h.to}`), [
    '国庆节 2025-10-01..2025-10-05',
    '中秋 2025-10-06..2025-10-06',
    '国庆节 2025-10-07..2025-10-08',
  ]);
  t.same(y2025.makeupWorkdays.map((m) => m.date), ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
  t.equal(info('2025-10-11').reason, 'makeup_workday', '2025-10-11 is a Saturday worked');
  t.equal(info('2025-10-06').name, '中秋');
  const y2026 = arrangement(2026);
  t.same(y2026.holidays.find((h) => h.name === '春节'), { name: '春节', nameEn: 'Spring Festival', from: '2026-02-15', to: '2026-02-23' });
  t.same(y2026.makeupWorkdays.filter((m) => m.name === '春节').map((m) => m.date), ['2026-02-14', '2026-02-28']);
});

t.test('official data: a New Year break starting in December belongs to the next year', async (t) => {
  const y2019 = arrangement(2019);
  t.same(y2019.holidays[0], { name: '元旦', nameEn: "New Year's Day", from: '2018-12-30', to: '2019-01-01' });
  t.same(y2019.makeupWorkdays[0], { date: '2018-12-29', name: '元旦' });
  t.same(arrangement(2023).holidays[0]?.from, '2022-12-31');
  t.same(arrangement(2007).makeupWorkdays.slice(0, 2).map((m) => m.date), ['2006-12-30', '2006-12-31']);
  t.notOk(arrangement(2018).holidays.some((h) => h.from > '2018-12-01'), 'not in 2018');
  t.equal(info('2018-12-29').reason, 'makeup_workday');
  t.equal(info('2018-12-31').reason, 'holiday');
});

t.test('official data: the missing weekend inside three Dragon Boat breaks is bridged', async (t) => {
  t.same(arrangement(2012).holidays.find((h) => h.name === '端午'), { name: '端午', nameEn: 'Dragon Boat Festival', from: '2012-06-22', to: '2012-06-24' });
  t.same(arrangement(2011).holidays.find((h) => h.name === '端午')?.to, '2011-06-06');
  t.same(arrangement(2015).holidays.find((h) => h.name === '端午')?.from, '2015-06-20');
});

t.test('official data: every year from 2004 to 2026 is there and valid', async (t) => {
  t.same(official.map((a) => a.year), Array.from({ length: 23 }, (_, i) => 2004 + i));
  for (const a of official) t.same(validateArrangement(a), [], `${a.year} is valid`);
});

t.test('official data: every day 2004–2026 agrees with chinese-days (workday, or weekday and not a holiday)', async (t) => {
  let disagreements = 0;
  for (let d = day('2004-01-01'); d <= day('2026-12-31'); d++) {
    const iso = isoOf(d);
    const w = weekdayOf(d);
    const expected = raw.workdays[iso] !== undefined || (w >= 1 && w <= 5 && raw.holidays[iso] === undefined);
    if (calendar.isWorkingDay(d) !== expected) {
      disagreements++;
      t.fail(`${iso}: calendar says ${calendar.isWorkingDay(d)}`);
    }
  }
  t.equal(disagreements, 0);
});

t.test('provisional: the statutory holidays of 2027 with substitute days (art. 6)', async (t) => {
  const a = provisionalArrangement(2027);
  t.equal(a.status, 'provisional');
  t.same(a.makeupWorkdays, []);
  t.same(
    a.holidays.map((h) => `${h.name} ${h.from}..${h.to}`),
    [
      // 1 January 2027 is a Friday.
      '元旦 2027-01-01..2027-01-01',
      // Eve 02-05 (Fri) .. 02-08 (Mon): Saturday and Sunday made up on Tue 02-09 and Wed 02-10.
      '春节 2027-02-05..2027-02-10',
      '清明 2027-04-05..2027-04-05',
      // 1–2 May are a Saturday and Sunday: made up on Mon 3 and Tue 4 May.
      '劳动节 2027-05-01..2027-05-04',
      '端午 2027-06-09..2027-06-09',
      '中秋 2027-09-15..2027-09-15',
      // 1 October is a Friday; the 2nd and 3rd are made up on Mon 4 and Tue 5.
      '国庆节 2027-10-01..2027-10-05',
    ],
  );
  t.same(validateArrangement(a), []);
});

t.test('provisional: each statutory holiday of a past year falls inside its official break', async (t) => {
  const restDays = (a: YearArrangement): Set<number> => {
    const s = new Set<number>();
    for (const h of a.holidays) for (let d = day(h.from); d <= day(h.to); d++) s.add(d);
    return s;
  };
  // 2025 and 2026 were arranged under the 2024 amendment: all provisional rest days, substitutes included.
  for (const year of [2025, 2026]) {
    const officialRest = restDays(arrangement(year));
    for (const d of restDays(provisionalArrangement(year))) t.ok(officialRest.has(d), `${year}: ${isoOf(d)} is in the official break`);
  }
  // Earlier years had other rules (Spring Festival without the eve, shorter Labour Day); check the
  // holidays that existed since 2008: New Year, first day of Spring Festival, Qingming, 1 May,
  // Dragon Boat, Mid-Autumn, National Day.
  for (let year = 2008; year <= 2024; year++) {
    const officialRest = restDays(arrangement(year));
    const p = provisionalArrangement(year);
    const byName = (name: string) => p.holidays.filter((h) => h.name.includes(name)).map((h) => day(h.from));
    const checks = [
      dayNumberFromParts(year, 1, 1),
      (byName('春节')[0] ?? 0) + 1,
      byName('清明')[0] ?? 0,
      dayNumberFromParts(year, 5, 1),
      byName('端午')[0] ?? 0,
      ...p.holidays.filter((h) => h.name.includes('中秋')).map((h) => (h.name.startsWith('中秋') ? day(h.from) : day(h.to))),
      dayNumberFromParts(year, 10, 1),
    ];
    for (const d of checks) t.ok(officialRest.has(d), `${year}: ${isoOf(d)} is in an official break`);
  }
});

t.test('provisional: Qingming is the day of the 清明 solar term as chinese-days computes it', async (t) => {
  // chinese-days formats that date in the local time zone, which is only right at or east of UTC.
  const localIsUtcOrEast = new Date(Date.UTC(2025, 3, 4)).getDate() === 4;
  if (!localIsUtcOrEast) {
    t.comment('skipped: the process time zone is west of UTC');
    return;
  }
  for (let year = 1901; year <= 2099; year++) {
    t.equal(isoOf(qingmingDay(year)), chineseDays.getSolarTermDate(year, 4, 'pure_brightness'), `${year}`);
  }
});

t.test('provisional: Mid-Autumn on National Day (2020) gets its own substitute day', async (t) => {
  const a = provisionalArrangement(2020);
  t.same(
    a.holidays.filter((h) => h.from >= '2020-10-01').map((h) => `${h.name} ${h.from}..${h.to}`),
    // 1 Oct (Thu) is both holidays, 3 Oct is a Saturday: two substitutes, Mon 5 and Tue 6 October.
    ['中秋、国庆节 2020-10-01..2020-10-01', '国庆节 2020-10-02..2020-10-06'],
  );
});

t.test('provisional years from 2027 to 2099 are all valid arrangements', async (t) => {
  for (let year = 2027; year <= 2099; year++) {
    const problems = validateArrangement(provisionalArrangement(year));
    if (problems.length > 0) t.fail(`${year}: ${JSON.stringify(problems)}`);
  }
  t.throws(() => provisionalArrangement(2100));
});

t.test('calendar: a year without an arrangement is provisional, also in the December before it', async (t) => {
  t.equal(calendar.yearStatus(2026), 'official');
  t.equal(calendar.yearStatus(2027), 'provisional');
  t.same(info('2027-01-01'), { working: false, reason: 'holiday', name: '元旦', nameEn: "New Year's Day", provisional: true });
  t.equal(info('2026-12-24').provisional, false);
  t.equal(info('2026-12-25').provisional, true, 'the 2027 notice may reach back into late December 2026');
  const with2027 = buildCalendar({
    arrangements: [...official, { year: 2027, status: 'official', holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }], makeupWorkdays: [] }],
  });
  t.equal(with2027.yearStatus(2027), 'official');
  t.equal(with2027.dayInfo(day('2026-12-31')).provisional, false);
  t.equal(with2027.arrangementFor(2027).status, 'official');
  t.equal(calendar.arrangementFor(2030).status, 'provisional');
  t.throws(() => calendar.dayInfo(day('2100-01-01')));
  t.throws(() => calendar.yearStatus(1900));
});

t.test('calendar: a region closure turns a working day into a rest day', async (t) => {
  const regional = buildCalendar({ arrangements: official, closures: [{ date: '2025-10-09', name: '区级停工日' }, { date: '2025-10-12', name: '周日' }] });
  t.same(regional.dayInfo(day('2025-10-09')), { working: false, reason: 'closure', name: '区级停工日', provisional: false });
  t.equal(regional.dayInfo(day('2025-10-12')).reason, 'weekend', 'a closure on a rest day changes nothing');
  t.equal(calendar.isWorkingDay(day('2025-10-09')), true, 'other calendars are not affected');
});

t.test('calendar: invalid arrangements are refused with JSON pointers', async (t) => {
  const bad: YearArrangement = { year: 2027, status: 'official', holidays: [], makeupWorkdays: [{ date: '2027-01-04' }] };
  const err = t.throws(() => buildCalendar({ arrangements: [bad] })) as unknown;
  t.ok(err instanceof InvalidCalendarError);
  t.match((err as InvalidCalendarError).problems, [{ pointer: '/arrangements/0/makeupWorkdays/0/date' }]);
  t.throws(() => buildCalendar({ arrangements: [arrangement(2025), arrangement(2025)] }), InvalidCalendarError);
});

const base = (over: Partial<YearArrangement>): YearArrangement => ({ year: 2027, status: 'official', holidays: [], makeupWorkdays: [], ...over });

t.test('validateArrangement: a make-up day on a weekday', async (t) => {
  const problems = validateArrangement(base({ makeupWorkdays: [{ date: '2027-02-01' }, { date: '2027-02-20' }] }));
  t.same(problems.map((p) => p.pointer), ['/makeupWorkdays/0/date'], 'Mon 2027-02-01 is refused, Sat 2027-02-20 accepted');
  t.match(problems[0]?.message, /Saturday or Sunday/);
});

t.test('validateArrangement: overlapping ranges', async (t) => {
  const problems = validateArrangement(
    base({
      holidays: [
        { name: '国庆节', from: '2027-10-01', to: '2027-10-05' },
        { name: '中秋', from: '2027-09-15', to: '2027-09-15' },
        { name: '重复', from: '2027-10-05', to: '2027-10-07' },
      ],
    }),
  );
  t.same(problems.map((p) => p.pointer), ['/holidays/2']);
  t.match(problems[0]?.message, /overlaps holiday 0/);
});

t.test('validateArrangement: ranges outside the year', async (t) => {
  const pointers = (over: Partial<YearArrangement>): string[] => validateArrangement(base(over)).map((p) => p.pointer);
  const range = (from: string, to: string) => ({ holidays: [{ name: '假', from, to }] });
  t.same(pointers(range('2026-12-31', '2027-01-01')), [], 'a New Year break may start on 31 December');
  t.same(pointers(range('2026-12-25', '2027-01-01')), [], '…or up to 7 days before 1 January');
  t.same(pointers(range('2026-12-24', '2027-01-01')), ['/holidays/0/from'], 'not 8 days before');
  t.same(pointers(range('2026-12-30', '2026-12-31')), ['/holidays/0/to'], 'a break must end in its year');
  t.same(pointers(range('2027-12-31', '2028-01-01')), ['/holidays/0/to']);
  t.same(pointers(range('2027-05-05', '2027-05-01')), ['/holidays/0/to'], 'from after to');
  const makeup = (date: string) => pointers({ makeupWorkdays: [{ date }] });
  t.same(makeup('2026-12-26'), [], 'Saturday 26 December 2026 may be a make-up day for New Year 2027');
  t.same(makeup('2026-12-19'), ['/makeupWorkdays/0/date'], 'a Saturday too early');
  t.same(makeup('2028-01-01'), ['/makeupWorkdays/0/date'], 'a Saturday in the next year');
});

t.test('validateArrangement: a make-up day inside a break, and a duplicate', async (t) => {
  const problems = validateArrangement(
    base({ holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }], makeupWorkdays: [{ date: '2027-01-02' }, { date: '2027-01-09' }, { date: '2027-01-09' }] }),
  );
  t.same(problems, [
    { pointer: '/makeupWorkdays/0/date', message: '2027-01-02 is inside holiday 0' },
    { pointer: '/makeupWorkdays/2/date', message: 'same date as make-up day 1' },
  ]);
});

t.test('validateArrangement: bad year, dates and names', async (t) => {
  t.same(validateArrangement(base({ year: 1800 })).map((p) => p.pointer), ['/year']);
  const problems = validateArrangement(base({ holidays: [{ name: ' ', from: '2027-02-30', to: '2027-03-01' }], makeupWorkdays: [{ date: '27-01-02' }] }));
  t.same(problems.map((p) => p.pointer), ['/holidays/0/name', '/holidays/0/from', '/makeupWorkdays/0/date']);
});
