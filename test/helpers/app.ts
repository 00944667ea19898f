// Builds the app for one test on its own fresh database, with a controllable clock and, when asked,
// the log lines captured.
import { Writable } from 'node:stream'
import type { FastifyRequest } from 'fastify'
import type { Test } from 'tap'
import { buildApp, type App, type BuildOptions } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import { ManualClock } from '../../src/lib/clock.js'
import { personalKinds, unmaskedPatterns } from '../../src/lib/masking.js'
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
  options: { config?: Partial<Config>; now?: string; captureLogs?: boolean; build?: Pick<BuildOptions, 'changeEvents'> } = {},
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
  const app = await buildApp(config, { ...options.build, database: testDb.database, clock, logStream })
  // Every response to an anonymous caller, in every test, is scanned for unmasked personal data: ID
  // numbers, mobiles, landlines and e-mail addresses anywhere (the spec's invented examples aside), and
  // the raw value of every personal or staff-only column that a JSON list upload carried.
  const leaks: string[] = []
  const personalValues = new Set<string>()
  app.addHook('onSend', async (request, reply, payload) => {
    // Cached published pages are sent as ready bytes (a Buffer); their compressed variants hold the
    // same bytes, so only the plain ones are read.
    const textual = /json|text|csv/.test(String(reply.getHeader('content-type') ?? ''))
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) && textual && !reply.getHeader('content-encoding') ? payload.toString('utf8') : null
    if (text === null) return payload
    if (request.headers.authorization) {
      if (reply.statusCode === 200) rememberPersonalValues(request, text, personalValues)
      return payload
    }
    if (request.url.startsWith('/openapi.json') || request.url.startsWith('/docs')) return payload
    for (const [kind, pattern] of Object.entries(unmaskedPatterns)) {
      const found = pattern.exec(text)
      if (found) leaks.push(`${request.method} ${request.url}: unmasked ${kind} ${found[0]}`)
    }
    for (const value of personalValues) if (text.includes(value)) leaks.push(`${request.method} ${request.url}: the raw value ${value} of a personal column`)
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

/** After a JSON list upload: the raw values of its personal and staff-only columns (by the columns it answers with). */
function rememberPersonalValues(request: FastifyRequest, payload: string, values: Set<string>) {
  if (request.method !== 'PUT' || !/^\/v1\/notices\/[^/?]+\/entries(\?|$)/.test(request.url)) return
  const entries = (request.body as { entries?: Record<string, unknown>[] } | undefined)?.entries
  if (!Array.isArray(entries)) return
  let columns: { key: string; type: string }[]
  try {
    columns = (JSON.parse(payload) as { columns?: { key: string; type: string }[] }).columns ?? []
  } catch {
    return
  }
  const publicPlain = new Set(columns.filter((c) => !personalKinds.includes(c.type as never)).map((c) => c.key))
  for (const entry of entries) {
    for (const [key, value] of Object.entries(entry)) {
      if (!publicPlain.has(key) && typeof value === 'string' && value.length >= 2) values.add(value)
    }
  }
}

/** Parses a JSON response body, failing the test with the raw text when it is not JSON. */
export function json<T = any>(response: { body: string }): T {
  return JSON.parse(response.body) as T
}
