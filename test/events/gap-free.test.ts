// Nothing lost, nothing phantom: concurrent writers with random transaction lengths, about one in ten
// rolled back, while a consumer tails the feed. The consumer must see every committed change exactly
// once, none from a rolled-back transaction, each entity's versions in increasing order. The same
// harness, pointed at a naive reader (an insert-time sequence read with `id > cursor`), must catch the
// gap that reader leaves — proof that the harness can fail.
import { sql } from 'drizzle-orm'
import t from 'tap'
import type { Db } from '../../src/db/client.js'
import { appendEvent } from '../../src/modules/events/outbox.js'
import { readFeed } from '../../src/modules/events/feed.js'
import { buildTestApp } from '../helpers/app.js'

const WRITERS = 8

interface Change {
  entity: string
  version: number
}

/** A deterministic generator, so a failing run can be replayed (seed in the message). */
function random(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let x = Math.imul(s ^ (s >>> 15), 1 | s)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

interface Harness {
  /** Writes one change inside `tx` (positioned however the design under test positions it). */
  write(tx: Db, change: Change): Promise<void>
  /** Everything after the cursor, in the reader's order, and the next cursor. */
  read(cursor: unknown): Promise<{ changes: Change[]; next: unknown }>
  start: unknown
}

/**
 * Runs the writers and one tailing consumer; returns what was committed, rolled back and seen.
 * Each transaction: some work, the change, some more work (random lengths), then commit or (≈10%)
 * roll back. Each writer owns one entity, whose version grows by one per committed change.
 */
async function run(db: Db, harness: Harness, perWriter: number, seed: number) {
  const rnd = random(seed)
  const committed: Change[] = []
  const rolledBack: Change[] = []
  const seen: Change[] = []
  let writing = true
  const pause = (tx: Db) => tx.execute(sql`select pg_sleep(${Math.floor(rnd() * 4) / 1000})`) // raw: a transaction of random length
  const writers = Array.from({ length: WRITERS }, async (_, w) => {
    let version = 0
    for (let i = 0; i < perWriter; i++) {
      const change = { entity: `w${w}`, version: version + 1 }
      const rollback = rnd() < 0.1
      try {
        await db.transaction(async (tx) => {
          await pause(tx)
          await harness.write(tx, change)
          await pause(tx)
          if (rollback) throw new Error('rollback')
        })
        version++
        committed.push(change)
      } catch (err) {
        if ((err as Error).message !== 'rollback') throw err
        rolledBack.push(change)
      }
    }
  })
  const consumer = (async () => {
    let cursor = harness.start
    for (;;) {
      const done = !writing
      const page = await harness.read(cursor)
      seen.push(...page.changes)
      cursor = page.next
      if (done && !page.changes.length) return
    }
  })()
  await Promise.all(writers)
  writing = false
  await consumer
  return { committed, rolledBack, seen }
}

/** What a consumer got wrong: changes missed, seen twice, phantom, or out of order per entity. */
function problems(r: { committed: Change[]; rolledBack: Change[]; seen: Change[] }): string[] {
  const key = (c: Change) => `${c.entity}@${c.version}`
  const out: string[] = []
  const seenCount = new Map<string, number>()
  for (const c of r.seen) seenCount.set(key(c), (seenCount.get(key(c)) ?? 0) + 1)
  const committed = new Set(r.committed.map(key))
  for (const c of r.committed) if (!seenCount.has(key(c))) out.push(`missed ${key(c)}`)
  for (const [k, n] of seenCount) {
    if (n > 1) out.push(`${k} seen ${n} times`)
    if (!committed.has(k)) out.push(`phantom ${k}`)
  }
  const last = new Map<string, number>()
  for (const c of r.seen) {
    if ((last.get(c.entity) ?? 0) >= c.version) out.push(`${c.entity} went from ${last.get(c.entity)} to ${c.version}`)
    last.set(c.entity, c.version)
  }
  return out
}

t.test('the feed: every committed change exactly once, none rolled back, in order per entity', async (t) => {
  const { app } = await buildTestApp(t)
  const ctx = { regionCode: app.config.defaultRegion, now: app.clock.now() }
  const perWriter = app.database.kind === 'postgres' ? 40 : 15
  const seed = Date.now() % 100_000
  const feed: Harness = {
    start: (await readFeed(app.db, { after: 'now', regionCode: ctx.regionCode, staff: true, limit: 1 })).nextCursor,
    write: (tx, c) => appendEvent(tx, ctx, { type: 'catalog.item.updated', data: { id: c.entity, version: c.version, url: `/v1/items/${c.entity}` } }),
    read: async (cursor) => {
      const page = await readFeed(app.db, { after: cursor as string, regionCode: ctx.regionCode, staff: true, limit: 50 })
      return { changes: page.items.map((e) => ({ entity: e.data.id as string, version: e.data.version as number })), next: page.nextCursor }
    },
  }
  const result = await run(app.db, feed, perWriter, seed)
  t.ok(result.rolledBack.length > 0, `some transactions rolled back (${result.rolledBack.length} of ${WRITERS * perWriter})`)
  t.same(problems(result), [], `seed ${seed}: ${result.committed.length} committed, ${result.seen.length} seen`)
})

t.test('the same harness catches a naive `id > cursor` reader skipping a late commit', { skip: process.env.TEST_DATABASE_URL ? false : 'PGlite runs one transaction at a time: a naive reader cannot skip there' }, async (t) => {
  const { app } = await buildTestApp(t)
  // An insert-time sequence, read by `id > cursor`: what Marten, emmett and Eventuous once shipped.
  await app.db.execute(sql`create table naive_events (id bigserial primary key, entity text not null, version int not null)`) // raw: a throwaway table of the test
  const naive: Harness = {
    start: 0,
    write: async (tx, c) => {
      await tx.execute(sql`insert into naive_events (entity, version) values (${c.entity}, ${c.version})`)
    },
    read: async (cursor) => {
      const result = (await app.db.execute(sql`select id, entity, version from naive_events where id > ${cursor as number} order by id limit 50`)) as unknown as { rows: { id: string; entity: string; version: number }[] }
      const rows = result.rows
      return { changes: rows.map((r) => ({ entity: r.entity, version: r.version })), next: rows.length ? Number(rows[rows.length - 1]!.id) : cursor }
    },
  }
  // A few rounds at most: each is a second or so, and the skip shows within the first almost always.
  let found: string[] = []
  for (let round = 0; round < 5 && !found.some((p) => p.startsWith('missed')); round++) found = problems(await run(app.db, naive, 40, round + 1))
  t.ok(found.some((p) => p.startsWith('missed')), `the naive reader missed committed changes: ${found.slice(0, 3).join('; ')}`)
})
