// The spec-driven fuzz test (issue 13): every operation of the served /openapi.json, as an anonymous
// caller, an editor and an admin, with requests generated from the operation's schemas plus hostile
// variants — no 5xx, every 4xx a problem document with its own status, no stack or SQL in any
// response. Fixed seed and a bounded count here; `npm run fuzz -- --count 20000` for a long run.
import t from 'tap'
import { seedDemoCatalog } from '../../src/modules/catalog/service.js'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { createTestDatabase } from '../helpers/databases.js'
import { tokenFor } from '../helpers/auth.js'
import { fuzz, type Caller } from './spec-fuzz.js'

const SEED = 20261202
const COUNT = Number(process.env.FUZZ_COUNT ?? 600)

t.test('no input makes the API answer a 5xx, a non-problem 4xx, a stack or SQL', async (t) => {
  // Built directly rather than through buildTestApp: its scan for personal data in public responses
  // would read the fuzzer's own random digits, echoed back in a problem's `instance`, as phone numbers.
  const testDb = await createTestDatabase()
  const app = await buildApp({ ...loadConfig({}), logLevel: 'silent', demoData: false, jwtSecret: null }, { database: testDb.database })
  t.teardown(async () => {
    await app.close()
    await testDb.drop()
  })
  await seedDemoCatalog(app.db, app.config.defaultRegion, app.clock.now())
  const spec = JSON.parse((await app.inject({ method: 'GET', url: '/openapi.json' })).body)
  const callers: Caller[] = [
    { name: 'anonymous', token: null },
    { name: 'editor', token: await tokenFor(app, 'editor', 'civil_affairs') },
    { name: 'admin', token: await tokenFor(app, 'admin') },
  ]
  const result = await fuzz(
    spec,
    async (request) => {
      // The change feed's long poll would hold a request up to `wait` seconds when nothing matches:
      // fuzzed as 0 so that the run stays bounded (the long poll has its own test, test/events/feed.test.ts).
      const url = request.url.startsWith('/v1/changes') ? request.url.replace(/([?&])wait=\d+/, '$1wait=0') : request.url
      const res = await app.inject({ method: request.method as 'GET', url, headers: request.headers, ...(request.payload !== undefined ? { payload: request.payload } : {}) })
      return { statusCode: res.statusCode, headers: res.headers, body: res.body }
    },
    callers,
    { count: COUNT, seed: SEED },
  )
  t.equal(result.requests, COUNT, 'every request was sent')
  t.ok(Object.keys(result.byStatus).some((s) => Number(s) < 300), 'some requests got through to a 2xx')
  t.same(result.failures.slice(0, 10).map((f) => `${f.caller} ${f.operationId} ${f.reason}: ${f.request.method} ${f.request.url.slice(0, 200)}`), [], `${result.failures.length} of ${result.requests} responses broke the contract`)
})
