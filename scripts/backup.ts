// npm run backup — one backup now, into BACKUP_DIR (default: DATA_DIR/backups), with the same settings
// as the server.
// - Postgres (DATABASE_URL): pg_dump --format=custom, while the API keeps running.
// - The embedded database, server running: PGlite has one user at a time, so this asks the server
//   (SIGUSR2 to the pid in the data directory's lock file) and waits for the file it writes.
// - The embedded database, server stopped: opens the data directory itself and copies it.
// Prints the backup's path; exits non-zero on failure.
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { ConfigError, loadConfig } from '../src/config.js'
import { backupPattern, pruneBackups, writeBackup } from '../src/db/backup.js'
import { backupDirOf } from '../src/db/backup-schedule.js'
import { openDatabase } from '../src/db/client.js'
import { lockHolder, processRuns } from '../src/db/data-dir-lock.js'

const backups = async (dir: string) => new Set((await readdir(dir).catch(() => [] as string[])).filter((n) => backupPattern.test(n)))

async function main(): Promise<string> {
  const config = loadConfig()
  const dir = backupDirOf(config)
  if (config.databaseUrl) return writeBackup({ kind: 'postgres' }, dir, new Date(), config.databaseUrl)
  const dataDir = path.resolve(config.dataDir)
  const holder = lockHolder(dataDir)
  if (holder !== null && processRuns(holder)) {
    const before = await backups(dir)
    process.kill(holder, 'SIGUSR2')
    for (const deadline = Date.now() + 10 * 60_000; Date.now() < deadline; ) {
      await sleep(200)
      const added = [...(await backups(dir))].filter((n) => !before.has(n)).sort()
      if (added.length) return path.join(dir, added.at(-1)!)
    }
    throw new Error(`the server (pid ${holder}) wrote no backup into ${dir} within 10 minutes; see its log (is its BACKUP_DIR the same as here?)`)
  }
  const database = await openDatabase({ kind: 'pglite', dataDir })
  try {
    const file = await writeBackup(database, dir, new Date())
    await pruneBackups(dir, config.backupKeep)
    return file
  } finally {
    await database.close()
  }
}

main().then(
  (file) => console.log(file),
  (err) => {
    console.error(`backup: ${err instanceof ConfigError ? `invalid setting: ${err.message}` : (err as Error).message}`)
    process.exit(1)
  },
)
