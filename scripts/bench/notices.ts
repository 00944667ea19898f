// The public list of notices in publicity on a real Postgres holding 100,000 notices and 5,000,000
// entries (issue 7: "p99 under 20 ms at 10 concurrent connections").
//
//   npx tsx scripts/bench/notices.ts [--duration 20] [--warmup 5] [--connections 10] [--rounds 3]
//                                    [--notices 100000] [--entries-per-notice 50] [--max-minutes 45]
//                                    [--wait-quiet 120] [--profile]
//
// --wait-quiet N: before each run, wait up to N s until other processes use under 0.3 cores (this
// machine may be shared). --profile: one extra, uncounted paging run under the V8 profiler, summarized.
//
// Without DATABASE_URL it starts a throwaway Postgres 15 cluster (support.ts) and removes it at the
// end; with DATABASE_URL it loads an empty database (or reuses one this bench loaded before) and
// leaves the data there. The app (buildApp, migrations at start, log level silent, no demo data) runs
// in a child process on 127.0.0.1:0, autocannon in this one. Data is generated in SQL
// (INSERT … SELECT … FROM generate_series), then VACUUM (ANALYZE).
//
// Measured, each round: GET /v1/notices?status=in_publicity&limit=20 (no token), then a run that pages
// (following nextCursor, up to 5 pages) with random domain and/or department filters, then the same with
// every URL new (no page kept from an earlier request: the cost of rendering; reported, not a target). Prints requests/s
// and latency p50/p90/p99 (autocannon, whole milliseconds), the CPU each party used, the database's
// own time per statement (pg_stat_statements, throwaway cluster only) and EXPLAIN (ANALYZE, BUFFERS)
// of the SQL the list runs (and its generic plan, as a prepared statement). Exits 1 when a median p99 is 15 ms or more, 2 on an error.
import { fork, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
// @ts-expect-error autocannon ships no type declarations (and @types/autocannon is not a dependency)
import autocannonUntyped from 'autocannon'
import type pg from 'pg'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { openDatabase, type Database } from '../../src/db/client.js'
import * as q from '../../src/modules/notices/queries.js'
import { defaultRetention } from '../../src/modules/notices/service.js'
import { median, startPostgres, withDeadline, type PostgresCluster } from './support.js'

const TARGET_P99_MS = 15 // issue 16 (issue 7 asked for 20)
const PAGES_PER_CHAIN = 5
const REGION = '230202'
const MARKER = 'gongkai-bench-notice-'

// ---------------------------------------------------------------------------------------------
// The server (child process)

interface Ready {
  port: number
}

async function serve(url: string): Promise<void> {
  const config = { ...loadConfig({}), databaseUrl: url, logLevel: 'silent' as const, demoData: false, defaultRegion: REGION }
  const database = await openDatabase({ kind: 'postgres', url }, () => undefined)
  const app = await buildApp(config, { database })
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const { Session } = await import('node:inspector/promises')
  const session = new Session()
  session.connect()
  process.on('message', (m: unknown) => {
    if (m === 'cpu') process.send!({ cpu: process.cpuUsage() })
    else if (m === 'profile-start') void session.post('Profiler.enable').then(() => session.post('Profiler.start')).then(() => process.send!({ profiling: true }))
    else if (typeof m === 'object' && m && 'profileStop' in m) {
      const file = (m as { profileStop: string }).profileStop
      void session
        .post('Profiler.stop')
        .then(({ profile }) => writeFile(file, JSON.stringify(profile)))
        .then(() => process.send!({ profiled: file }))
    }
  })
  process.on('disconnect', () => {
    void app.close().then(() => process.exit(0))
  })
  process.send!({ port: Number(new URL(address).port) } satisfies Ready)
}

// ---------------------------------------------------------------------------------------------
// Data

/** Entries of notice n: pairs (2k−1, 2k) get avg ± d, so the total is exactly notices × avg. */
const entryCountSql = (avg: number) => `(${avg} + CASE WHEN n % 2 = 1 THEN 1 ELSE -1 END * ((((n + 1) / 2) * 7919) % ${avg - 1}))::int`

const kinds = ['eligible_list', 'lottery_result', 'relief_recipients', 'poor_students', 'decision', 'announcement', 'procurement_result', 'other']
const kindTitles = ['住房租赁补贴符合条件家庭名单公示', '公共租赁住房实物配租抽签结果公示', '城乡最低生活保障对象名单公示', '义务教育阶段贫困住宿生认定名单公示', '行政许可决定公示', '区管道路破道审批结果公告', '政府采购中标结果公示', '其他事项公示']
const surnames = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段'.split('')
const givenChars = '明华建国英秀兰玉芳丽军平伟刚勇杰涛斌超霞敏静燕红梅娟强磊洋艳勤志海东文云峰宇浩然子晨欣怡佳琪雪梦晓春桂凤淑珍德福'.split('')
const families = [
  { key: 'name', label: '姓名', type: 'name', public: true },
  { key: 'id_number', label: '身份证号', type: 'id_number', public: true },
  { key: 'household_size', label: '家庭人口', type: 'integer', public: true },
  { key: 'subsidy', label: '月补助金额（元）', type: 'amount', public: true },
]
const body = '根据有关规定，现将相关名单予以公示。公示期内，任何单位和个人如有异议，可通过政务服务网、E网通或微信提出，也可向责任单位书面反映。反映情况应实事求是，以单位名义反映的须加盖公章，以个人名义反映的须署真实姓名并提供联系方式。'

const statusSql = `CASE WHEN (n * 37) % 100 < 5 THEN 'draft' WHEN (n * 37) % 100 < 15 THEN 'scheduled' WHEN (n * 37) % 100 < 30 THEN 'in_publicity'
  WHEN (n * 37) % 100 < 70 THEN 'period_ended' ELSE 'concluded' END`

async function loadNotices(client: pg.PoolClient, n: number, avg: number, now: Date, departments: string[], domains: string[]) {
  const retentions = kinds.map((k) => defaultRetention[k as keyof typeof defaultRetention])
  await client.query('SELECT setseed(0.20250701)')
  await client.query(
    `INSERT INTO notices (id, region_code, department_code, domain_code, kind, title, body, rule_code, channels, notarization, columns, retention,
       privacy_assessment, entry_count, starts_at, first_day, last_day, ends_at, calendar_status, conclusion, concluded_at, concluded_by, search_text,
       review_state, author_id, author_name, submitted_at, reviewer_id, reviewer_name, reviewed_at, approved_at, published_at, publisher_name,
       version, created_at, updated_at)
     WITH base AS (
       SELECT n, md5('${MARKER}' || n)::uuid AS id, ${statusSql} AS state, ${entryCountSql(avg)} AS entries,
              ($2::text[])[1 + floor(power(random(), 1.6) * cardinality($2::text[]))::int] AS dept,
              ($3::text[])[1 + floor(random() * cardinality($3::text[]))::int] AS dom,
              1 + floor(random() * 8)::int AS k, random() AS r1, random() AS r2, random() AS r3
       FROM generate_series(1, $5::int) n
     ), timed AS (
       SELECT b.*, CASE state WHEN 'draft' THEN NULL
                              WHEN 'scheduled' THEN $4::timestamptz + (0.05 + r1 * 10) * interval '1 day'
                              WHEN 'in_publicity' THEN $4::timestamptz - r1 * 6.9 * interval '1 day'
                              ELSE $4::timestamptz - (8 + r1 * 1088) * interval '1 day' END AS s
       FROM base b
     ), dated AS (
       SELECT t.*, (s AT TIME ZONE 'Asia/Shanghai')::date + 1 AS first_day,
              CASE state WHEN 'draft' THEN NULL WHEN 'scheduled' THEN $4::timestamptz - r2 * 3 * interval '1 day' ELSE s END AS published
       FROM timed t
     ), full_rows AS (
       SELECT d.*, ((first_day + 7)::timestamp AT TIME ZONE 'Asia/Shanghai') AS ends,
              CASE WHEN state = 'concluded' THEN least($4::timestamptz, ((first_day + 7)::timestamp AT TIME ZONE 'Asia/Shanghai') + (1 + r2 * 20) * interval '1 day') END AS concluded,
              ($6::text[])[k] || '（' || extract(year FROM coalesce(s, $4::timestamptz))::int || '年第' || (1 + n % 12) || '批）' AS title
       FROM dated d
     ), stamped AS (
       SELECT f.*, CASE state WHEN 'draft' THEN $4::timestamptz - r2 * 30 * interval '1 day' WHEN 'concluded' THEN concluded ELSE published END AS updated
       FROM full_rows f
     )
     SELECT id, $1, dept, dom, ($7::text[])[k], title, $8, 'PUBLICITY_7D', ARRAY['portal', 'e_net_app', 'bulletin_board'],
            CASE WHEN k = 2 THEN jsonb_build_object('notaryOffice', '齐齐哈尔市龙沙公证处', 'certificateNumber', '龙证字第' || n || '号', 'date', first_day::text) END,
            $9::jsonb, ($10::jsonb) -> (k - 1), jsonb_build_object('reference', 'PIA-' || n, 'date', coalesce(first_day, current_date)::text), entries,
            s, first_day, first_day + 6, ends, CASE WHEN state = 'draft' THEN NULL ELSE 'official' END,
            CASE WHEN state = 'concluded' THEN CASE WHEN r3 < 0.9 THEN 'no_objection' ELSE 'objections_rejected' END END,
            concluded, CASE WHEN state = 'concluded' THEN '压测·审核员' END, title,
            CASE WHEN state = 'draft' THEN 'draft' ELSE 'published' END, 'bench-editor', '压测·编辑',
            published - interval '12 hours', CASE WHEN state <> 'draft' THEN 'bench-reviewer' END, CASE WHEN state <> 'draft' THEN '压测·审核员' END,
            published - interval '6 hours', published - interval '6 hours', published, CASE WHEN state <> 'draft' THEN '压测·编辑' END,
            CASE WHEN state = 'concluded' THEN 2 ELSE 1 END, coalesce(published, updated) - (1 + r3 * 10) * interval '1 day', updated
     FROM stamped`,
    [REGION, departments, domains, now.toISOString(), n, kindTitles, kinds, body, JSON.stringify(families), JSON.stringify(retentions)],
  )
}

function entriesSql(avg: number): string {
  const pick = (arr: string, len: number) => `(${arr})[1 + floor(random() * ${len})::int]`
  return `INSERT INTO notice_entries (notice_id, row_no, data)
    SELECT md5('${MARKER}' || n)::uuid, r, jsonb_build_object(
      'name', ${pick('$3::text[]', surnames.length)} || ${pick('$4::text[]', givenChars.length)} || CASE WHEN random() < 0.65 THEN ${pick('$4::text[]', givenChars.length)} ELSE '' END,
      'id_number', '230202' || to_char(date '1945-01-01' + floor(random() * 27000)::int, 'YYYYMMDD') || lpad(floor(random() * 1000)::int::text, 3, '0')
                   || substr('0123456789X', 1 + floor(random() * 11)::int, 1),
      'household_size', 1 + floor(random() * 6)::int,
      'subsidy', (2 + floor(random() * 60)::int) * 10)
    FROM generate_series($1::int, $2::int) n CROSS JOIN LATERAL generate_series(1, ${entryCountSql(avg)}) r`
}

async function loadEntries(pool: pg.Pool, n: number, avg: number, log: (s: string) => void) {
  const chunk = 10_000
  const chunks: [number, number][] = []
  for (let a = 1; a <= n; a += chunk) chunks.push([a, Math.min(n, a + chunk - 1)])
  let done = 0
  const worker = async () => {
    const client = await pool.connect()
    try {
      // The rows reference notices loaded just before, by construction; skip the per-row FK trigger.
      await client.query('SET session_replication_role = replica')
      for (let c = chunks.shift(); c; c = chunks.shift()) {
        await client.query(entriesSql(avg), [c[0], c[1], surnames, givenChars])
        done += c[1] - c[0] + 1
        log(`  entries of ${done.toLocaleString('en-US')} / ${n.toLocaleString('en-US')} notices`)
      }
    } finally {
      client.release()
    }
  }
  await Promise.all([worker(), worker()])
}

async function loadObjections(client: pg.PoolClient, now: Date) {
  // About 3% of published notices have 1–3 objections each, in every handling state.
  await client.query(
    `INSERT INTO objections (receipt, notice_id, entry_row, objector_name, objector_contact, reason, channel, status, assignee, reply, resolved_at, resolved_by, created_at, updated_at)
     SELECT 'YY-BENCH-' || n || '-' || i, md5('${MARKER}' || n)::uuid, 1 + (n + i) % 20, '压测·群众' || i, 'bench' || n || '@example.com',
            '第' || (1 + (n + i) % 20) || '户家庭收入情况与公示不符，请核实。', (ARRAY['portal', 'e_net_app', 'wechat'])[1 + (n + i) % 3],
            st, CASE WHEN st <> 'open' THEN '压测·经办人' END, CASE WHEN st IN ('upheld', 'rejected') THEN '经核实，已处理。' END,
            CASE WHEN st IN ('upheld', 'rejected') THEN at + interval '2 days' END, CASE WHEN st IN ('upheld', 'rejected') THEN '压测·审核员' END, at, at
     FROM (
       SELECT n, i, (ARRAY['open', 'assigned', 'upheld', 'rejected'])[1 + (n / 33 + i) % 4] AS st,
              least($1::timestamptz, coalesce(nt.starts_at, $1::timestamptz) + i * interval '5 hours') AS at
       FROM generate_series(1, (SELECT count(*) FROM notices)::int) n
       JOIN notices nt ON nt.id = md5('${MARKER}' || n)::uuid
       CROSS JOIN LATERAL generate_series(1, 1 + n % 3) i
       WHERE n % 33 = 0 AND nt.review_state = 'published' AND nt.starts_at <= $1::timestamptz
     ) o`,
    [now.toISOString()],
  )
}

// ---------------------------------------------------------------------------------------------
// CPU accounting: the machine (/proc/stat), the server process (IPC), this process, and the
// throwaway cluster's processes (children of the postmaster).

const TICK = 100 // USER_HZ on Linux

async function machineTicks(): Promise<{ busy: number; total: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!
  const f = line.trim().split(/\s+/).slice(1).map(Number)
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0)
  return { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total }
}

