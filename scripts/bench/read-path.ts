// The public read path, each read against a bare Fastify route that sends the same bytes (the ceiling on
// this machine), measured in the same run: a published catalog page (`current`), an item by key, and a
// notices page (issue 16). Prints req/s, p50/p99 and the load average with every round; medians of
// the rounds and the ratio to the bare route.
//   npx tsx scripts/bench/read-path.ts [--duration 10] [--connections 10] [--rounds 3] [--encoding br]
// DATABASE_URL: a real Postgres (given the demo catalog and notices when it has none); without it an
// in-memory PGlite with them. The servers run in a child process and autocannon in this one.
// Traffic goes to 127.0.0.1 only.
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
const autocannon = autocannonUntyped as (options: { url: string; duration: number; connections: number; pipelining: number; headers?: Record<string, string> }) => Promise<AutocannonResult>

interface Read {
  name: string
  path: string
  bytes: number
}

interface Ready {
  app: number
  bare: number
  reads: Read[]
  database: string
}

async function serve(encoding: string | undefined): Promise<void> {
  const { default: Fastify } = await import('fastify')
  const { buildApp } = await import('../../src/app.js')
  const { loadConfig } = await import('../../src/config.js')
  const { openDatabase } = await import('../../src/db/client.js')
  const { loadDemoData } = await import('../../src/db/demo.js')
  const env = loadConfig()
  // As the shared harness runs the peers: logging at warn, demo data in (the catalog and notices).
  const config = { ...env, logLevel: process.env.LOG_LEVEL ? env.logLevel : ('warn' as const), demoData: true }
  const database = config.databaseUrl ? undefined : await openDatabase({ kind: 'pglite' })
  const app = await buildApp(config, { ephemeralKeys: true, ...(database ? { database } : {}) })
  await loadDemoData(app.db, config, app.clock.now())
  const page = await app.inject({ method: 'GET', url: '/v1/catalog/versions/current/items?limit=20' })
  const key = (JSON.parse(page.body) as { items: { key: string }[] }).items[0]!.key
  const paths = { list: '/v1/catalog/versions/current/items?limit=20', item: `/v1/items/${key}`, notices: '/v1/notices?limit=20' }
  const bare = Fastify({ logger: false })
  const reads: Read[] = []
  for (const [name, path] of Object.entries(paths)) {
    const first = await app.inject({ method: 'GET', url: path, headers: encoding ? { 'accept-encoding': encoding } : {} })
    if (first.statusCode !== 200) throw new Error(`GET ${path} answered ${first.statusCode}: ${first.body}`)
    const bytes = first.rawPayload
    const headers = { 'content-type': String(first.headers['content-type']), ...(first.headers['content-encoding'] ? { 'content-encoding': String(first.headers['content-encoding']) } : {}) }
    bare.get(path.replace(/\?.*/, ''), async (_request, reply) => reply.headers(headers).send(bytes))
    reads.push({ name, path, bytes: bytes.length })
  }
  const appAddress = await app.listen({ host: '127.0.0.1', port: 0 })
  const bareAddress = await bare.listen({ host: '127.0.0.1', port: 0 })
  process.send!({ app: Number(new URL(appAddress).port), bare: Number(new URL(bareAddress).port), reads, database: app.database.kind } satisfies Ready)
  process.on('disconnect', () => {
    void Promise.all([app.close(), bare.close()]).then(() => process.exit(0))
  })
}

interface Round {
  rate: number
  p50: number
  p99: number
  load: number
}

async function measure(port: number, path: string, duration: number, connections: number, encoding: string | undefined): Promise<Round> {
  const load = os.loadavg()[0]!
  const result = await autocannon({ url: `http://127.0.0.1:${port}${path}`, duration, connections, pipelining: 1, ...(encoding ? { headers: { 'accept-encoding': encoding } } : {}) })
  if (result.non2xx || result.errors) throw new Error(`${path} on port ${port}: ${result.non2xx} non-2xx responses, ${result.errors} errors`)
  return { rate: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, load }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '3' },
      encoding: { type: 'string' },
      serve: { type: 'boolean', default: false },
    },
  })
  if (values.serve) return serve(values.encoding)
  const [duration, connections, rounds] = [Number(values.duration), Number(values.connections), Number(values.rounds)]
  const args = ['--serve', ...(values.encoding ? ['--encoding', values.encoding] : [])]
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), args, { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ready))
    child.once('exit', (code) => reject(new Error(`the server process exited (${code})`)))
  })
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
  try {
    console.log(`node ${process.version}, ${os.availableParallelism()} cores; database ${ready.database}; ${connections} connections, ${duration} s per round, ${rounds} rounds alternating with the bare route; medians`)
    if (values.encoding) console.log(`Accept-Encoding: ${values.encoding}`)
    for (const read of ready.reads) {
      await measure(ready.app, read.path, 2, connections, values.encoding) // warm-up: JIT, pools, caches
      await measure(ready.bare, read.path.replace(/\?.*/, ''), 2, connections, values.encoding)
      const app: Round[] = []
      const bare: Round[] = []
      for (let round = 0; round < rounds; round++) {
        bare.push(await measure(ready.bare, read.path.replace(/\?.*/, ''), duration, connections, values.encoding))
        app.push(await measure(ready.app, read.path, duration, connections, values.encoding))
      }
      const line = (rs: Round[]) =>
        `${fmt(median(rs.map((r) => r.rate)))} req/s, p50 ${median(rs.map((r) => r.p50))} ms, p99 ${median(rs.map((r) => r.p99))} ms (rounds ${rs.map((r) => `${fmt(r.rate)} @ load ${r.load.toFixed(2)}`).join(', ')})`
      console.log(`\n${read.name}: GET ${read.path} (${read.bytes} bytes)`)
      console.log(`  bare    ${line(bare)}`)
      console.log(`  gongkai ${line(app)}`)
      console.log(`  ratio   ${(median(app.map((r) => r.rate)) / median(bare.map((r) => r.rate))).toFixed(2)} of the bare route`)
    }
  } finally {
    child.disconnect()
  }
}

await main()
