// The database handle, on either driver: PGlite (Postgres compiled to WASM, persisted under the data
// directory) when no DATABASE_URL is set, a node-postgres pool when it is. Everything above this file
// sees one drizzle type and writes the same SQL for both.
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import pg from 'pg'
import * as schema from './schema.js'

export type Schema = typeof schema
/** A connection or a transaction: query functions take this first and never open a transaction. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>

export type DatabaseOptions =
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob }
  | { kind: 'postgres'; url: string; poolSize?: number }

export interface Database {
  db: Db
  kind: 'pglite' | 'postgres'
  /** Resolves when the database answers; rejects (or times out) otherwise. */
  ping(timeoutMs?: number): Promise<void>
  close(): Promise<void>
  /** The underlying PGlite, for dumping a migrated database in test setup. */
  pglite?: PGlite
  /** The underlying pool, for migration locks. */
  pool?: pg.Pool
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} timed out after ${ms} ms`), { code: 'ETIMEDOUT' })), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

export async function openDatabase(options: DatabaseOptions, onPoolError?: (err: Error) => void): Promise<Database> {
  if (options.kind === 'pglite') {
    let client: PGlite
    if (options.dataDir) {
      const dir = path.resolve(options.dataDir, 'pgdata')
      await mkdir(dir, { recursive: true, mode: 0o700 })
      client = await PGlite.create(dir)
    } else {
      client = await PGlite.create(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {})
    }
    const db = drizzlePglite(client, { schema }) as unknown as Db
    return {
      db,
      kind: 'pglite',
      pglite: client,
      ping: async (ms = 2000) => {
        await withTimeout(client.query('select 1'), ms, 'database ping')
      },
      close: async () => {
        if (!client.closed) await client.close()
      },
    }
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
  })
  // An idle client whose server went away emits 'error' on the pool; unhandled, it would end the process.
  pool.on('error', (err) => onPoolError?.(err))
  const db = drizzlePg(pool, { schema }) as unknown as Db
  return {
    db,
    kind: 'postgres',
    pool,
    ping: async (ms = 2000) => {
      await withTimeout(db.execute(sql`select 1`), ms, 'database ping')
    },
    close: async () => {
      if (!pool.ended) await pool.end()
    },
  }
}