/** CPU ticks of each process of the cluster (the postmaster and its children), by pid. */
async function postgresTicks(cluster: PostgresCluster | null): Promise<Map<number, number> | null> {
  if (!cluster) return null
  const pidFile = path.join(cluster.dir, 'pg', 'postmaster.pid')
  const postmaster = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0])
  if (!postmaster) return null
  const ticks = new Map<number, number>()
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // fields[1] is ppid; utime and stime are fields 14 and 15 of the whole line (11 and 12 here)
    if (Number(entry) === postmaster || Number(fields[1]) === postmaster) ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]))
  }
  return ticks
}

/** Ticks used between two readings by the processes alive at the second (a backend that exited in between is not counted). */
function ticksBetween(a: Map<number, number>, b: Map<number, number>): number {
  let sum = 0
  for (const [pid, t] of b) sum += t - (a.get(pid) ?? 0)
  return sum
}

function childCpu(child: ChildProcess): Promise<number> {
  return withDeadline(
    new Promise<number>((resolve) => {
      const onMessage = (m: unknown) => {
        const cpu = (m as { cpu?: NodeJS.CpuUsage }).cpu
        if (cpu) {
          child.off('message', onMessage)
          resolve((cpu.user + cpu.system) / 1e6)
        }
      }
      child.on('message', onMessage)
      child.send('cpu')
    }),
    5000,
    'server CPU usage',
  )
}

