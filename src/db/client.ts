// The database handle, on either driver: PGlite (Postgres compiled to WASM, persisted under the data
// directory) when no DATABASE_URL is set, a node-postgres pool when it is. Everything above this file
// sees one drizzle type and writes the same SQL for both.
//
// Only PGlite and the lock are loaded with this module: drizzle, the tables and the Postgres driver are
// imported once PGlite has started opening, so that its start (WebAssembly compiled off the main
// thread) overlaps with loading them — the server's start-up order (server.ts).
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import type pg from 'pg'
import { lockDataDir } from './data-dir-lock.js'
import type * as schema from './schema.js'

export type Schema = typeof schema
/** A connection or a transaction: query functions take this first and never open a transaction. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>

export type DatabaseOptions =
  | {
      kind: 'pglite'
      dataDir?: string
      loadDataDir?: Blob
      /**
       * Called with the database directory (DATA_DIR/pgdata) once the data directory is locked and before
       * PGlite opens it: the server fills a new one from the build's template (db/template.ts).
       */
      beforeOpen?: (pgdata: string) => Promise<unknown>
    }
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
  /**
   * Who hears of a lost connection (the app logs it): replaces the listener given to openDatabase.
   * Each loss is reported once, as its message and code only.
   */
  onConnectionLost(listener: (loss: ConnectionLoss) => void): void
}

/** What is reported of a lost connection: never the client object (connection parameters, type tables). */
export interface ConnectionLoss {
  message: string
  code: string | undefined
}

export function connectionLoss(err: unknown): ConnectionLoss {
  const e = err as { message?: unknown; code?: unknown } | null
  return { message: typeof e?.message === 'string' ? e.message : String(err), code: typeof e?.code === 'string' ? e.code : undefined }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} timed out after ${ms} ms`), { code: 'ETIMEDOUT' })), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

export async function openDatabase(options: DatabaseOptions, onConnectionLost?: (loss: ConnectionLoss) => void): Promise<Database> {
  let listener = onConnectionLost ?? (() => undefined)
  if (options.kind === 'pglite') {
    let client: PGlite
    let unlock = () => {}
    const drizzleModules = () => Promise.all([import('drizzle-orm/pglite'), import('./schema.js')])
    let loading: ReturnType<typeof drizzleModules>
    if (options.dataDir) {
      const dataDir = path.resolve(options.dataDir)
      const dir = path.join(dataDir, 'pgdata')
      await mkdir(dir, { recursive: true, mode: 0o700 })
      unlock = lockDataDir(dataDir)
      try {
        await options.beforeOpen?.(dir)
        const creating = PGlite.create(dir)
        loading = drizzleModules()
        loading.catch(() => undefined) // awaited below, unless opening failed first
        client = await creating
      } catch (err) {
        unlock()
        throw err
      }
    } else {
      const creating = PGlite.create(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {})
      loading = drizzleModules()
      client = await creating
    }
    const [{ drizzle: drizzlePglite }, schema] = await loading
    const db = drizzlePglite(client, { schema }) as unknown as Db
    return {
      db,
      kind: 'pglite',
      pglite: client,
      ping: async (ms = 2000) => {
        await withTimeout(client.query('select 1'), ms, 'database ping')
      },
      close: async () => {
        try {
          if (!client.closed) await client.close()
        } finally {
          unlock()
        }
      },
      // In-process: there is no connection to lose.
      onConnectionLost: () => undefined,
    }
  }
  const [{ default: pg }, { drizzle: drizzlePg }, { sql }, schema] = await Promise.all([import('pg'), import('drizzle-orm/node-postgres'), import('drizzle-orm'), import('./schema.js')])
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
  })
  // A client whose server went away emits 'error'; with no listener Node ends the process. The pool
  // listens on idle clients only and removes its listener while a client is checked out (a
  // transaction in flight), so every client gets one of its own for its whole life: the query in
  // flight fails (the request answers 503), the client is discarded, the process lives on.
  // (pg-pool 3.x: makeIdleListener / _acquireClient remove and restore it; the same fix in
  // mastra-ai/mastra#21765.)
  //
  // A checked-out client whose connection died is also handed back to the pool at once, as broken:
  // drizzle's transaction() sends BEGIN before its try/finally, so a connection lost during BEGIN
  // would otherwise never be released, and each such loss would shrink the pool for good.
  const checkedOut = new Set<pg.PoolClient>()
  pool.on('acquire', (client) => checkedOut.add(client))
  pool.on('release', (_err, client) => checkedOut.delete(client))
  pool.on('connect', (client) => {
    let reported = false
    client.on('error', (err) => {
      if (reported) return
      reported = true
      listener(connectionLoss(err))
      const poolClient = client as pg.PoolClient
      if (checkedOut.has(poolClient)) {
        const release = poolClient.release
        // Its holder still calls release() in its finally; that second call must not throw.
        poolClient.release = () => undefined
        release(err)
      }
    })
  })
  // The pool re-emits an idle client's error (with the client attached): already reported above.
  pool.on('error', () => undefined)
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
    onConnectionLost: (next) => {
      listener = next
    },
  }
}
