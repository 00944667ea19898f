// Applies the committed migrations in drizzle/ at start-up. On Postgres several instances may start
// at once, so the run is serialized by a session advisory lock held on a dedicated connection.
// Most starts have nothing to apply: one query first tells whether the database is behind the bundled
// journal, and only then are drizzle's migrator loaded and run (its checks, its file reading and its
// schema and table "if not exists" statements were ~0.3 s of a later start on the embedded database).
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
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

/**
 * Whether drizzle's migrator would apply anything. It applies every migration of the journal whose
 * `when` is later than the `created_at` of the newest row in drizzle.__drizzle_migrations (it stores
 * each migration's `when` there), or all of them when that table is empty or missing: the same test
 * here, so a database migrated by an older build (its newest row older than the journal's newest
 * migration) is found behind and migrated, and one migrated by this or a newer build is left alone.
 */
export async function migrationsPending(database: Database): Promise<boolean> {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] }
  const newest = Math.max(...journal.entries.map((e) => e.when))
  let rows: { created_at: unknown }[]
  try {
    // Raw SQL: drizzle's own bookkeeping table is no table of our schema (db/schema.ts).
    // Both drivers answer with `rows` (node-postgres' QueryResult, PGlite's Results).
    const result = (await database.db.execute(sql`select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`)) as { rows: { created_at: unknown }[] }
    rows = result.rows
  } catch (err) {
    // A new database: no schema "drizzle" (3F000) or no table in it yet (42P01). Anything else is
    // an infrastructure error and stops the start.
    const code = ((err as { cause?: { code?: unknown } }).cause ?? (err as { code?: unknown })).code
    if (code === '3F000' || code === '42P01') return true
    throw err
  }
  return !(rows[0] && Number(rows[0].created_at) >= newest)
}

export async function runMigrations(database: Database): Promise<void> {
  if (!(await migrationsPending(database))) return
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
