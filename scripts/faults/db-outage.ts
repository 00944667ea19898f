// The database stopped under a steady write load, again and again: a throwaway Postgres 15 cluster,
// the bundled server as a real process on it, several writers (bulk item upserts with an
// Idempotency-Key, retried with the same key until acknowledged; posts, never retried), and N
// outages (`pg_ctl stop -m fast`, a few seconds down, `pg_ctl start`). Checked: the server process
// never exits; every response is a 2xx or a 503 problem with Retry-After (never a 4xx, never a 500);
// it is ready again without a restart; every acknowledged write is in the database afterwards, none
// twice; the audit chain verifies.
//
//   npx tsx scripts/faults/db-outage.ts [--rounds 10] [--writers 4] [--up 3] [--down 4]
//
// Exits non-zero when a check fails. test/faults/db-outage.test.ts runs a short version in CI.
import { mkdtemp, rm } from 'node:fs/promises'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { adminPassword, auditVerifies, buildServer, clusterControl, createPostgresAdmin, faultItem, passwordToken, postJson, root, startPostgres, startServer } from './support.js'

export interface OutageOptions {
  rounds: number
  writers: number
  /** Seconds of normal operation before each outage. */
  upSeconds: number
  /** Seconds the database stays stopped. */
  downSeconds: number
  log?: (line: string) => void
}

export interface OutageReport {
  rounds: number
  writers: number
  acknowledged: { items: number; posts: number }
  lost: { items: string[]; posts: string[] }
  duplicated: { items: string[]; posts: string[] }
  /** 503 problems with Retry-After, by when they came. */
  unavailable: { duringOutage: number; otherwise: number }
  replayed: number
  /** Responses that were neither 2xx nor a proper 503 problem (must be none). */
  anomalies: string[]
  /** Milliseconds from `pg_ctl start` returning to /readyz answering 200, per round. */
  recoveryMs: number[]
  processExited: boolean
  auditChainValid: boolean
}

