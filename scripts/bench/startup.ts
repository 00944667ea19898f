// Start-to-ready on the embedded database: builds the server (scripts/build.mjs), spawns it as
// `npm start` does (`node node_modules/.cache/gongkai/server.js`: no --enable-source-maps, the server maps
// stack traces itself on first use, src/source-maps.ts) on a fresh data directory (the first start
// creates the database), restarts it on the same directory, and times each
// from spawning the process until /readyz answers 200. With --npm, spawns `npm start` itself instead
// (adds npm's own start-up and scripts/start.mjs's freshness check).
//   npx tsx scripts/bench/startup.ts [runs=3] [--npm]
// Targets (issue "Foundation"): first start < 6 s, later starts < 1.5 s. And, as ratios to bare PGlite in
// the same run (issue 16): a later start ≤ 2.5 × a bare open of the same data directory (a child process
// that imports PGlite, opens the directory and answers `select 1`), a first start ≤ 1.3 × a bare
// PGlite initdb (the same on an empty directory). Both references are timed like the server: from spawn.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const runs = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 3)
const viaNpm = process.argv.includes('--npm')
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' })
const command = viaNpm
  ? ['npm', ['start', '--silent']]
  : [process.execPath, ['node_modules/.cache/gongkai/server.js']]

/** A loopback port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function startOnce(dataDir: string): Promise<number> {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(command[0] as string, command[1] as string[], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true, // its own process group: npm start runs the server under a shell
  })
  let exited = false
  const exit = new Promise((resolve) => child.once('exit', resolve))
  void exit.then(() => (exited = true))
  try {
    for (;;) {
      if (exited) throw new Error('the server exited before it was ready')
      if (performance.now() - started > 60_000) throw new Error('not ready after 60 s')
      try {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`)
        if (res.status === 200) return performance.now() - started
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 20))
    }
  } finally {
    if (!exited) process.kill(-child.pid!, 'SIGTERM')
    await exit
    // npm may exit before the server under it has closed its database: wait for the whole group.
    for (;;) {
      try {
        process.kill(-child.pid!, 0)
      } catch {
        break
      }
      await new Promise((r) => setTimeout(r, 20))
    }
  }
}

/** A bare PGlite in a child process on `dir` (created when empty): ms from spawn until `select 1` answered. */
async function bareOpen(dir: string): Promise<number> {
  const started = performance.now()
  const script = `const { PGlite } = await import('@electric-sql/pglite'); const db = await PGlite.create(process.argv[1]); await db.query('select 1'); process.stdout.write('ready\\n'); await db.close()`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
  const ready = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', () => resolve(performance.now() - started))
    child.once('exit', (code) => reject(new Error(`bare PGlite exited with ${code} before it was ready`)))
  })
  await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)))
  return ready
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const first: number[] = []
const later: number[] = []
const bareInit: number[] = []
const bareLater: number[] = []
for (let i = 0; i < runs; i++) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gongkai-startup-'))
  const bareDir = await mkdtemp(path.join(os.tmpdir(), 'gongkai-bare-'))
  try {
    bareInit.push(await bareOpen(path.join(bareDir, 'pgdata')))
    first.push(await startOnce(dir))
    for (let j = 0; j < 3; j++) {
      // The server's own directory (DATA_DIR/pgdata), migrated and seeded: the same data.
      bareLater.push(await bareOpen(path.join(dir, 'pgdata')))
      later.push(await startOnce(dir))
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
    await rm(bareDir, { recursive: true, force: true })
  }
}
const ms = (x: number) => `${Math.round(x)} ms`
console.log(`cores: ${os.availableParallelism()}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; ${viaNpm ? 'npm start' : 'node …/server.js'}`)
console.log(`first start (creates the database): median ${ms(median(first))} of ${first.map(ms).join(', ')}`)
console.log(`later starts: median ${ms(median(later))} of ${later.map(ms).join(', ')}`)
console.log(`bare PGlite initdb: median ${ms(median(bareInit))} of ${bareInit.map(ms).join(', ')}`)
console.log(`bare PGlite open of the server's data directory: median ${ms(median(bareLater))} of ${bareLater.map(ms).join(', ')}`)
const firstRatio = median(first) / median(bareInit)
const laterRatio = median(later) / median(bareLater)
console.log(`ratios: first start / bare initdb ${firstRatio.toFixed(2)}× (target ≤ 1.3×), later start / bare open ${laterRatio.toFixed(2)}× (target ≤ 2.5×)`)
const ok = median(first) < 6000 && median(later) < 1500 && firstRatio <= 1.3 && laterRatio <= 2.5
console.log(ok ? 'within targets' : 'MISSED a target (first < 6 s, later < 1.5 s, ratios above)')
process.exit(ok ? 0 : 1)
