// Applies the committed migrations in drizzle/ at start-up. On Postgres several instances may start
// at once, so the run is serialized by a session advisory lock held on a dedicated connection.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { NodePgDatabase } from 'drizzle-orm/node-postgres'
import type { PgliteDatabase } from 'drizzle-orm/pglite'
import type { Database } from './client.js'

/**
 * drizzle/ at the top of the project: found by walking up from this module, which runs from src/db/
 * (tsx, tests) or from the compiled server in node_modules/.cache/gongkai/ (`npm start`).
 */
export const migrationsFolder = findMigrations(path.dirname(fileURLToPath(import.meta.url)))

function findMigrations(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'drizzle')
    if (existsSync(path.join(candidate, 'meta', '_journal.json'))) return candidate
    if (path.dirname(dir) === dir) throw new Error(`no drizzle/meta/_journal.json above ${from}`)
  }
}

// An arbitrary constant that names "gongkai migrations" among advisory locks.
const MIGRATION_LOCK = 7_330_202

export async function runMigrations(database: Database): Promise<void> {
  // The migrators are loaded when used: this module is imported at the very start of the server (the
  // template's fingerprint needs migrationsFolder), before the database has even started opening.
  if (database.kind === 'pglite') {
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator')
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder })
    return
  }
  const { migrate: migratePg } = await import('drizzle-orm/node-postgres/migrator')
  const lockClient = await database.pool!.connect()
  try {
    await lockClient.query('select pg_advisory_lock($1)', [MIGRATION_LOCK])
    await migratePg(database.db as unknown as NodePgDatabase, { migrationsFolder })
  } finally {
    await lockClient.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined)
    lockClient.release()
  }
}