interface CpuSnapshot {
  at: number
  machine: { busy: number; total: number }
  server: number
  bench: number
  postgres: Map<number, number> | null
}

async function snapshot(child: ChildProcess, cluster: PostgresCluster | null): Promise<CpuSnapshot> {
  const own = process.cpuUsage()
  return { at: performance.now(), machine: await machineTicks(), server: await childCpu(child), bench: (own.user + own.system) / 1e6, postgres: await postgresTicks(cluster) }
}

/** Cores used by each party between two snapshots. */
function coresBetween(a: CpuSnapshot, b: CpuSnapshot, cores: number) {
  const wall = (b.at - a.at) / 1000
  const machine = ((b.machine.busy - a.machine.busy) / Math.max(1, b.machine.total - a.machine.total)) * cores
  const server = (b.server - a.server) / wall
  const bench = (b.bench - a.bench) / wall
  const postgres = a.postgres === null || b.postgres === null ? null : ticksBetween(a.postgres, b.postgres) / TICK / wall
  const other = postgres === null ? null : Math.max(0, machine - server - bench - postgres)
  return { machine, server, bench, postgres, other }
}

/** Waits (up to maxSeconds) until everything else on the machine uses under 0.3 cores; returns what it used. */
async function waitQuiet(maxSeconds: number, cores: number): Promise<{ busy: number; waited: number }> {
  const started = performance.now()
  for (;;) {
    const a = await machineTicks()
    await new Promise((r) => setTimeout(r, 1000))
    const b = await machineTicks()
    const busy = ((b.busy - a.busy) / Math.max(1, b.total - a.total)) * cores
    const waited = (performance.now() - started) / 1000
    if (busy < 0.3 || waited >= maxSeconds) return { busy, waited }
  }
}

