// Builds the app for one test on its own fresh database, with a controllable clock and, when asked,
// the log lines captured.
import { Writable } from 'node:stream'
import type { Test } from 'tap'
import { buildApp, type App } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import { ManualClock } from '../../src/lib/clock.js'
import { unmaskedPatterns } from '../../src/lib/masking.js'
import { createTestDatabase } from './databases.js'

export interface TestApp {
  app: App
  clock: ManualClock
  /** Every log line written so far (only when built with captureLogs). */
  logs: string[]
  /** The URL of this test's database on the real server, or null on PGlite. */
  databaseUrl: string | null
}

export async function buildTestApp(
  t: Test,
  options: { config?: Partial<Config>; now?: string; captureLogs?: boolean } = {},
): Promise<TestApp> {
  const testDb = await createTestDatabase()
  const clock = new ManualClock(options.now ?? '2026-03-02T02:00:00Z')
  const logs: string[] = []
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk))
      done()
    },
  })
  const config: Config = {
    ...loadConfig({}),
    logLevel: options.captureLogs ? 'info' : 'silent',
    demoData: false,
    jwtSecret: null,
    ...options.config,
  }
  const app = await buildApp(config, { database: testDb.database, clock, logStream })
  // Every response to an anonymous caller, in every test, is scanned for unmasked personal data.
  const leaks: string[] = []
  app.addHook('onSend', async (request, _reply, payload) => {
    if (request.headers.authorization || typeof payload !== 'string') return payload
    for (const [kind, pattern] of Object.entries(unmaskedPatterns)) {
      const found = pattern.exec(payload)
      if (found) leaks.push(`${request.method} ${request.url}: unmasked ${kind} ${found[0]}`)
    }
    return payload
  })
  t.teardown(() => {
    // A teardown cannot assert; throwing fails the test with the list.
    if (leaks.length) throw new Error(`public responses leaked personal data:\n${leaks.join('\n')}`)
  })
  t.teardown(async () => {
    await app.close()
    await testDb.drop()
  })
  return { app, clock, logs, databaseUrl: testDb.url }
}

/** Parses a JSON response body, failing the test with the raw text when it is not JSON. */
export function json<T = any>(response: { body: string }): T {
  return JSON.parse(response.body) as T
}
