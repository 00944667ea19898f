// kill -9 of the server in the middle of a 10,000-item bulk import, at several moments, on the
// embedded database or on Postgres: after each kill the server starts again on the same data (a
// stale data-directory lock is taken over), the import is all-or-nothing (the database holds none of
// its items or all of them), and the audit chain verifies.
//
//   npx tsx scripts/faults/kill-import.ts [--database pglite|postgres] [--items 10000] [--at 0.1,0.4,0.7,0.95,1.3]
//
// `--at` are the moments of the kills, as fractions of the time a whole import took (measured first,
// on an import that is not killed; past 1 the kill comes after the answer, and all items must be
// there). Exits non-zero when a check fails; test/faults/kill-import.test.ts
// runs it in CI.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { adminPassword, auditVerifies, buildServer, createPostgresAdmin, faultItem, firstAdminToken, passwordToken, postJson, root, startPostgres, startServer, type PostgresCluster, type ServerProcess } from './support.js'

export interface KillImportOptions {
  database: 'pglite' | 'postgres'
  items: number
  /** Moments of the kills, as fractions of a whole import's duration. */
  at: number[]
  log?: (line: string) => void
}

export interface KillRound {
  at: number
  killedAfterMs: number
  /** The import's response arrived before the kill (then all its items must be there). */
  answeredBeforeKill: boolean
  itemsFound: number
  allOrNothing: boolean
  restarted: boolean
  auditChainValid: boolean
}

export interface KillImportReport {
  database: 'pglite' | 'postgres'
  items: number
  importMs: number
  rounds: KillRound[]
  /** An import after the last kill, acknowledged, with all its items. */
  importAfterwards: boolean
}

const itemsFor = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => faultItem(`disaster_relief.${prefix}_${i}`, '故障演练'))

export async function runKillImport(options: KillImportOptions): Promise<KillImportReport> {
  const log = options.log ?? ((line: string) => console.log(line))
  const outdir = await mkdtemp(path.join(root, 'node_modules/.cache/gongkai-kill-'))
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gongkai-kill-data-'))
  let cluster: PostgresCluster | undefined
  let server: ServerProcess | undefined
  try {
    const entry = buildServer(outdir)
    if (options.database === 'postgres') cluster = await startPostgres()
    const start = () => startServer({ entry, ...(cluster ? { databaseUrl: cluster.url } : { dataDir }), env: { LOG_LEVEL: 'info' } })

    /** Items of one import found in the database (the server must be stopped on the embedded one). */
    const countItems = async (prefix: string): Promise<number> => {
      const query = `select count(*)::int as n from catalog_items where key like 'disaster_relief.${prefix}\\_%'`
      if (cluster) {
        const client = new pg.Client({ connectionString: cluster.url })
        await client.connect()
        try {
          return (await client.query<{ n: number }>(query)).rows[0]!.n
        } finally {
          await client.end()
        }
      }
      const { openDatabase } = await import('../../src/db/client.js')
      const database = await openDatabase({ kind: 'pglite', dataDir })
      try {
        return (await database.pglite!.query<{ n: number }>(query)).rows[0]!.n
      } finally {
        await database.close()
      }
    }

    server = await start()
    let token: string
    if (cluster) {
      await createPostgresAdmin(cluster.url)
      token = await passwordToken(server.url, 'admin', adminPassword)
    } else {
      token = await firstAdminToken(server)
    }
    const importItems = (prefix: string) => postJson(`${server!.url}/v1/items/bulk?mode=upsert`, itemsFor(prefix, options.items), token)

    // A whole import first, not killed: its duration places the kills.
    const t0 = Date.now()
    const reference = await importItems('kill_ref')
    const importMs = Date.now() - t0
    if (reference.status !== 200) throw new Error(`the reference import failed: ${reference.status} ${(await reference.text()).slice(0, 500)}`)
    log(`${options.database}: a whole import of ${options.items} items takes ${importMs} ms`)
    const report: KillImportReport = { database: options.database, items: options.items, importMs, rounds: [], importAfterwards: false }

    for (const [index, at] of options.at.entries()) {
      const prefix = `kill_${index}`
      let answered = false
      const sent = Date.now()
      const request = importItems(prefix).then(
        async (res) => {
          answered = res.status === 200
          await res.arrayBuffer()
        },
        () => undefined,
      )
      await sleep(Math.max(1, Math.round(at * importMs)))
      await server.kill9()
      const killedAfterMs = Date.now() - sent
      await request
      if (cluster) {
        // The killed server's transaction may still run on its backend until Postgres notices the client
        // is gone; it can never commit (COMMIT is never sent). Wait for it to end so the count is final.
        for (let i = 0; i < 200; i++) {
          const client = new pg.Client({ connectionString: cluster.url })
          await client.connect()
          const { rows } = await client.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = 'postgres' and state <> 'idle' and pid <> pg_backend_pid()")
          await client.end()
          if (rows[0]!.n === 0) break
          await sleep(50)
        }
      }
      const itemsFound = await countItems(prefix)
      const allOrNothing = answered ? itemsFound === options.items : itemsFound === 0 || itemsFound === options.items
      let restarted = false
      let auditChainValid = false
      try {
        server = await start()
        restarted = true
        token = await passwordToken(server.url, 'admin', adminPassword)
        auditChainValid = (await auditVerifies(server.url, token)).ok
      } catch (err) {
        log(`restart failed: ${(err as Error).message}`)
      }
      report.rounds.push({ at, killedAfterMs, answeredBeforeKill: answered, itemsFound, allOrNothing, restarted, auditChainValid })
      log(`${options.database}: killed ${killedAfterMs} ms into the import (${Math.round(at * 100)}%): ${itemsFound} of ${options.items} items in the database${answered ? ' (answered before the kill)' : ''}; restarted: ${restarted}; audit chain valid: ${auditChainValid}`)
      if (!restarted) return report
    }
    const after = await importItems('kill_after')
    await after.arrayBuffer()
    if (after.status === 200) {
      await server.stop()
      server = undefined
      report.importAfterwards = (await countItems('kill_after')) === options.items
    }
    return report
  } finally {
    await server?.stop().catch(() => undefined)
    await cluster?.stop()
    await rm(outdir, { recursive: true, force: true })
    await rm(dataDir, { recursive: true, force: true })
  }
}

export function killImportFailures(report: KillImportReport): string[] {
  const failures: string[] = []
  for (const r of report.rounds) {
    if (!r.allOrNothing) failures.push(`killed at ${r.killedAfterMs} ms: ${r.itemsFound} of ${report.items} items (neither none nor all)`)
    if (!r.restarted) failures.push(`killed at ${r.killedAfterMs} ms: the server did not start again`)
    if (!r.auditChainValid) failures.push(`killed at ${r.killedAfterMs} ms: the audit chain does not verify`)
  }
  if (!report.importAfterwards) failures.push('an import after the kills did not complete with all its items')
  return failures
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { database: { type: 'string', default: 'pglite' }, items: { type: 'string', default: '10000' }, at: { type: 'string', default: '0.1,0.4,0.7,0.95,1.3' } } })
  const report = await runKillImport({ database: values.database as 'pglite' | 'postgres', items: Number(values.items), at: values.at.split(',').map(Number) })
  console.log(JSON.stringify(report, null, 2))
  const failures = killImportFailures(report)
  if (failures.length) {
    console.error(`FAILED:\n- ${failures.join('\n- ')}`)
    process.exit(1)
  }
  console.log(`passed: ${report.rounds.length} kills during a ${report.items}-item import on ${report.database}, each all-or-nothing, restarted, audit chain valid`)
}
