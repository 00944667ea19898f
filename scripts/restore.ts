// npm run restore -- --file <backup> — restores a backup written by `npm run backup` (or the server's
// scheduled backups):
// - a .tar.gz (embedded database) into DATA_DIR (or --data-dir), which must hold no database yet:
//   stop the server, move the old data directory aside, restore, start the server;
// - a .dump (Postgres) into DATABASE_URL (or --database-url) with pg_restore --clean --if-exists;
//   this replaces what that database holds, so it needs --replace.
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../src/config.js'
import { restoreBackup } from '../src/db/backup.js'

async function main() {
  const { values } = parseArgs({ options: { file: { type: 'string' }, 'data-dir': { type: 'string' }, 'database-url': { type: 'string' }, replace: { type: 'boolean', default: false } } })
  if (!values.file) throw new Error('usage: npm run restore -- --file <backup> [--data-dir DIR | --database-url URL --replace]')
  const config = loadConfig()
  const databaseUrl = values['database-url'] ?? (values['data-dir'] ? null : config.databaseUrl)
  if (databaseUrl) {
    if (!values.replace) throw new Error('restoring into a Postgres database replaces what it holds; add --replace to go ahead')
    await restoreBackup(values.file, { databaseUrl })
    return `restored ${values.file} into the Postgres database`
  }
  const dataDir = values['data-dir'] ?? config.dataDir
  await restoreBackup(values.file, { dataDir })
  return `restored ${values.file} into ${dataDir}; start the server with DATA_DIR=${dataDir}`
}

main().then(
  (message) => console.log(message),
  (err) => {
    console.error(`restore: ${err instanceof ConfigError ? `invalid setting: ${err.message}` : (err as Error).message}`)
    process.exit(1)
  },
)
