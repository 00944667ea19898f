// The spec-driven fuzzer (test/fuzz/spec-fuzz.ts) for long runs, on a fresh embedded database or a
// fresh database on a Postgres server; the suite runs it briefly with a fixed seed.
//   npm run fuzz -- --count 20000 [--seed 42] [--database-url postgres://postgres@127.0.0.1:5432/postgres]
// Prints the requests per status and every response that broke the contract; exits 1 if any did.
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/client.js'
import { ManualClock } from '../src/lib/clock.js'
import { seedDemoCatalog } from '../src/modules/catalog/service.js'
import { tokenFor } from '../test/helpers/auth.js'
import { fuzz, type Caller, type Failure } from '../test/fuzz/spec-fuzz.js'

const { values } = parseArgs({ options: { count: { type: 'string', default: '2000' }, seed: { type: 'string' }, 'database-url': { type: 'string' } } })
const count = Number(values.count)
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed)
const serverUrl = values['database-url']

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

const describe = (f: Failure) =>
  `FAIL ${f.caller} ${f.operationId}: ${f.reason}\n  ${f.request.method} ${f.request.url.slice(0, 300)}\n  ${JSON.stringify(f.request.headers)} ${String(f.request.payload ?? '').slice(0, 300)}\n  → ${f.body.slice(0, 300)}`

const name = `gongkai_fuzz_${randomBytes(5).toString('hex')}`
let database
if (serverUrl) {
  await admin(`CREATE DATABASE ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  database = await openDatabase({ kind: 'postgres', url: url.toString() })
} else {
  database = await openDatabase({ kind: 'pglite' })
}
// A clock that stands still: a long run outlives the 15-minute access tokens of its callers.
const clock = new ManualClock(new Date().toISOString())
const app = await buildApp({ ...loadConfig({}), logLevel: 'silent', demoData: false, jwtSecret: null }, { database, clock })
try {
  await seedDemoCatalog(app.db, app.config.defaultRegion, app.clock.now())
  const spec = JSON.parse((await app.inject({ method: 'GET', url: '/openapi.json' })).body)
  const callers: Caller[] = [
    { name: 'anonymous', token: null },
    { name: 'editor', token: await tokenFor(app, 'editor', 'civil_affairs') },
    { name: 'admin', token: await tokenFor(app, 'admin') },
  ]
  const started = Date.now()
  console.log(`fuzzing ${serverUrl ? 'Postgres' : 'PGlite'}: ${count} requests, seed ${seed}`)
  const result = await fuzz(
    spec,
    async (request) => {
      const res = await app.inject({ method: request.method as 'GET', url: request.url, headers: request.headers, ...(request.payload !== undefined ? { payload: request.payload } : {}) })
      return { statusCode: res.statusCode, headers: res.headers, body: res.body }
    },
    callers,
    {
      count,
      seed,
      onFailure: (f) => console.log(describe(f)),
      onProgress: (done) => {
        if (done % 1000 === 0) console.log(`  ${done} requests, ${Math.round((Date.now() - started) / 1000)} s`)
      },
    },
  )
  console.log(`${result.requests} requests in ${Math.round((Date.now() - started) / 1000)} s; by status: ${JSON.stringify(result.byStatus)}`)
  console.log(result.failures.length ? `${result.failures.length} responses broke the contract` : 'no response broke the contract')
  process.exitCode = result.failures.length ? 1 : 0
} finally {
  await app.close()
  if (serverUrl) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
}
