// What `npm start` runs: the server compiled and bundled by scripts/build.mjs, started as a process on
// a fresh embedded database, then again on the same data. Checked over real HTTP, touching the
// packages the bundle carries: the seven domains, the OpenAPI document (compressed), the docs UI, a
// problem response, the one-time administrator password (Argon2, JWT, the password change), and a
// clean exit on SIGTERM.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { pilotDomains as seeded } from '../../src/modules/reference/seed-data.js'

const pilotDomains = seeded.map((d) => d.code)

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

interface Running {
  url: string
  stdout: () => string
  stop: () => Promise<number | null>
}

async function startServer(entry: string, dataDir: string): Promise<Running> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '', JWT_SECRET: '', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DEMO_DATA: 'false' }
  // No coverage from the bundle: mapped back to src/ it would count every function a second time.
  // (Set, not deleted: Node copies the parent's NODE_V8_COVERAGE into a child's env that lacks it.)
  env.NODE_V8_COVERAGE = ''
  const child = spawn(process.execPath, [entry], { // as npm start runs it (the server maps its own stack traces)
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const deadline = Date.now() + 60_000
  for (;;) {
    const ready = /gongkai ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
    if (ready) return { url: ready[1]!, stdout: () => out, stop: () => (child.kill('SIGTERM'), exited) }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`the server did not start:\n${out}\n${err}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

t.test('the compiled server starts on a fresh embedded database, and again on the same data', async (t) => {
  const outdir = path.join(root, 'node_modules/.cache', `gongkai-test-${process.pid}`)
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gongkai-start-'))
  t.teardown(() => Promise.all([rm(outdir, { recursive: true, force: true }), rm(dataDir, { recursive: true, force: true })]))
  execFileSync(process.execPath, ['scripts/build.mjs', '--outdir', outdir], { cwd: root, stdio: 'pipe' })
  const entry = path.join(outdir, 'server.js')

  const first = await startServer(entry, dataDir)
  const domains = await fetch(`${first.url}/v1/domains`)
  t.equal(domains.status, 200)
  t.same(((await domains.json()) as { items: { code: string }[] }).items.map((d) => d.code), pilotDomains)
  const spec = (await (await fetch(`${first.url}/openapi.json`)).json()) as { openapi: string; paths: object }
  t.match(spec.openapi, /^3\.1\./)
  t.ok(Object.keys(spec.paths).length > 50, 'the document lists the routes')
  const docs = await fetch(`${first.url}/docs/`)
  t.equal(docs.status, 200)
  t.match(await docs.text(), /swagger-ui/i)
  const gzipped = await fetch(`${first.url}/openapi.json`, { headers: { 'accept-encoding': 'gzip' } })
  t.equal(gzipped.headers.get('content-encoding'), 'gzip')
  t.ok(((await gzipped.json()) as { paths: object }).paths, 'the compressed document decodes')
  const bad = await fetch(`${first.url}/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":' })
  t.equal(bad.status, 400)
  t.match(bad.headers.get('content-type'), /^application\/problem\+json/)

  const password = /one-time password: (\S{16,})/.exec(first.stdout())?.[1]
  t.ok(password, 'the first start prints the administrator password once')
  const signIn = async (pw: string) =>
    fetch(`${first.url}/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'password', username: 'admin', password: pw }) })
  const signedIn = await signIn(password!)
  t.equal(signedIn.status, 200)
  const { access_token } = (await signedIn.json()) as { access_token: string }
  const change = await fetch(`${first.url}/v1/me/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
    body: JSON.stringify({ currentPassword: password, newPassword: 'a sturdy new passphrase' }),
  })
  t.equal(change.status, 204)
  t.equal((await signIn(password!)).status, 401, 'the one-time password is gone')
  t.equal(await first.stop(), 0, 'SIGTERM ends the process cleanly')

  const second = await startServer(entry, dataDir)
  const again = await fetch(`${second.url}/v1/domains`)
  t.equal(again.status, 200)
  t.equal(((await again.json()) as { items: unknown[] }).items.length, pilotDomains.length)
  t.notMatch(second.stdout(), /one-time password/, 'a later start creates no second administrator')
  const signedInAgain = await fetch(`${second.url}/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'password', username: 'admin', password: 'a sturdy new passphrase' }),
  })
  t.equal(signedInAgain.status, 200, 'the changed password and the signing key survive the restart')
  t.notMatch(second.stdout(), /"level":(50|60)/, 'no error logged')
  t.equal(await second.stop(), 0)
})
