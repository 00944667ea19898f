// Start-to-ready on the embedded database: spawns `node --import tsx src/server.ts` on a fresh data
// directory (the first start creates the database), then restarts it on the same directory, and
// times each from spawning the process until /readyz answers 200.
//   npx tsx scripts/bench/startup.ts [runs=3]
// Targets (issue "Foundation"): first start < 6 s, later starts < 1.5 s.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const runs = Number(process.argv[2] ?? 3)

async function startOnce(dataDir: string, port: number): Promise<number> {
  const started = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  try {
    for (;;) {
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
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const first: number[] = []
const later: number[] = []
for (let i = 0; i < runs; i++) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gongkai-startup-'))
  try {
    first.push(await startOnce(dir, 39_100 + i))
    for (let j = 0; j < 3; j++) later.push(await startOnce(dir, 39_200 + i * 10 + j))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
const ms = (x: number) => `${Math.round(x)} ms`
console.log(`cores: ${os.availableParallelism()}`)
console.log(`first start (creates the database): median ${ms(median(first))} of ${first.map(ms).join(', ')}`)
console.log(`later starts: median ${ms(median(later))} of ${later.map(ms).join(', ')}`)
const ok = median(first) < 6000 && median(later) < 1500
console.log(ok ? 'within targets (first < 6 s, later < 1.5 s)' : 'MISSED a target (first < 6 s, later < 1.5 s)')
process.exit(ok ? 0 : 1)
