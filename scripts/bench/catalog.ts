// Throughput of a published catalog version's first page against a bare Fastify route that returns
// the same bytes, measured in the same run (issue: ≥ 50% of the bare route's requests/s).
//   npx tsx scripts/bench/catalog.ts [--duration 10] [--connections 50]
// DATABASE_URL: a real Postgres (migrated and, when it has no catalog, given the demo catalog);
// without it an in-memory PGlite. The servers run in a child process and autocannon in this one, so
// on two cores each side has its own. Exits non-zero below the target.
import { fork, type ChildProcess } from 'node:child_process'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
// @ts-expect-error autocannon ships no type declarations (and @types/autocannon is not a dependency)
import autocannonUntyped from 'autocannon'

interface AutocannonResult {
  requests: { average: number }
  non2xx: number
  errors: number
}
const autocannon = autocannonUntyped as (options: { url: string; duration: number; connections: number; pipelining: number }) => Promise<AutocannonResult>

const TARGET = 0.5
const ROUNDS = 3
const PATH = '/v1/catalog/versions/1/items?limit=20'

interface Ready {
  app: number
  bare: number
  bytes: number
  database: string
  logLevel: string
}

async function serve(): Promise<void> {
  const { default: Fastify } = await import('fastify')
  const { buildApp } = await import('../../src/app.js')
  const { loadConfig } = await import('../../src/config.js')
  const { openDatabase } = await import('../../src/db/client.js')
  const { seedDemoCatalog } = await import('../../src/modules/catalog/service.js')
  const env = loadConfig()
  // Request logging is what a deployment chooses; the bench defaults to warn and says so.
  const config = { ...env, logLevel: process.env.LOG_LEVEL ? env.logLevel : ('warn' as const), demoData: false }
  const database = config.databaseUrl ? undefined : await openDatabase({ kind: 'pglite' })
  const app = await buildApp(config, { ephemeralKeys: true, ...(database ? { database } : {}) })
  await seedDemoCatalog(app.db, config.defaultRegion, new Date())
  const first = await app.inject({ method: 'GET', url: PATH })
  if (first.statusCode !== 200) throw new Error(`GET ${PATH} answered ${first.statusCode}: ${first.body}`)
  const body = first.body
  const contentType = String(first.headers['content-type'])

  const bare = Fastify({ logger: false })
  bare.get('/v1/catalog/versions/1/items', async (_request, reply) => reply.type(contentType).send(body))
  const appAddress = await app.listen({ host: '127.0.0.1', port: 0 })
  const bareAddress = await bare.listen({ host: '127.0.0.1', port: 0 })
  const ready: Ready = { app: Number(new URL(appAddress).port), bare: Number(new URL(bareAddress).port), bytes: Buffer.byteLength(body), database: app.database.kind, logLevel: config.logLevel }
  process.send!(ready)
  process.on('disconnect', () => {
    void Promise.all([app.close(), bare.close()]).then(() => process.exit(0))
  })
}

async function measure(port: number, duration: number, connections: number): Promise<number> {
  const result = await autocannon({ url: `http://127.0.0.1:${port}${PATH}`, duration, connections, pipelining: 1 })
  if (result.non2xx || result.errors) throw new Error(`port ${port}: ${result.non2xx} non-2xx responses, ${result.errors} errors`)
  return result.requests.average
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' }, serve: { type: 'boolean', default: false } } })
  if (values.serve) return serve()
  const duration = Number(values.duration)
  const connections = Number(values.connections)
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ready))
    child.once('exit', (code) => reject(new Error(`the server process exited (${code})`)))
  })
  try {
    console.log(`node ${process.version}, ${os.availableParallelism()} cores; database ${ready.database}; log level ${ready.logLevel}`)
    console.log(`GET ${PATH}: ${ready.bytes} bytes; ${connections} connections, ${duration} s per round, ${ROUNDS} rounds each, alternating; medians`)
    await measure(ready.app, 3, connections) // warm-up: JIT, connection pools
    await measure(ready.bare, 3, connections)
    const rates = { app: [] as number[], bare: [] as number[] }
    for (let round = 0; round < ROUNDS; round++) {
      rates.bare.push(await measure(ready.bare, duration, connections))
      rates.app.push(await measure(ready.app, duration, connections))
    }
    // Medians: on a small machine one round now and then loses a core to something else.
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    const app = median(rates.app)
    const bare = median(rates.bare)
    const ratio = app / bare
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
    console.log(`bare Fastify route : ${fmt(bare)} req/s (rounds ${rates.bare.map(fmt).join(', ')})`)
    console.log(`gongkai, version 1 : ${fmt(app)} req/s (rounds ${rates.app.map(fmt).join(', ')})`)
    console.log(`ratio              : ${(ratio * 100).toFixed(1)}% (target ≥ ${TARGET * 100}%)`)
    if (ratio < TARGET) process.exitCode = 1
  } finally {
    child.disconnect()
  }
}

await main()
