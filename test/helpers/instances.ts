// Several API instances on one database, as behind a load balancer, and a count of the statements an
// instance sends to its database.
import type { Test } from 'tap'
import { buildApp, type App } from '../../src/app.js'
import { openDatabase } from '../../src/db/client.js'
import type { TestApp } from './app.js'

/**
 * Another instance on the database of `first`, sharing its clock (so a test moves both): on Postgres
 * its own pool; on PGlite the same embedded database (one process), which `first` closes.
 */
export async function secondInstance(t: Test, first: TestApp): Promise<App> {
  const database = first.databaseUrl
    ? await openDatabase({ kind: 'postgres', url: first.databaseUrl, poolSize: 4 })
    : { ...first.app.database, close: async () => undefined }
  const app = await buildApp(first.app.config, { database, clock: first.clock })
  t.teardown(() => app.close())
  return app
}

/** Counts the statements the app sends to its database from now on (either driver). */
export function countQueries(app: App): () => number {
  let count = 0
  const target = (app.database.pglite ?? app.database.pool) as unknown as Record<string, (...args: unknown[]) => unknown>
  for (const method of ['query', 'exec']) {
    const original = target[method]
    if (typeof original !== 'function') continue
    target[method] = function (this: unknown, ...args: unknown[]) {
      count++
      return original.apply(this, args)
    }
  }
  return () => count
}
