// Backups that restore. The embedded database: a gzipped tar of PGlite's data directory, taken while
// no transaction is open (PGlite's transaction mutex is held, so a write either is in the copy whole
// or not at all) after a CHECKPOINT. A real Postgres: `pg_dump --format=custom` (a consistent
// snapshot while the API keeps running), restored with `pg_restore`. Files are written under a
// temporary name and renamed, so a backup directory never holds half a backup; retention keeps the
// newest N.
import { execFile } from 'node:child_process'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import type { Database } from './client.js'
import { lockDataDir } from './data-dir-lock.js'

const run = promisify(execFile)

export const backupPattern = /^gongkai-\d{8}T\d{6}(\d{3})?Z\.(tar\.gz|dump)$/

/** `gongkai-20260302T020000123Z.tar.gz` (embedded) or `.dump` (Postgres): sortable by name. */
export function backupFileName(kind: Database['kind'], now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '')
  return `gongkai-${stamp}.${kind === 'pglite' ? 'tar.gz' : 'dump'}`
}

/**
 * Runs a Postgres client program (pg_dump, pg_restore): from PATH, else from the newest
 * /usr/lib/postgresql/<major>/bin (Debian's layout). The program must not be older than the server.
 */
async function runPostgresProgram(name: 'pg_dump' | 'pg_restore', args: string[]): Promise<void> {
  const options = { maxBuffer: 16 * 1024 * 1024 }
  try {
    await run(name, args, options)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    const majors = await readdir('/usr/lib/postgresql').catch(() => [] as string[])
    const newest = majors.filter((m) => /^\d+$/.test(m)).sort((a, b) => Number(b) - Number(a))[0]
    if (!newest) throw new Error(`${name} was not found; install the PostgreSQL client programs`)
    await run(`/usr/lib/postgresql/${newest}/bin/${name}`, args, options)
  }
}

/** Writes one backup of `database` into `dir`; returns its path. `databaseUrl` is needed on Postgres. */
export async function writeBackup(database: Pick<Database, 'kind' | 'pglite'>, dir: string, now: Date, databaseUrl?: string | null): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const file = path.join(dir, backupFileName(database.kind, now))
  const partial = `${file}.partial`
  try {
    if (database.kind === 'pglite') {
      const pglite = database.pglite!
      // Inside a (read-only, empty) transaction: PGlite runs one at a time, so no write is half done
      // while the files are copied; the CHECKPOINT puts everything committed into the data files.
      const dump = await pglite.transaction(async (tx) => {
        await tx.query('CHECKPOINT')
        return pglite.dumpDataDir('gzip')
      })
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 })
    } else {
      if (!databaseUrl) throw new Error('a Postgres backup needs the database URL')
      await runPostgresProgram('pg_dump', ['--format=custom', '--no-owner', '--file', partial, '--dbname', databaseUrl])
    }
    await rename(partial, file)
    return file
  } catch (err) {
    await rm(partial, { force: true })
    throw err
  }
}

/** Keeps the newest `keep` backups in `dir` (by name, which sorts by time); returns the removed ones. */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => backupPattern.test(n)).sort()
  const removed = names.slice(0, Math.max(0, names.length - keep)).map((n) => path.join(dir, n))
  for (const file of removed) await rm(file, { force: true })
  return removed
}

export class RestoreRefused extends Error {
  override name = 'RestoreRefused'
}

/**
 * Restores a backup into a fresh place: an embedded data directory that holds no database yet, or a
 * Postgres database (its objects are replaced: `pg_restore --clean --if-exists`).
 */
export async function restoreBackup(file: string, target: { dataDir: string } | { databaseUrl: string }): Promise<void> {
  if ('dataDir' in target) {
    if (!file.endsWith('.tar.gz')) throw new RestoreRefused(`${file} is not an embedded-database backup (.tar.gz)`)
    const dataDir = path.resolve(target.dataDir)
    const pgdata = path.join(dataDir, 'pgdata')
    if ((await readdir(pgdata).catch(() => [])).length) throw new RestoreRefused(`${pgdata} already holds a database; restore into an empty data directory (move the old one aside first)`)
    await mkdir(pgdata, { recursive: true, mode: 0o700 })
    const unlock = lockDataDir(dataDir)
    try {
      const pglite = await PGlite.create({ dataDir: pgdata, loadDataDir: new Blob([await readFile(file)]) })
      await pglite.close()
    } finally {
      unlock()
    }
    return
  }
  if (!file.endsWith('.dump')) throw new RestoreRefused(`${file} is not a Postgres backup (.dump)`)
  await runPostgresProgram('pg_restore', ['--clean', '--if-exists', '--no-owner', '--exit-on-error', '--dbname', target.databaseUrl, file])
}
