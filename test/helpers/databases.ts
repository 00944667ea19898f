// Fresh databases for tests, fast: migrations run once per test run (test/helpers/prepare.ts, tap's
// `before` script) into a template — a PGlite dump, or a Postgres template database — and every test
// file starts from a copy of it.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { openDatabase, type Database } from '../../src/db/client.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const pgliteTemplatePath = path.join(root, '.tap', 'gongkai-pglite-template.tar.gz')
export const postgresTemplateName = 'gongkai_test_template'

/** The server to run tests against, when set: a URL to any database on it (usually `postgres`). */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL || null

export function databaseUrlFor(name: string): string {
  const url = new URL(testDatabaseUrl!)
  url.pathname = `/${name}`
  return url.toString()
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl! })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

export interface TestDatabase {
  database: Database
  /** The URL of this test's own database on the real server (null on PGlite). */
  url: string | null
  drop(): Promise<void>
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDatabaseUrl) {
    const name = `gongkai_test_${randomBytes(6).toString('hex')}`
    await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${postgresTemplateName}`)
    const url = databaseUrlFor(name)
    const database = await openDatabase({ kind: 'postgres', url, poolSize: 10 })
    return {
      database,
      url,
      drop: async () => {
        await database.close().catch(() => undefined)
        await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      },
    }
  }
  const loadDataDir = existsSync(pgliteTemplatePath) ? new Blob([await readFile(pgliteTemplatePath)]) : undefined
  const database = await openDatabase(loadDataDir ? { kind: 'pglite', loadDataDir } : { kind: 'pglite' })
  return { database, url: null, drop: () => database.close() }
}
