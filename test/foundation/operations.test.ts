import net from 'node:net'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { openDatabase } from '../../src/db/client.js'
import { buildTestApp, json } from '../helpers/app.js'

t.test('healthz answers while the process is alive', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(res.statusCode, 200)
  t.same(json(res), { status: 'ok' })
})

t.test('readyz answers 200 with the database kind while the database answers', async (t) => {
  const { app, databaseUrl } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(res.statusCode, 200)
  t.same(json(res), { status: 'ok', database: databaseUrl ? 'postgres' : 'pglite' })
})

t.test('readyz answers a 503 problem once the database is gone', async (t) => {
  const { app } = await buildTestApp(t)
  await app.database.close()
  const res = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(res.statusCode, 503)
  t.equal(json(res).type, '/problems/service-unavailable')
  t.ok(res.headers['retry-after'])
})

// A TCP relay between the API and the real server lets the test "stop" and "start" the database
// without touching the shared cluster.
function relay(targetPort: number) {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1')
    sockets.add(client).add(upstream)
    client.pipe(upstream).pipe(client)
    const drop = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('error', drop).on('close', drop)
    upstream.on('error', drop).on('close', drop)
  })
  return {
    async start(port = 0): Promise<number> {
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
      return (server.address() as net.AddressInfo).port
    },
    async stop() {
      for (const s of sockets) s.destroy()
      sockets.clear()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

t.test('readyz recovers by itself when the database comes back, without a restart', { skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL' }, async (t) => {
  const { databaseUrl } = await buildTestApp(t) // a fresh database of our own on the real server
  const target = new URL(databaseUrl!)
  const proxy = relay(Number(target.port || 5432))
  const port = await proxy.start()
  const viaProxy = new URL(databaseUrl!)
  viaProxy.hostname = '127.0.0.1'
  viaProxy.port = String(port)
  const database = await openDatabase({ kind: 'postgres', url: viaProxy.toString(), poolSize: 2 })
  const app = await buildApp({ ...loadConfig({}), logLevel: 'silent' }, { database })
  t.teardown(() => app.close())

  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200)
  await proxy.stop()
  const down = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(down.statusCode, 503, 'database unreachable: 503')
  const listDuringOutage = await app.inject({ method: 'GET', url: '/v1/domains' })
  t.equal(listDuringOutage.statusCode, 503, 'other reads report the outage as 503, not 500')
  await proxy.start(port)
  const up = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(up.statusCode, 200, 'back to 200 without restarting')
  await proxy.stop()
})

t.test('security headers are set on every response', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/domains' })
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.match(res.headers['content-security-policy'], /default-src 'none'/)
  t.ok(res.headers['strict-transport-security'])
})

t.test('CORS answers only the configured front-end origins', async (t) => {
  const { app } = await buildTestApp(t, { config: { corsOrigins: ['https://portal.example.gov.cn'] } })
  const allowed = await app.inject({ method: 'GET', url: '/v1/domains', headers: { origin: 'https://portal.example.gov.cn' } })
  t.equal(allowed.headers['access-control-allow-origin'], 'https://portal.example.gov.cn')
  const other = await app.inject({ method: 'GET', url: '/v1/domains', headers: { origin: 'https://evil.example.com' } })
  t.notOk(other.headers['access-control-allow-origin'])
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/v1/domains',
    headers: { origin: 'https://portal.example.gov.cn', 'access-control-request-method': 'GET' },
  })
  t.equal(preflight.statusCode, 204)
})

t.test('large responses are compressed when the client accepts it', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/departments?view=tree', headers: { 'accept-encoding': 'gzip' } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-encoding'], 'gzip')
})

t.test('closing the app finishes in-flight requests first, and refuses new ones', async (t) => {
  const { app } = await buildTestApp(t)
  let entered!: () => void
  const handlerEntered = new Promise<void>((resolve) => (entered = resolve))
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  app.get('/test/slow', { config: { auth: 'public' } }, async () => {
    entered()
    await released
    return { done: true }
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as net.AddressInfo
  const inFlight = fetch(`http://127.0.0.1:${port}/test/slow`)
  await handlerEntered
  const closing = app.close()
  release()
  const res = await inFlight
  t.equal(res.status, 200, 'the in-flight request completes')
  t.same(await res.json(), { done: true })
  await closing
})