function ask<T>(child: ChildProcess, message: unknown, key: string, ms: number): Promise<T> {
  return withDeadline(
    new Promise<T>((resolve) => {
      const onMessage = (m: unknown) => {
        if (m && typeof m === 'object' && key in m) {
          child.off('message', onMessage)
          resolve((m as Record<string, T>)[key]!)
        }
      }
      child.on('message', onMessage)
      child.send(message as string)
    }),
    ms,
    key,
  )
}

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

/** Self time of a V8 CPU profile by function and by where the code lives (src/, a package, node internals). */
async function summarizeProfile(file: string): Promise<void> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const where = (url: string, name: string) => {
    if (!url) return name === '(idle)' || name === '(program)' || name === '(garbage collector)' ? name : '(native)'
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
    if (pkg) return pkg[1]!
    if (url.startsWith('node:')) return 'node internals'
    const src = /\/(src\/.*)$/.exec(url)
    return src ? src[1]! : url
  }
  const byFunction = new Map<string, number>()
  const byPlace = new Map<string, number>()
  for (const [id, us] of self) {
    const n = byId.get(id)!
    const place = where(n.callFrame.url, n.callFrame.functionName)
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${place}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us)
    byPlace.set(place, (byPlace.get(place) ?? 0) + us)
  }
  const top = (m: Map<string, number>, k: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, us]) => `  ${((us / total) * 100).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n')
  console.log(`\nserver CPU profile (self time, ${secs(total / 1000)} sampled) by where the code lives:\n${top(byPlace, 15)}\nby function:\n${top(byFunction, 25)}`)
}

// ---------------------------------------------------------------------------------------------
// Load generation

interface Histogram {
  average: number
  p50: number
  p90: number
  p99: number
  p99_9: number
  max: number
}
interface AutocannonResult {
  requests: Histogram & { total: number }
  latency: Histogram
  throughput: { average: number }
  non2xx: number
  errors: number
  timeouts: number
  duration: number
}
interface CannonRequest {
  setupRequest?: (req: { path: string; method?: string }, context: Record<string, unknown>) => { path: string }
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void
}
const autocannon = autocannonUntyped as (options: {
  url: string
  duration: number
  connections: number
  pipelining: number
  maxOverallRequests: number
  timeout: number
  requests?: CannonRequest[]
}) => Promise<AutocannonResult>

const LIST_PATH = '/v1/notices?status=in_publicity&limit=20'

/** Requests the paging run sent, by page number (1 = a first page), to show it does page. */
const pageCounts: number[] = new Array(PAGES_PER_CHAIN + 1).fill(0)

/**
 * Random filter chains: 40% domain, 40% department, 20% both; each followed for up to 5 pages. With
 * `uncached`, every chain's URL is new (an `updatedSince` long before every notice, with a random
 * millisecond): the same pages, none of them kept from an earlier request — the cost of rendering one.
 */
function pagingRequests(departments: string[], domains: string[], uncached = false): CannonRequest[] {
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!
  const firstPage = () => {
    const params = new URLSearchParams({ status: 'in_publicity', limit: '20' })
    const r = Math.random()
    if (r < 0.6) params.set('domain', pick(domains))
    if (r >= 0.4) params.set('department', pick(departments))
    if (uncached) params.set('updatedSince', `2000-01-01T00:00:${String(Math.floor(Math.random() * 60)).padStart(2, '0')}.${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}Z`)
    return `/v1/notices?${params}`
  }
  const onResponse = (_status: number, body: string, context: Record<string, unknown>) => {
    const m = /"nextCursor":"([^"]+)"/.exec(body)
    context.cursor = m ? m[1] : null
  }
  const items: CannonRequest[] = []
  for (let page = 0; page < PAGES_PER_CHAIN; page++) {
    items.push({
      setupRequest: (req, context) => {
        const fresh = page === 0 || !context.cursor
        if (fresh) {
          context.base = firstPage()
          context.page = 1
        } else context.page = (context.page as number) + 1
        pageCounts[context.page as number]! += 1
        const base = context.base as string
        return { ...req, path: page === 0 || !context.cursor ? base : `${base}&cursor=${encodeURIComponent(context.cursor as string)}` }
      },
      onResponse,
    })
  }
  return items
}

interface RoundResult {
  rps: number
  p50: number
  p90: number
  p99: number
  p999: number
  max: number
  requests: number
  cores: ReturnType<typeof coresBetween>
  load: number
}

async function measure(
  port: number,
  seconds: number,
  connections: number,
  child: ChildProcess,
  cluster: PostgresCluster | null,
  requests?: CannonRequest[],
): Promise<RoundResult> {
  const before = await snapshot(child, cluster)
  const result = await withDeadline(
    autocannon({
      url: `http://127.0.0.1:${port}${LIST_PATH}`,
      duration: seconds,
      connections,
      pipelining: 1,
      maxOverallRequests: 2_000_000,
      timeout: 10,
      ...(requests ? { requests } : {}),
    }),
    (seconds + 30) * 1000,
    'autocannon',
  )
  const after = await snapshot(child, cluster)
  if (result.non2xx || result.errors || result.timeouts) throw new Error(`${result.non2xx} non-2xx responses, ${result.errors} errors, ${result.timeouts} timeouts`)
  const l = result.latency
  return {
    rps: result.requests.average,
    p50: l.p50,
    p90: l.p90,
    p99: l.p99,
    p999: l.p99_9,
    max: l.max,
    requests: result.requests.total,
    cores: coresBetween(before, after, os.availableParallelism()),
    load: os.loadavg()[0]!,
  }
}

