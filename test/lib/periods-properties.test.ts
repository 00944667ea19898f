// Properties of every period over random triggers 2004–2026 and lengths 1..366, checked against the
// raw chinese-days data (2004–2026) rather than the calendar under test where the data covers the day.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import t from 'tap';
import officialData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { buildCalendar, dayNumberOf, isoOf, officialArrangements, weekdayOf } from '../../src/lib/calendar/index.js';
import { computePeriod } from '../../src/lib/periods/index.js';
import type { PeriodResult, PeriodUnit } from '../../src/lib/periods/index.js';

const raw = officialData as { holidays: Record<string, string>; workdays: Record<string, string> };
const calendar = buildCalendar({ arrangements: officialArrangements() });
const LAST_DATA_DAY = dayNumberOf('2026-12-31');

/** Working day per chinese-days' own rule for data years; the calendar beyond them (provisional). */
function working(day: number): boolean {
  if (day > LAST_DATA_DAY) return calendar.isWorkingDay(day);
  const iso = isoOf(day);
  const w = weekdayOf(day);
  return raw.workdays[iso] !== undefined || (w >= 1 && w <= 5 && raw.holidays[iso] === undefined);
}

const FROM = Date.parse('2004-01-01T00:00:00+08:00');
const TO = Date.parse('2027-01-01T00:00:00+08:00') - 1;
const instant = fc.integer({ min: FROM, max: TO }).map((ms) => new Date(ms));
const length = fc.integer({ min: 1, max: 366 });
const shanghaiDay = (d: Date): number => Math.floor((d.getTime() + 8 * 3_600_000) / 86_400_000);

t.test('a working-day period holds exactly `length` working days after the trigger and ends on one', async (t) => {
  fc.assert(
    fc.property(instant, length, (start, n) => {
      const r = computePeriod(calendar, { start, unit: 'working_day', length: n });
      const trigger = dayNumberOf(r.triggerDate);
      const last = dayNumberOf(r.lastDay);
      let count = 0;
      for (let d = trigger + 1; d <= last; d++) if (working(d)) count++;
      return (
        trigger === shanghaiDay(start) &&
        count === n &&
        working(last) &&
        working(dayNumberOf(r.firstDay)) &&
        r.lastDay === r.nominalLastDay &&
        !r.movedFromRestDay &&
        r.endsAt === `${r.lastDay}T16:00:00.000Z`
      );
    }),
    { numRuns: 2000 },
  );
  t.pass('property held for 2000 random periods');
});

t.test('a calendar-day period ends on the first working day on or after trigger + length', async (t) => {
  fc.assert(
    fc.property(instant, length, (start, n) => {
      const r = computePeriod(calendar, { start, unit: 'calendar_day', length: n });
      const trigger = dayNumberOf(r.triggerDate);
      const nominal = trigger + n;
      const last = dayNumberOf(r.lastDay);
      for (let d = nominal; d < last; d++) if (working(d)) return false;
      return (
        trigger === shanghaiDay(start) &&
        dayNumberOf(r.firstDay) === trigger + 1 &&
        dayNumberOf(r.nominalLastDay) === nominal &&
        last >= nominal &&
        working(last) &&
        r.movedFromRestDay === last > nominal &&
        r.movedFrom === (last > nominal ? isoOf(nominal) : null) &&
        r.endsAt === `${r.lastDay}T16:00:00.000Z`
      );
    }),
    { numRuns: 2000 },
  );
  t.pass('property held for 2000 random periods');
});

t.test('a result is provisional exactly when it reaches a day that depends on a year from 2027 on', async (t) => {
  fc.assert(
    fc.property(instant, length, fc.constantFrom<PeriodUnit>('calendar_day', 'working_day'), (start, n, unit) => {
      const r = computePeriod(calendar, { start, unit, length: n });
      // No official arrangement from 2027 on; a year's notice may also reach into 25–31 December before it.
      const expected = new Set<number>();
      for (let d = dayNumberOf(r.triggerDate) + 1; d <= dayNumberOf(r.lastDay); d++) {
        const iso = isoOf(d);
        const year = Number(iso.slice(0, 4));
        if (year >= 2027) expected.add(year);
        if (iso.slice(5) >= '12-25' && year >= 2026) expected.add(year + 1);
      }
      return r.provisional === expected.size > 0 && r.provisionalYears.join() === [...expected].sort().join();
    }),
    { numRuns: 1000 },
  );
  t.pass('property held');
});

t.test('results do not depend on the process time zone', async (t) => {
  const sample = fc.sample(fc.tuple(fc.integer({ min: FROM, max: Date.parse('2031-01-01T00:00:00Z') }), length, fc.boolean()), { numRuns: 200, seed: 42 });
  const inputs = sample.map(([ms, n, wd]) => ({ ms, length: n, unit: (wd ? 'working_day' : 'calendar_day') as PeriodUnit }));
  const here = inputs.map((i) => computePeriod(calendar, { start: new Date(i.ms), unit: i.unit, length: i.length }));
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const child = `
    const { buildCalendar, officialArrangements } = await import(${JSON.stringify(new URL('../../src/lib/calendar/index.ts', import.meta.url).href)});
    const { computePeriod } = await import(${JSON.stringify(new URL('../../src/lib/periods/index.ts', import.meta.url).href)});
    const calendar = buildCalendar({ arrangements: officialArrangements() });
    const inputs = JSON.parse(process.env.PERIOD_INPUTS);
    const out = inputs.map((i) => computePeriod(calendar, { start: new Date(i.ms), unit: i.unit, length: i.length }));
    process.stdout.write(JSON.stringify({ tz: Intl.DateTimeFormat().resolvedOptions().timeZone, offset: new Date(0).getTimezoneOffset(), out }));
  `;
  for (const tz of ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], {
      cwd: root,
      env: { ...process.env, TZ: tz, PERIOD_INPUTS: JSON.stringify(inputs), NODE_OPTIONS: '' },
      encoding: 'utf8',
    });
    const { tz: seen, offset, out } = JSON.parse(stdout) as { tz: string; offset: number; out: PeriodResult[] };
    t.equal(seen, tz, `child runs in ${tz} (offset ${offset} min)`);
    t.same(out, here, `200 periods (2004–2030, provisional years included) are identical under TZ=${tz}`);
  }
});
