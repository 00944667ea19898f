// Throughput of computePeriod: 7-working-day and 7-calendar-day periods over random starts in
// 2024–2026. Run: npx tsx scripts/bench/periods.ts [calls-per-round]
// Exits non-zero when the 7-working-day median is below 200,000 calls/s on this core.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { buildCalendar, officialArrangements } from '../../src/lib/calendar/index.js';
import { computePeriod } from '../../src/lib/periods/index.js';
import type { PeriodUnit } from '../../src/lib/periods/index.js';

const TARGET_PER_SECOND = 200_000;
const N = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = 5;

const calendar = buildCalendar({ arrangements: officialArrangements() });

// Deterministic pseudo-random starts (mulberry32) so runs are comparable.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const random = mulberry32(20_250_101);
const from = Date.UTC(2023, 11, 31, 16); // 2024-01-01 00:00 Asia/Shanghai
const to = Date.UTC(2026, 11, 31, 16); // 2027-01-01 00:00 Asia/Shanghai
const starts: Date[] = Array.from({ length: N }, () => new Date(from + Math.floor(random() * (to - from))));

function round(unit: PeriodUnit): { perSecond: number; checksum: number } {
  let checksum = 0;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const r = computePeriod(calendar, { start: starts[i] as Date, unit, length: 7 });
    checksum += r.lastDay.length;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { perSecond: N / seconds, checksum };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function measure(unit: PeriodUnit): number {
  round(unit); // warm-up: fills the calendar years, lets the JIT settle
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) rates.push(round(unit).perSecond);
  const m = median(rates);
  console.log(
    `${unit.padEnd(12)} length 7: median ${Math.round(m).toLocaleString('en-US')} calls/s ` +
      `(rounds: ${rates.map((x) => Math.round(x / 1000)).join(', ')} k/s; ${N.toLocaleString('en-US')} calls each)`,
  );
  return m;
}

console.log(`node ${process.version}, ${os.availableParallelism()} cores available (bench uses one)`);
const workingDay = measure('working_day');
measure('calendar_day');
if (workingDay < TARGET_PER_SECOND) {
  console.error(`FAIL: 7-working-day median ${Math.round(workingDay)} calls/s is below ${TARGET_PER_SECOND}`);
  process.exit(1);
}
console.log(`OK: 7-working-day median is at least ${TARGET_PER_SECOND.toLocaleString('en-US')} calls/s`);
