// What /metrics costs a cached read (issue 15: ≤ 5% of cached-read throughput): the same server
// built twice in the same run — with the metrics plugin (its per-request hook, and a scraper reading
// /metrics on the internal port every --scrape seconds) and without it (buildApp's `metrics: false`)
// — each in its own child process, measured in alternating rounds on the published catalog page
// served from memory. Prints req/s, p50/p99 and the load average per round, the medians, and the cost.
//   npx tsx scripts/bench/metrics-cost.ts [--duration 5] [--connections 10] [--rounds 3] [--scrape 1]
// DATABASE_URL: a real Postgres (given the demo catalog when it has none); without it an in-memory
// PGlite per server. Traffic goes to 127.0.0.1 only. The machine is shared: keep runs short.
import { fork, type ChildProcess } from 'node:child_process'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
// @ts-expect-error autocannon ships no type declarations (and @types/autocannon is not a dependency)
import autocannonUntyped from 'autocannon'
import { median } from './support.js'

interface AutocannonResult {
  requests: { average: number }
  latency: { p50: number; p99: number }
  non2xx: number
  errors: number
}
const autocannon = autocannonUntyped as (options: { url: string; duration: number; connections: number; pipelining: number }) => Promise<AutocannonResult>

const PATH = '/v1/catalog/versions/current/items?limit=20'

interface Ready {
  port: number
  /** The internal metrics listener (with metrics only). */
  metrics: string | null
  database: string
}

async function serve(withMetrics: boolean): Promise<void> {
  const { buildApp } = await import('../../src/app.js')
  const { loadConfig } = await import('../../src/config.js')
  const { openDatabase } = await import('../../src/db/client.js')
  const { loadDemoData } = await import('../../src/db/demo.js')
  const env = loadConfig()
  const config = { ...env, logLevel: 'warn' as const, demoData: true, backgroundJobs: false, metricsPort: withMetrics ? 0 : null }
  const database = config.databaseUrl ? undefined : await openDatabase({ kind: 'pglite' })
  const app = await buildApp(config, { ephemeralKeys: true, metrics: withMetrics, ...(database ? { database } : {}) })
  await loadDemoData(app.db, config, app.clock.now())
  const first = await app.inject({ method: 'GET', url: PATH })
  if (first.statusCode !== 200) throw new Error(`GET ${PATH} answered ${first.statusCode}: ${first.body}`)
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  process.send!({ port: Number(new URL(address).port), metrics: withMetrics ? app.internalMetrics.address : null, database: app.database.kind } satisfies Ready)
  process.on('disconnect', () => void app.close().then(() => process.exit(0)))
}

interface Round {
  rate: number
  p50: number
  p99: number
  load: number
  scrapes: number
}

async function measure(ready: Ready, duration: number, connections: number, scrapeSeconds: number): Promise<Round> {
  const load = os.loadavg()[0]!
  let scrapes = 0
  let scraping = true
  // A Prometheus scraper, harsher than its usual 15 s: the scrape's own work is part of the cost.
  const scraper = (async () => {
    while (ready.metrics && scraping) {
      const res = await fetch(`${ready.metrics}/metrics`)
      if (res.status !== 200) throw new Error(`scrape: ${res.status}`)
      await res.text()
      scrapes++
      await new Promise((resolve) => setTimeout(resolve, scrapeSeconds * 1000))
    }
  })()
  const result = await autocannon({ url: `http://127.0.0.1:${ready.port}${PATH}`, duration, connections, pipelining: 1 })
  scraping = false
  await scraper
  if (result.non2xx || result.errors) throw new Error(`port ${ready.port}: ${result.non2xx} non-2xx responses, ${result.errors} errors`)
  return { rate: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, load, scrapes }
}

function start(withMetrics: boolean): { child: ChildProcess; ready: Promise<Ready> } {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', withMetrics ? 'on' : 'off'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const ready = new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ready))
    child.once('exit', (code) => reject(new Error(`the server process exited (${code})`)))
  })
  return { child, ready }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '3' },
      scrape: { type: 'string', default: '1' },
      serve: { type: 'string' },
    },
  })
  if (values.serve) return serve(values.serve === 'on')
  const [duration, connections, rounds, scrape] = [Number(values.duration), Number(values.connections), Number(values.rounds), Number(values.scrape)]
  const on = start(true)
  const off = start(false)
  try {
    const [withMetrics, without] = await Promise.all([on.ready, off.ready])
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
    console.log(`node ${process.version}, ${os.availableParallelism()} cores; database ${withMetrics.database}; GET ${PATH}; ${connections} connections, ${duration} s per round, ${rounds} rounds alternating; a scrape every ${scrape} s with metrics; medians`)
    await measure(without, 2, connections, scrape) // warm-up: JIT, caches
    await measure(withMetrics, 2, connections, scrape)
    const a: Round[] = []
    const b: Round[] = []
    for (let round = 0; round < rounds; round++) {
      b.push(await measure(without, duration, connections, scrape))
      a.push(await measure(withMetrics, duration, connections, scrape))
    }
    const line = (rs: Round[]) =>
      `${fmt(median(rs.map((r) => r.rate)))} req/s, p50 ${median(rs.map((r) => r.p50))} ms, p99 ${median(rs.map((r) => r.p99))} ms (rounds ${rs.map((r) => `${fmt(r.rate)} @ load ${r.load.toFixed(2)}`).join(', ')})`
    console.log(`  without metrics ${line(b)}`)
    console.log(`  with metrics    ${line(a)}; ${a.reduce((n, r) => n + r.scrapes, 0)} scrapes`)
    const cost = 1 - median(a.map((r) => r.rate)) / median(b.map((r) => r.rate))
    console.log(`  cost            ${(cost * 100).toFixed(1)}% of cached-read throughput (target ≤ 5%)`)
  } finally {
    on.child.disconnect()
    off.child.disconnect()
  }
}

await main()
