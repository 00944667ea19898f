// tap's `before` script: builds the migrated, seeded template that every test file copies.
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { loadConfig } from '../../src/config.js'
import { openDatabase } from '../../src/db/client.js'
import { runMigrations } from '../../src/db/migrate.js'
import { seedDatabase } from '../../src/db/seed.js'
import { adminQuery, databaseUrlFor, pgliteTemplatePath, postgresTemplateName, testDatabaseUrl } from './databases.js'

const config = loadConfig({})
if (testDatabaseUrl) {
  await adminQuery(`DROP DATABASE IF EXISTS ${postgresTemplateName} WITH (FORCE)`)
  await adminQuery(`CREATE DATABASE ${postgresTemplateName}`)
  const database = await openDatabase({ kind: 'postgres', url: databaseUrlFor(postgresTemplateName) })
  await runMigrations(database)
  await seedDatabase(database.db, config)
  await database.close()
  console.log(`# template database ${postgresTemplateName} ready`)
} else {
  const database = await openDatabase({ kind: 'pglite' })
  await runMigrations(database)
  await seedDatabase(database.db, config)
  const dump = await database.pglite!.dumpDataDir('gzip')
  await mkdir(path.dirname(pgliteTemplatePath), { recursive: true })
  await writeFile(pgliteTemplatePath, Buffer.from(await dump.arrayBuffer()))
  await database.close()
  console.log(`# PGlite template ready`)
}
