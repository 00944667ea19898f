// One process per embedded data directory. PGlite is single-user: two processes writing the same
// files corrupt them. The first process writes its pid into `gongkai.lock` (created exclusively, so
// two starting at once cannot both win); a second refuses with the holder's pid. A lock whose pid
// no longer runs (the holder was killed with -9, the machine lost power) is stale and is taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import path from 'node:path'

export const LOCK_FILE = 'gongkai.lock'

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError'
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the data directory ${dataDir} is in use by another gongkai process (pid ${pid}); the embedded database has one user at a time. ` +
        `Stop that process first, or use a real Postgres (DATABASE_URL) to run several instances.`,
    )
  }
}

/** Whether a process with this pid runs (EPERM: it runs under another user). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The pid written in the directory's lock file, or null when there is none (or it is unreadable). */
export function lockHolder(dataDir: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'), 10)
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}

/** Takes the lock for this process; returns its release. Throws DataDirLockedError when a live process holds it. */
export function lockDataDir(dataDir: string, pid = process.pid): () => void {
  const file = path.join(dataDir, LOCK_FILE)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600)
      try {
        writeSync(fd, `${pid}\n`)
      } finally {
        closeSync(fd)
      }
      let released = false
      return () => {
        if (released) return
        released = true
        if (lockHolder(dataDir) === pid) rmSync(file, { force: true })
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const holder = lockHolder(dataDir)
      if (holder !== null && processRuns(holder)) throw new DataDirLockedError(dataDir, holder)
      // Stale (its process is gone) or half-written by a process killed while writing it.
      rmSync(file, { force: true })
    }
  }
  throw new DataDirLockedError(dataDir, lockHolder(dataDir) ?? 0)
}