export async function runOutages(options: OutageOptions): Promise<OutageReport> {
  const log = options.log ?? ((line: string) => console.log(line))
  const settings = { fsync: 'off', synchronous_commit: 'on', full_page_writes: 'off' }
  const cluster = await startPostgres({ settings })
  const outdir = await mkdtemp(path.join(root, 'node_modules/.cache/gongkai-outage-'))
  const control = clusterControl(cluster, settings)
  const report: OutageReport = {
    rounds: options.rounds,
    writers: options.writers,
    acknowledged: { items: 0, posts: 0 },
    lost: { items: [], posts: [] },
    duplicated: { items: [], posts: [] },
    unavailable: { duringOutage: 0, otherwise: 0 },
    replayed: 0,
    anomalies: [],
    recoveryMs: [],
    processExited: false,
    auditChainValid: false,
  }
  let server
  try {
    const entry = buildServer(outdir)
    server = await startServer({ entry, databaseUrl: cluster.url })
    await createPostgresAdmin(cluster.url)
    const token = await passwordToken(server.url, 'admin', adminPassword)
    const url = server.url
    let down = false
    let stopping = false
    const ackedItems: string[] = []
    const ackedPosts: string[] = []

    /** Classifies a response; returns true when acknowledged. */
    const judge = async (res: Response, what: string): Promise<boolean> => {
      if (res.status >= 200 && res.status < 300) return true
      const body = await res.text()
      if (res.status === 503 && /^application\/problem\+json/.test(res.headers.get('content-type') ?? '') && res.headers.get('retry-after')) {
        if (down) report.unavailable.duringOutage++
        else report.unavailable.otherwise++
        return false
      }
      report.anomalies.push(`${what}: ${res.status} ${body.slice(0, 300)}${down ? ' (during an outage)' : ''}`)
      return false
    }
    const send = async (what: string, call: () => Promise<Response>): Promise<Response | null> => {
      try {
        return await call()
      } catch (err) {
        if (server!.child.exitCode !== null || server!.child.signalCode !== null) report.processExited = true
        else report.anomalies.push(`${what}: no response (${(err as Error).message})`)
        return null
      }
    }

    const writer = async (w: number) => {
      for (let n = 0; !stopping; n++) {
        if (report.processExited) return
        if (n % 2 === 0) {
          // An item, through the bulk upsert with an Idempotency-Key: retried with the same key until acknowledged.
          const key = `disaster_relief.outage_w${w}_${n}`
          const idempotencyKey = `outage-${w}-${n}`
          for (;;) {
            const res = await send(key, () => postJson(`${url}/v1/items/bulk?mode=upsert`, [faultItem(key, '故障演练')], token, { 'idempotency-key': idempotencyKey }))
            if (!res) return
            if (await judge(res, `POST /v1/items/bulk ${key}`)) {
              if (res.headers.get('idempotent-replayed') === 'true') report.replayed++
              ackedItems.push(key)
              break
            }
            if (res.status !== 503 || report.processExited) break
            await sleep(100)
          }
        } else {
          // A post: no Idempotency-Key on this operation, so a 503 is not retried (it may or may not have been written).
          const title = `故障演练 writer ${w} post ${n}`
          const res = await send(title, () => postJson(`${url}/v1/posts`, { departmentCode: 'civil_affairs', category: 'progress', title }, token))
          if (!res) return
          if (await judge(res, `POST /v1/posts ${title}`)) ackedPosts.push(((await res.json()) as { id: string }).id)
          else await sleep(100)
        }
      }
    }
    const writers = Array.from({ length: options.writers }, (_, w) => writer(w))

    for (let round = 1; round <= options.rounds && !report.processExited; round++) {
      await sleep(options.upSeconds * 1000)
      const before = ackedItems.length + ackedPosts.length
      down = true
      control.stop('fast')
      await sleep(options.downSeconds * 1000)
      control.start()
      const started = Date.now()
      // Ready again by itself: /readyz answers 200 without the server being restarted.
      for (;;) {
        const res = await send('GET /readyz', () => fetch(`${url}/readyz`))
        if (!res) break
        await res.arrayBuffer()
        if (res.status === 200) break
        if (Date.now() - started > 30_000) {
          report.anomalies.push(`round ${round}: not ready 30 s after the database came back`)
          break
        }
        await sleep(50)
      }
      report.recoveryMs.push(Date.now() - started)
      down = false
      if (server.child.exitCode !== null || server.child.signalCode !== null) report.processExited = true
      log(`round ${round}: database down ${options.downSeconds} s; ready again ${report.recoveryMs.at(-1)} ms after it came back; acknowledged so far ${ackedItems.length} items, ${ackedPosts.length} posts (+${ackedItems.length + ackedPosts.length - before} since the outage began); 503 so far ${report.unavailable.duringOutage + report.unavailable.otherwise}; anomalies ${report.anomalies.length}`)
    }
    await sleep(options.upSeconds * 1000)
    stopping = true
    await Promise.all(writers)
    report.acknowledged = { items: ackedItems.length, posts: ackedPosts.length }

    // What the database holds, read directly.
    const client = new pg.Client({ connectionString: cluster.url })
    await client.connect()
    try {
      const items = new Set((await client.query<{ key: string }>("select key from catalog_items where key like 'disaster_relief.outage_%'")).rows.map((r) => r.key))
      report.lost.items = ackedItems.filter((k) => !items.has(k))
      report.duplicated.items = (
        await client.query<{ key: string }>("select details->>'key' as key from audit_log where action = 'item.create' and details->>'key' like 'disaster_relief.outage_%' group by 1 having count(*) > 1")
      ).rows.map((r) => r.key)
      const posts = new Set((await client.query<{ id: string }>('select id::text as id from posts')).rows.map((r) => r.id))
      report.lost.posts = ackedPosts.filter((id) => !posts.has(id))
      report.duplicated.posts = (await client.query<{ title: string }>('select title from posts group by title having count(*) > 1')).rows.map((r) => r.title)
    } finally {
      await client.end()
    }
    report.auditChainValid = (await auditVerifies(url, await passwordToken(url, 'admin', adminPassword))).ok
    if (server.child.exitCode !== null || server.child.signalCode !== null) report.processExited = true
    return report
  } finally {
    await server?.stop().catch(() => undefined)
    await cluster.stop()
    await rm(outdir, { recursive: true, force: true })
  }
}

export function outageFailures(report: OutageReport): string[] {
  const failures: string[] = []
  if (report.processExited) failures.push('the server process exited')
  if (report.lost.items.length || report.lost.posts.length) failures.push(`acknowledged writes lost: ${[...report.lost.items, ...report.lost.posts].join(', ')}`)
  if (report.duplicated.items.length || report.duplicated.posts.length) failures.push(`writes duplicated: ${[...report.duplicated.items, ...report.duplicated.posts].join(', ')}`)
  if (report.anomalies.length) failures.push(`${report.anomalies.length} responses neither 2xx nor a 503 problem:\n  ${report.anomalies.slice(0, 20).join('\n  ')}`)
  if (!report.auditChainValid) failures.push('the audit chain does not verify')
  if (report.unavailable.duringOutage === 0) failures.push('no 503 seen during the outages (did the writers run?)')
  return failures
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { rounds: { type: 'string', default: '10' }, writers: { type: 'string', default: '4' }, up: { type: 'string', default: '3' }, down: { type: 'string', default: '4' } },
  })
  const report = await runOutages({ rounds: Number(values.rounds), writers: Number(values.writers), upSeconds: Number(values.up), downSeconds: Number(values.down) })
  const { lost, duplicated, ...shown } = report
  console.log(JSON.stringify({ ...shown, lost: { items: lost.items.length, posts: lost.posts.length }, duplicated: { items: duplicated.items.length, posts: duplicated.posts.length } }, null, 2))
  const failures = outageFailures(report)
  if (failures.length) {
    console.error(`FAILED:\n- ${failures.join('\n- ')}`)
    process.exit(1)
  }
  console.log(`passed: ${report.rounds} outages, ${report.acknowledged.items + report.acknowledged.posts} acknowledged writes, 0 lost, 0 duplicated, ${report.unavailable.duringOutage + report.unavailable.otherwise} × 503`)
}
