// Backups taken by the running server: every BACKUP_EVERY (with BACKUP_KEEP kept), and on demand when
// the process receives SIGUSR2 — which is how `npm run backup` gets a consistent copy of an embedded
// database that this process holds open (PGlite has one user at a time). One backup at a time; a
// failure is logged and the next one is tried at its time.
import path from 'node:path'
import type { Config } from '../config.js'
import { pruneBackups, writeBackup } from './backup.js'
import type { Database } from './client.js'

/** Where backups go: BACKUP_DIR, or `backups` under the data directory of the embedded database. */
export function backupDirOf(config: Pick<Config, 'backupDir' | 'dataDir'>): string {
  return path.resolve(config.backupDir ?? path.join(config.dataDir, 'backups'))
}

export interface BackupLog {
  info(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

export function scheduleBackups(database: Database, config: Config, log: BackupLog, now: () => Date = () => new Date()) {
  const dir = backupDirOf(config)
  let running: Promise<string | null> | null = null
  const backup = (reason: string): Promise<string | null> => {
    running ??= (async () => {
      const started = Date.now()
      try {
        const file = await writeBackup(database, dir, now(), config.databaseUrl)
        const removed = await pruneBackups(dir, config.backupKeep)
        log.info({ backup: { file, reason, ms: Date.now() - started, removed: removed.length } }, 'backup written')
        return file
      } catch (err) {
        log.error({ backup: { reason, message: (err as Error).message } }, 'backup failed')
        return null
      } finally {
        running = null
      }
    })()
    return running
  }
  const timer = config.backupEveryMinutes > 0 ? setInterval(() => void backup('scheduled'), config.backupEveryMinutes * 60_000) : null
  timer?.unref()
  const onSignal = () => void backup('requested (SIGUSR2)')
  // Asked for by `npm run backup`: only where the server can write one without help (embedded, or BACKUP_DIR set).
  if (database.kind === 'pglite' || config.backupDir) process.on('SIGUSR2', onSignal)
  return {
    dir,
    backup,
    async stop() {
      if (timer) clearInterval(timer)
      process.off('SIGUSR2', onSignal)
      await running
    },
  }
}
