// One process per embedded data directory: a second process (or a second open in this one) refuses
// with a message naming the holder's pid, and leaves the data alone; a lock left by a process that
// was killed is detected as stale and taken over.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'
import { openDatabase } from '../../src/db/client.js'
import { DataDirLockedError, LOCK_FILE, lockDataDir, lockHolder, processRuns } from '../../src/db/data-dir-lock.js'
import { auditVerifies, buildServer, firstAdminToken, getJson, root, spawnServer, startServer } from '../../scripts/faults/support.js'

async function tempDir(t: { teardown(fn: () => unknown): void }, prefix: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** The pid of a process that has certainly ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  return Number(child.stdout)
}

t.test('a second open of the same data directory is refused while the first holds it', async (t) => {
  const dataDir = await tempDir(t, 'gongkai-lock-')
  const first = await openDatabase({ kind: 'pglite', dataDir })
  t.equal(lockHolder(dataDir), process.pid, 'the lock names this process')
  const refused = await openDatabase({ kind: 'pglite', dataDir }).then(
    () => null,
    (err: unknown) => err,
  )
  t.type(refused, DataDirLockedError)
  t.match((refused as Error).message, new RegExp(`in use by another gongkai process \\(pid ${process.pid}\\)`))
  await first.close()
  t.notOk(existsSync(path.join(dataDir, LOCK_FILE)), 'closing releases the lock')
  const again = await openDatabase({ kind: 'pglite', dataDir })
  await again.close()
})

t.test('a lock left by a process that no longer runs is stale and taken over', async (t) => {
  const dataDir = await tempDir(t, 'gongkai-lock-')
  const pid = deadPid()
  t.notOk(processRuns(pid))
  writeFileSync(path.join(dataDir, LOCK_FILE), `${pid}\n`)
  const release = lockDataDir(dataDir)
  t.equal(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8').trim(), String(process.pid))
  release()
  release() // twice is harmless
  writeFileSync(path.join(dataDir, LOCK_FILE), 'half-writ')
  const releaseAgain = lockDataDir(dataDir)
  t.equal(lockHolder(dataDir), process.pid, 'an unreadable lock is stale too')
  releaseAgain()
})

t.test('a second server process on the same data directory exits with a clear message; the first serves on, its data intact', async (t) => {
  const dataDir = await tempDir(t, 'gongkai-lock-data-')
  const outdir = path.join(root, 'node_modules/.cache', `gongkai-lock-${process.pid}`)
  t.teardown(() => rm(outdir, { recursive: true, force: true }))
  const entry = buildServer(outdir)
  const first = await startServer({ entry, dataDir })
  t.teardown(() => first.stop())
  const token = await firstAdminToken(first)
  const second = spawnServer({ entry, dataDir })
  second.ready.catch(() => undefined)
  const code = await new Promise<number | null>((resolve) => second.child.once('exit', resolve))
  t.equal(code, 75, 'the second process exits with EX_TEMPFAIL')
  const stderr = await second.ready.then(
    () => '',
    (err: Error) => err.message,
  )
  t.match(stderr, new RegExp(`data directory .* is in use by another gongkai process \\(pid ${first.child.pid}\\)`))
  t.equal((await getJson(`${first.url}/v1/domains`)).status, 200, 'the first server still answers')
  t.ok((await auditVerifies(first.url, token)).ok, 'and its audit chain verifies')
  t.equal(await first.stop(), 0)
  t.notOk(existsSync(path.join(dataDir, LOCK_FILE)), 'a clean stop releases the lock')
})
