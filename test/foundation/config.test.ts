import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config.js'

t.test('defaults need no settings at all', async (t) => {
  const c = loadConfig({})
  t.match(c, { port: 3000, databaseUrl: null, dataDir: './data', defaultRegion: '230202', logLevel: 'info', demoData: true, corsOrigins: [] })
})

t.test('webhook timeout and the internal metrics listener: 15 s, none, loopback unless set', async (t) => {
  t.match(loadConfig({}), { webhookTimeoutSeconds: 15, metricsPort: null, metricsHost: '127.0.0.1' })
  t.match(loadConfig({ WEBHOOK_TIMEOUT: '2', METRICS_PORT: '9464', METRICS_HOST: '::1' }), { webhookTimeoutSeconds: 2, metricsPort: 9464, metricsHost: '::1' })
})

t.test('a real database turns demo data off unless asked for', async (t) => {
  t.equal(loadConfig({ DATABASE_URL: 'postgres://u@localhost/db' }).demoData, false)
  t.equal(loadConfig({ DATABASE_URL: 'postgres://u@localhost/db', DEMO_DATA: 'true' }).demoData, true)
})

t.test('a bad setting is refused with a message naming it', async (t) => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'eighty' }, /^PORT/],
    [{ PORT: '70000' }, /^PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL/],
    [{ JWT_SECRET: 'short' }, /^JWT_SECRET/],
    [{ DEFAULT_REGION: 'longsha' }, /^DEFAULT_REGION/],
    [{ CORS_ORIGINS: 'portal.example.gov.cn' }, /^CORS_ORIGINS/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL/],
    [{ DEMO_DATA: 'maybe' }, /^DEMO_DATA/],
    [{ DATABASE_READ_URL: 'postgres://u@replica/db' }, /^DATABASE_READ_URL: a read replica needs DATABASE_URL/],
    [{ WEBHOOK_TIMEOUT: '0' }, /^WEBHOOK_TIMEOUT/],
    [{ WEBHOOK_TIMEOUT: 'ten' }, /^WEBHOOK_TIMEOUT/],
    [{ METRICS_PORT: 'nine' }, /^METRICS_PORT/],
    [{ METRICS_PORT: '70000' }, /^METRICS_PORT/],
  ]
  for (const [env, pattern] of cases) {
    t.throws(() => loadConfig(env), pattern, JSON.stringify(env))
    t.throws(() => loadConfig(env), ConfigError)
  }
})

t.test('secrets are not echoed in configuration errors', async (t) => {
  const messageOf = (env: Record<string, string>) => {
    try {
      loadConfig(env)
    } catch (err) {
      return (err as Error).message
    }
    return 'accepted'
  }
  const jwt = messageOf({ JWT_SECRET: 'hunter2' })
  t.match(jwt, /^JWT_SECRET/)
  t.notMatch(jwt, /hunter2/)
  const url = messageOf({ DATABASE_URL: 'mysql://admin:s3cret@db/x' })
  t.match(url, /^DATABASE_URL/)
  t.notMatch(url, /s3cret/)
})

t.test('the server refuses to start on a bad setting and names it', async (t) => {
  const server = fileURLToPath(new URL('../../src/server.ts', import.meta.url))
  const run = spawnSync(process.execPath, ['--import', 'tsx', server], {
    env: { ...process.env, PORT: 'eighty', DATABASE_URL: '' },
    encoding: 'utf8',
    timeout: 60_000,
  })
  t.equal(run.status, 78)
  t.match(run.stderr, /invalid setting: PORT/)
})

t.test('with DATABASE_URL and no JWT_SECRET, the server refuses to start and names the setting', async (t) => {
  const server = fileURLToPath(new URL('../../src/server.ts', import.meta.url))
  const run = spawnSync(process.execPath, ['--import', 'tsx', server], {
    env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none', JWT_SECRET: '', PORT: '0' },
    encoding: 'utf8',
    timeout: 60_000,
  })
  t.equal(run.status, 78)
  t.match(run.stderr, /invalid setting: JWT_SECRET: required when DATABASE_URL is set/)
})
