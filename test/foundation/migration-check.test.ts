// The start-up migration check (src/db/migrate.ts): one query tells whether drizzle's migrator would
// apply anything; only then does it run. On both drivers, on a database that is new, one that an older
// build migrated (every migration but the newest), and one that is current.
import { randomBytes } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import type { NodePgDatabase } from 'drizzle-orm/node-postgres'
import type { PgliteDatabase } from 'drizzle-orm/pglite'
import t, { type Test } from 'tap'
import { openDatabase, type Database } from '../../src/db/client.js'
import { migrationsFolder, migrationsPending, runMigrations } from '../../src/db/migrate.js'
import { adminQuery, databaseUrlFor, testDatabaseUrl } from '../helpers/databases.js'

/** An empty database (no migrations applied): in memory, or a new one on the test server. */
async function emptyDatabase(t: Test): Promise<Database> {
  if (!testDatabaseUrl) {
    const database = await openDatabase({ kind: 'pglite' })
    t.teardown(() => database.close())
    return database
  }
  const name = `gongkai_test_${randomBytes(6).toString('hex')}`
  await adminQuery(`CREATE DATABASE ${name}`)
  const database = await openDatabase({ kind: 'postgres', url: databaseUrlFor(name), poolSize: 2 })
  t.teardown(async () => {
    await database.close().catch(() => undefined)
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  })
  return database
}

interface Journal {
  entries: { tag: string; when: number }[]
}

/** What an older build did: drizzle's migrator over the committed migrations but the newest. */
async function migrateAsOlderBuild(t: Test, database: Database, journal: Journal): Promise<void> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'gongkai-older-migrations-'))
  t.teardown(() => rm(folder, { recursive: true, force: true }))
  const older = { ...journal, entries: journal.entries.slice(0, -1) }
  await mkdir(path.join(folder, 'meta'))
  await writeFile(path.join(folder, 'meta', '_journal.json'), JSON.stringify(older))
  for (const { tag } of older.entries) await copyFile(path.join(migrationsFolder, `${tag}.sql`), path.join(folder, `${tag}.sql`))
  if (database.kind === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator')
    await migrate(database.db as unknown as PgliteDatabase, { migrationsFolder: folder })
  } else {
    const { migrate } = await import('drizzle-orm/node-postgres/migrator')
    await migrate(database.db as unknown as NodePgDatabase, { migrationsFolder: folder })
  }
}

async function applied(database: Database): Promise<number[]> {
  const result = (await database.db.execute(sql`select created_at from drizzle.__drizzle_migrations order by created_at`)) as { rows: { created_at: unknown }[] }
  return result.rows.map((r) => Number(r.created_at))
}

t.test('a database behind the bundled journal is found behind and migrated; a current one is left alone', async (t) => {
  const journal = JSON.parse(await readFile(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as Journal
  t.ok(journal.entries.length >= 2, 'the test needs an older build to have had fewer migrations')
  const database = await emptyDatabase(t)

  t.equal(await migrationsPending(database), true, 'a new database (no schema "drizzle") is behind')
  await database.db.execute(sql`create schema drizzle`)
  t.equal(await migrationsPending(database), true, 'a schema "drizzle" without the table is behind')

  await migrateAsOlderBuild(t, database, journal)
  t.same(await applied(database), journal.entries.slice(0, -1).map((e) => e.when), 'the older build applied all but the newest')
  t.equal(await migrationsPending(database), true, 'migrated by an older build: behind')

  await runMigrations(database)
  t.same(await applied(database), journal.entries.map((e) => e.when), 'the newest migration is applied, once')
  t.equal(await migrationsPending(database), false, 'current: nothing to apply')

  await runMigrations(database)
  t.equal((await applied(database)).length, journal.entries.length, 'a second run applies nothing')
})

t.test('an error other than a missing schema or table stops the check', async (t) => {
  const database = await emptyDatabase(t)
  await database.close()
  await t.rejects(migrationsPending(database), 'a closed database is no "nothing migrated yet"')
})
