// Appending events to the outbox, inside the transaction of the change they announce: an event exists
// exactly when its change committed (nothing announced from a rolled-back transaction, nothing lost).
//
// Why positions are commit order (the feed's gap-free guarantee). A sequence value taken at insert is
// NOT commit order: a transaction holding position 7 can commit after one holding 8, and a reader that
// already moved past 8 (`position > cursor`) never sees 7. Here every writer takes its positions by
// bumping one counter row (`event_head`, `position = position + n`), and that row stays locked until
// the writer commits or rolls back. So:
//  - the next writer's bump waits for the previous writer to end, and (read committed re-reads the
//    row after the wait) continues from the committed value: a rolled-back writer's positions are
//    handed out again, a committed writer's never;
//  - a position p is handed out only after every holder of a position below p has committed, and
//    Postgres makes a commit visible before it releases the transaction's locks: when a reader sees
//    position p, every committed position below p is already visible to it.
// Reading `position > cursor` therefore never skips. The lock serializes only the tail of a write
// (from its first event to its commit); audited writers are serialized over the same span already by
// the audit chain's lock, which is taken first here so that every writer takes the two in one order
// (never the head row, then the audit lock: two writers doing that in opposite orders would deadlock).
// PGlite has one connection: transactions are serial there anyway, and the same code holds.
import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { RowWriter } from '../../db/many-rows.js'
import { AUDIT_LOCK } from '../audit/service.js'
import { eventHead, events } from './tables.js'
import { eventTypes, type EventType } from './types.js'

export interface NewEvent {
  type: Exclude<EventType, 'ping'>
  /** Thin data: `id`, `url`, usually `version`, and the routing fields `department` / `domain`. */
  data: { id: string; url: string; version?: number; department?: string | null; domain?: string | null } & Record<string, unknown>
  /** When it happened, if not the writing transaction's own time (a statutory boundary). */
  at?: Date
  /** Emit at most once per key (a period boundary): a second append with it is dropped. */
  onceKey?: string
}

/** The largest `data` an event may carry (the issue: thin, ≤ 2 KB). */
export const MAX_EVENT_DATA_BYTES = 2048

/** The LISTEN/NOTIFY channel a committed event is announced on. */
export const EVENTS_CHANNEL = 'gongkai_events'

export const newEventId = () => `evt_${randomBytes(16).toString('base64url')}`

/** `n` event ids as newEventId makes them, from one draw of random bytes (a 10,000-item import's ids in one call). */
function newEventIds(n: number): string[] {
  const bytes = randomBytes(16 * n)
  return Array.from({ length: n }, (_, i) => `evt_${bytes.toString('base64url', 16 * i, 16 * i + 16)}`)
}

/**
 * Appends `list` in order (returns how many: a once-only event already emitted is not), positioned after every event committed before this transaction (see the
 * comment at the top). Call inside the transaction of the change, after its writes.
 */
export async function appendEvents(tx: Db, ctx: { regionCode: string; now: Date }, list: NewEvent[]): Promise<number> {
  if (!list.length) return 0
  const rows = (await reserveEvents(tx, ctx, list.length)).rows(list)
  // A once-only event whose key exists already is dropped; its position stays unused (a hole is
  // harmless: readers ask for positions above their cursor, not for consecutive ones).
  let appended = 0
  for (const row of rows.filter((r) => r.onceKey !== null)) {
    appended += (await tx.insert(events).values(row).onConflictDoNothing({ target: events.onceKey }).returning({ position: events.position })).length
  }
  const plain = rows.filter((r) => r.onceKey === null)
  if (plain.length === 1) {
    await tx.insert(events).values(plain[0]!)
    return appended + 1
  }
  const writer = new RowWriter(tx)
  await writer.insert(events, plain)
  await writer.done()
  return appended + plain.length
}

/** Positions taken for events a write appends as it goes (see reserveEvents). */
export interface ReservedEvents {
  /** The next events' rows, positioned in order after those taken before; throws past the reservation. */
  rows(list: NewEvent[]): (typeof events.$inferInsert)[]
  /** The next events, inserted by `writer` (one statement per 2,000). */
  append(writer: RowWriter, list: NewEvent[]): Promise<void>
}

/**
 * Takes `count` positions after every event committed before this transaction (see the comment at the
 * top: the audit lock first, then the head row, held until commit) and announces them at commit. For a
 * write that appends its events a batch at a time (writeItems); it must append exactly `count`.
 */
export async function reserveEvents(tx: Db, ctx: { regionCode: string; now: Date }, count: number): Promise<ReservedEvents> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`) // raw: drizzle has no advisory-lock builder; lock order, above
  const [head] = await tx
    .insert(eventHead)
    .values({ id: 1, position: count })
    .onConflictDoUpdate({ target: eventHead.id, set: { position: sql`${eventHead.position} + ${count}` } })
    .returning({ position: eventHead.position })
  let next = head!.position - count + 1
  const last = head!.position
  // Heard by the delivery workers at commit (and never if this rolls back): a wake-up only, not
  // relied on for correctness. Raw: drizzle has no NOTIFY. Postgres folds repeats within a transaction.
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, '')`)
  const rows = (list: NewEvent[]) => {
    for (const e of list) {
      if (Buffer.byteLength(JSON.stringify(e.data)) > MAX_EVENT_DATA_BYTES) throw new Error(`event ${e.type}: data over ${MAX_EVENT_DATA_BYTES} bytes`)
    }
    if (next + list.length - 1 > last) throw new Error(`events: ${list.length} more than the ${count} reserved`)
    const ids = newEventIds(list.length)
    return list.map((e, i) => ({
      position: next++,
      id: ids[i]!,
      type: e.type,
      occurredAt: e.at ?? ctx.now,
      regionCode: ctx.regionCode,
      departmentCode: e.data.department ?? null,
      domainCode: e.data.domain ?? null,
      audience: eventTypes[e.type].audience,
      data: e.data,
      onceKey: e.onceKey ?? null,
    }))
  }
  return {
    rows,
    append(writer, list) {
      // A change's events (none timed or once-only) share their time and region: sent once per
      // statement rather than in every row (a 10,000-item import's events are a tenth smaller).
      if (list.some((e) => e.at || e.onceKey)) return writer.insert(events, rows(list))
      return writer.insert(
        events,
        rows(list).map(({ occurredAt: _at, regionCode: _region, onceKey: _once, ...own }) => own),
        { occurredAt: ctx.now, regionCode: ctx.regionCode },
      )
    },
  }
}

/** Appends one event (see appendEvents). */
export async function appendEvent(tx: Db, ctx: { regionCode: string; now: Date }, event: NewEvent): Promise<void> {
  await appendEvents(tx, ctx, [event])
}