// ---------------------------------------------------------------------------------------------
// Main

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '5' },
      connections: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '3' },
      notices: { type: 'string', default: '100000' },
      'entries-per-notice': { type: 'string', default: '50' },
      'max-minutes': { type: 'string', default: '45' },
      'wait-quiet': { type: 'string', default: '120' },
      profile: { type: 'boolean', default: false },
      serve: { type: 'string' },
    },
  })
  if (values.serve) {
    await serve(values.serve)
    return -1 // keep serving until the parent disconnects
  }
  const duration = Number(values.duration)
  const warmup = Number(values.warmup)
  const connections = Number(values.connections)
  const rounds = Number(values.rounds)
  const noticeCount = Number(values.notices)
  const avg = Number(values['entries-per-notice'])
  if (!(duration > 0 && duration <= 300 && warmup >= 0 && warmup <= 60 && connections >= 1 && connections <= 100 && rounds >= 1 && rounds <= 9)) throw new Error('bad --duration/--warmup/--connections/--rounds')
  if (!(Number.isInteger(noticeCount) && noticeCount >= 1000 && noticeCount % 2 === 0 && Number.isInteger(avg) && avg >= 2)) throw new Error('--notices: an even number ≥ 1000; --entries-per-notice: a whole number ≥ 2')
  // Bound on the whole run: past it, SIGTERM ourselves (support.ts stops the cluster on the way out).
  setTimeout(() => {
    console.error(`the benchmark ran past --max-minutes ${values['max-minutes']}; stopping`)
    process.kill(process.pid, 'SIGTERM')
  }, Number(values['max-minutes']) * 60_000).unref()

  const cores = os.availableParallelism()
  console.log(`node ${process.version}; ${cores} cores available (os.availableParallelism()); ${fmt(os.totalmem() / 2 ** 30, 1)} GiB memory; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`)

  const given = process.env.DATABASE_URL
  let cluster: PostgresCluster | null = null
  let child: ChildProcess | null = null
  let database: Database | null = null
  try {
    const statementsAvailable = !given && existsSync('/usr/lib/postgresql/15/lib/pg_stat_statements.so')
    if (given) {
      console.log('database: DATABASE_URL (not started here)')
    } else {
      const t0 = performance.now()
      cluster = await startPostgres({
        version: 15,
        settings: {
          shared_buffers: '1GB',
          max_wal_size: '8GB', // fewer checkpoints during the load; no effect on the reads measured
          ...(statementsAvailable ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'top' } : {}),
        },
      })
      console.log(`database: throwaway PostgreSQL ${cluster.version} on 127.0.0.1:${cluster.port} (shared_buffers=1GB, fsync=off, synchronous_commit=off), started in ${secs(performance.now() - t0)}`)
    }
    const url = given ?? cluster!.url

    // The app in its own process: migrations run as it starts.
    const t1 = performance.now()
    child = fork(fileURLToPath(import.meta.url), ['--serve', url], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const server = child
    const ready = await withDeadline(
      new Promise<Ready>((resolve, reject) => {
        server.once('message', (m) => resolve(m as Ready))
        server.once('exit', (code) => reject(new Error(`the server process exited (${code})`)))
      }),
      120_000,
      'starting the app',
    )
    console.log(`app: buildApp on 127.0.0.1:${ready.port}, migrated and ready in ${secs(performance.now() - t1)}`)

    database = await openDatabase({ kind: 'postgres', url, poolSize: 3 })
    const pool = database.pool!
    const one = async <T>(text: string, params: unknown[] = []) => (await pool.query(text, params)).rows[0] as T

    const departments = (await pool.query<{ code: string }>('SELECT code FROM departments WHERE region_code = $1 ORDER BY sort_order, code', [REGION])).rows.map((r) => r.code)
    const domains = (await pool.query<{ code: string }>('SELECT code FROM domains ORDER BY sort_order, code')).rows.map((r) => r.code)
    console.log(`region ${REGION}: ${departments.length} departments, ${domains.length} domains`)

    // ---- data
    const existing = await one<{ notices: number; ours: boolean }>(`SELECT count(*)::int AS notices, exists(SELECT 1 FROM notices WHERE id = md5('${MARKER}1')::uuid) AS ours FROM notices`)
    const now = new Date()
    if (existing.notices === 0) {
      console.log(`loading ${fmt(noticeCount)} notices and ${fmt(noticeCount * avg)} entries…`)
      const tLoad = performance.now()
      const client = await pool.connect()
      try {
        let t = performance.now()
        await loadNotices(client, noticeCount, avg, now, departments, domains)
        console.log(`  notices: ${secs(performance.now() - t)}`)
        t = performance.now()
        await loadObjections(client, now)
        console.log(`  objections: ${secs(performance.now() - t)}`)
      } finally {
        client.release()
      }
      let t = performance.now()
      await loadEntries(pool, noticeCount, avg, (s) => console.log(`${s} (${secs(performance.now() - t)})`))
      const entriesTime = performance.now() - t
      t = performance.now()
      await pool.query('VACUUM (ANALYZE) notices, notice_entries, objections')
      const vacuumTime = performance.now() - t
      await pool.query('CHECKPOINT')
      console.log(`data load: ${secs(performance.now() - tLoad)} in all (entries ${secs(entriesTime)}, VACUUM (ANALYZE) ${secs(vacuumTime)})`)
    } else if (existing.ours) {
      console.log(`the database already holds ${fmt(existing.notices)} notices loaded by this bench: not loading again (their times are relative to when they were loaded)`)
    } else {
      throw new Error(`the database already has ${existing.notices} notices that this bench did not load; give it an empty database`)
    }

    // ---- what was loaded
    const stats = await one<{ notices: number; entries: number; entry_sum: number; objections: number; notices_size: string; entries_size: string }>(
      `SELECT (SELECT count(*)::int FROM notices) AS notices, (SELECT count(*)::int FROM notice_entries) AS entries,
              (SELECT sum(entry_count)::int FROM notices) AS entry_sum, (SELECT count(*)::int FROM objections) AS objections,
              pg_size_pretty(pg_total_relation_size('notices')) AS notices_size, pg_size_pretty(pg_total_relation_size('notice_entries')) AS entries_size`,
    )
    const byStatus = (
      await pool.query<{ status: string; n: number }>(
        `SELECT CASE WHEN review_state <> 'published' THEN review_state WHEN conclusion IS NOT NULL THEN 'concluded'
                     WHEN starts_at > $1 THEN 'scheduled' WHEN ends_at > $1 THEN 'in_publicity' ELSE 'period_ended' END AS status, count(*)::int AS n
         FROM notices GROUP BY 1 ORDER BY 2 DESC`,
        [new Date().toISOString()],
      )
    ).rows
    console.log(
      `loaded: ${fmt(stats.notices)} notices (${stats.notices_size}), ${fmt(stats.entries)} entries (${stats.entries_size}; sum of entry_count ${fmt(stats.entry_sum)}), ${fmt(stats.objections)} objections`,
    )
    console.log(`by status now: ${byStatus.map((r) => `${r.status} ${fmt(r.n)}`).join(', ')}`)
    if (stats.entries !== stats.entry_sum) throw new Error('entry_count does not match the entries')

    // ---- one request, checked
    const probe = await fetch(`http://127.0.0.1:${ready.port}${LIST_PATH}`, { headers: { 'accept-encoding': 'identity' } })
    const probeText = await probe.text()
    const probeBody = JSON.parse(probeText) as { items: { status: string }[]; nextCursor: string | null }
    const probeBytes = Buffer.byteLength(probeText)
    if (probe.status !== 200 || probeBody.items.length !== 20 || probeBody.items.some((i) => i.status !== 'in_publicity') || !probeBody.nextCursor) {
      throw new Error(`GET ${LIST_PATH} answered ${probe.status} with ${probeBody.items?.length} items (${JSON.stringify(probeBody).slice(0, 300)})`)
    }
    console.log(`GET ${LIST_PATH}: 200, 20 items in publicity, ${fmt(probeBytes)} bytes, nextCursor set`)

    // ---- warm-up, then rounds
    const paging = () => pagingRequests(departments, domains)
    const uncachedPaging = () => pagingRequests(departments, domains, true)
    if (warmup > 0) {
      await measure(ready.port, warmup, connections, server, cluster)
      await measure(ready.port, warmup, connections, server, cluster, paging())
    }
    if (statementsAvailable) {
      await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
      await pool.query('SELECT pg_stat_statements_reset()')
    }
    console.log(`\n${connections} connections, ${duration} s per run after a ${warmup} s warm-up, ${rounds} round(s); latency in whole ms (autocannon)`)
    const header = 'run        round    req/s   p50   p90   p99 p99.9   max  requests   cores: machine server  pg  autocannon other  load1'
    console.log(header)
    const results = { list: [] as RoundResult[], paging: [] as RoundResult[], uncached: [] as RoundResult[] }
    const line = (name: string, round: string, r: RoundResult) => {
      const c = r.cores
      const o = (x: number | null) => (x === null ? '   – ' : x.toFixed(2).padStart(5))
      return `${name.padEnd(10)} ${round.padStart(5)} ${fmt(r.rps).padStart(8)} ${String(r.p50).padStart(5)} ${String(r.p90).padStart(5)} ${String(r.p99).padStart(5)} ${String(r.p999).padStart(5)} ${String(r.max).padStart(5)} ${fmt(r.requests).padStart(9)}          ${c.machine.toFixed(2).padStart(5)}  ${c.server.toFixed(2).padStart(5)} ${o(c.postgres)}   ${c.bench.toFixed(2).padStart(5)}   ${o(c.other)}  ${r.load.toFixed(2)}`
    }
    const quietFor = Number(values['wait-quiet'])
    const quiet = async () => {
      if (quietFor <= 0) return
      const q = await waitQuiet(quietFor, cores)
      if (q.busy >= 0.3) console.log(`  (the machine stayed busy: other processes used ${q.busy.toFixed(2)} cores after waiting ${Math.round(q.waited)} s)`)
      else if (q.waited > 2) console.log(`  (waited ${Math.round(q.waited)} s for other processes to quiet down)`)
    }
    for (let round = 1; round <= rounds; round++) {
      await quiet()
      const list = await measure(ready.port, duration, connections, server, cluster)
      results.list.push(list)
      console.log(line('list', String(round), list))
      await quiet()
      const pages = await measure(ready.port, duration, connections, server, cluster, paging())
      results.paging.push(pages)
      console.log(line('paging', String(round), pages))
      await quiet()
      const fresh = await measure(ready.port, duration, connections, server, cluster, uncachedPaging())
      results.uncached.push(fresh)
      console.log(line('uncached', String(round), fresh))
    }
    const med = (rs: RoundResult[]): RoundResult => ({
      rps: median(rs.map((r) => r.rps)),
      p50: median(rs.map((r) => r.p50)),
      p90: median(rs.map((r) => r.p90)),
      p99: median(rs.map((r) => r.p99)),
      p999: median(rs.map((r) => r.p999)),
      max: median(rs.map((r) => r.max)),
      requests: median(rs.map((r) => r.requests)),
      cores: {
        machine: median(rs.map((r) => r.cores.machine)),
        server: median(rs.map((r) => r.cores.server)),
        bench: median(rs.map((r) => r.cores.bench)),
        postgres: rs[0]!.cores.postgres === null ? null : median(rs.map((r) => r.cores.postgres!)),
        other: rs[0]!.cores.other === null ? null : median(rs.map((r) => r.cores.other!)),
      },
      load: median(rs.map((r) => r.load)),
    })
    const medList = med(results.list)
    const medPaging = med(results.paging)
    console.log(line('list', 'med', medList))
    console.log(line('paging', 'med', medPaging))
    const medUncached = med(results.uncached)
    console.log(line('uncached', 'med', medUncached))
    const sent = pageCounts.reduce((a, b) => a + b, 0)
    console.log(`paging runs sent ${pageCounts.slice(1).map((n, i) => `page ${i + 1}: ${((n / sent) * 100).toFixed(0)}%`).join(', ')} of their requests`)

    // ---- where the time goes in the database
    if (statementsAvailable) {
      const top = await pool.query<{ calls: string; mean: number; rows: string; query: string }>(
        `SELECT calls, mean_exec_time AS mean, rows, regexp_replace(substring(query from ' (where .*)'), '\\s+', ' ', 'g') AS query FROM pg_stat_statements
         WHERE query ILIKE '%from "notices"%' OR query ILIKE '%from "objections"%' ORDER BY total_exec_time DESC LIMIT 4`,
      )
      console.log('\npg_stat_statements over the measured runs (database execution time only):')
      for (const r of top.rows) console.log(`  ${fmt(Number(r.calls)).padStart(9)} calls, mean ${r.mean.toFixed(3)} ms: select … from ${/"objections"/.test(r.query) ? 'objections' : 'notices'} ${r.query}`)
    }

    // ---- where the time goes in the server: a profiled extra run (not counted above)
    if (values.profile) {
      const file = path.join(os.tmpdir(), `gongkai-notices-${process.pid}.cpuprofile`)
      await quiet()
      await ask(server, 'profile-start', 'profiling', 10_000)
      const profiled = await measure(ready.port, duration, connections, server, cluster, uncachedPaging())
      await ask(server, { profileStop: file }, 'profiled', 60_000)
      console.log(`\nprofiled uncached paging run (not counted): ${fmt(profiled.rps)} req/s, p99 ${profiled.p99} ms`)
      await summarizeProfile(file).finally(() => rm(file, { force: true }))
    }

    // ---- the list's SQL, explained
    const filter = { regionCode: REGION, publicOnly: true, departments: [] as string[], now: new Date(), status: 'in_publicity', limit: 21 }
    // The list runs as a prepared statement (queries.ts), so after a few executions Postgres may use its
    // generic plan, made without the values: shown as well, forced, for the list queries.
    const explain = async (title: string, query: { toSQL(): { sql: string; params: unknown[] } }, generic = false) => {
      const { sql, params } = query.toSQL()
      const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)
      console.log(`\n-- ${title}\n-- ${sql}\n-- params ${JSON.stringify(params)}`)
      for (const r of plan.rows) console.log(r['QUERY PLAN'])
      if (!generic) return
      const client = await pool.connect()
      try {
        await client.query('SET plan_cache_mode = force_generic_plan')
        await client.query(`PREPARE bench_generic AS ${sql}`)
        const literal = (v: unknown) => (v === null ? 'NULL' : `'${(v instanceof Date ? v.toISOString() : String(v)).replace(/'/g, "''")}'`)
        const genericPlan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_generic(${params.map(literal).join(', ')})`)
        console.log('-- the generic plan (plan_cache_mode = force_generic_plan):')
        for (const r of genericPlan.rows) console.log(r['QUERY PLAN'])
      } finally {
        await client.query('DEALLOCATE ALL; RESET plan_cache_mode').catch(() => undefined)
        client.release()
      }
    }
    const bigDepartment = departments[0]!
    await explain('first page, no filter (what GET /v1/notices?status=in_publicity&limit=20 runs)', q.listNoticesQuery(database.db, filter), true)
    await explain(`first page, department=${bigDepartment}`, q.listNoticesQuery(database.db, { ...filter, department: bigDepartment }), true)
    await explain(`first page, domain=${domains[0]}`, q.listNoticesQuery(database.db, { ...filter, domain: domains[0] }), true)
    const deep = (await q.listNotices(database.db, { ...filter, limit: 2000 })).at(-1)!
    await explain('page 101 (cursor after 2,000 notices), no filter', q.listNoticesQuery(database.db, { ...filter, after: { updatedAt: deep.updatedAt, id: deep.id } }), true)

    const worst = Math.max(medList.p99, medPaging.p99)
    console.log(
      `\nRESULT: list p99 ${medList.p99} ms (p50 ${medList.p50}, p90 ${medList.p90}; ${fmt(medList.rps)} req/s), paging p99 ${medPaging.p99} ms (p50 ${medPaging.p50}, p90 ${medPaging.p90}; ${fmt(medPaging.rps)} req/s); uncached paging p99 ${medUncached.p99} ms (p50 ${medUncached.p50}; ${fmt(medUncached.rps)} req/s, not a target); medians of ${rounds}; ${connections} connections; ${cores} cores`,
    )
    if (worst >= TARGET_P99_MS) {
      console.log(`MISSED: p99 must be under ${TARGET_P99_MS} ms`)
      return 1
    }
    console.log(`OK: p99 under ${TARGET_P99_MS} ms`)
    return 0
  } finally {
    await database?.close().catch(() => undefined)
    if (child && child.connected) {
      const exited = new Promise((resolve) => child!.once('exit', resolve))
      child.disconnect()
      await withDeadline(exited, 10_000, 'stopping the app').catch(() => child!.kill('SIGKILL'))
    }
    await cluster?.stop()
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code)
  },
  (err: Error) => {
    console.error(err.stack ?? err.message)
    process.exit(2)
  },
)
