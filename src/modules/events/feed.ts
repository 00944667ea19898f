// Reading the change feed: the events after a cursor, in position (= commit) order, filtered by type,
// department and domain and by what the caller may see. A page and the head it reports are read in one
// snapshot, so a cursor advanced over filtered-out events never passes an event not yet visible.
import { and, asc, eq, gt, inArray, like, or, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { ProblemError } from '../../lib/problems.js'
import { eventHead, events, type EventRow } from './tables.js'
import type { EventEnvelope } from './types.js'

export interface FeedQuery {
  /** A cursor from this feed, `now` (the head), or undefined (the oldest retained event). */
  after: string | undefined
  types?: string[] | undefined
  department?: string | undefined
  domain?: string | undefined
  regionCode: string
  /** Whether staff event types are included (the caller holds events:read). */
  staff: boolean
  limit: number
}

export interface FeedPage {
  items: EventEnvelope[]
  /** The cursor of each item (the SSE `id:`). */
  cursors: string[]
  nextCursor: string
  upToDate: boolean
}

// Opaque to clients; a feed position inside. Kept apart from list cursors so that one cannot be
// passed for the other.
export const cursorOf = (position: number) => Buffer.from(`feed:${position}`).toString('base64url')

export const resyncLink = '/v1/changes?after=now'

function positionOf(cursor: string): number {
  const text = cursor.length <= 64 ? Buffer.from(cursor, 'base64url').toString('utf8') : ''
  const match = /^feed:(\d{1,15})$/.exec(text)
  if (!match) throw new ProblemError('invalid-cursor', 'The cursor is not one this feed issued.', { errors: [{ pointer: '/query/after', message: 'is not a cursor of this feed' }] })
  return Number(match[1])
}

export const toEnvelope = (row: Pick<EventRow, 'id' | 'type' | 'occurredAt' | 'data'>): EventEnvelope => ({ id: row.id, type: row.type, timestamp: row.occurredAt.toISOString(), data: row.data })

/** `notice.*` → a prefix match; anything else exact. */
function typeFilter(patterns: string[]): SQL | undefined {
  if (patterns.includes('*')) return undefined
  const exact = patterns.filter((p) => !p.endsWith('.*'))
  const groups = patterns.filter((p) => p.endsWith('.*')).map((p) => like(events.type, `${p.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`))
  return or(...(exact.length ? [inArray(events.type, exact)] : []), ...groups)
}

/**
 * The page after `query.after`. 410 when the cursor points before the retained events (never a
 * silently partial page); 400 when it is not one of ours (or is ahead of the head).
 */
export async function readFeed(db: Db, query: FeedQuery): Promise<FeedPage> {
  return db.transaction(
    async (tx) => {
      const [head] = await tx.select().from(eventHead).where(eq(eventHead.id, 1))
      const headPosition = head?.position ?? 0
      const prunedThrough = head?.prunedThrough ?? 0
      let after = prunedThrough
      if (query.after === 'now') after = headPosition
      else if (query.after !== undefined) {
        after = positionOf(query.after)
        if (after < prunedThrough) {
          throw new ProblemError('cursor-expired', `Events up to this cursor were removed by retention. Resynchronise (list the resources), then follow ${resyncLink}.`, {
            headers: { link: `<${resyncLink}>; rel="resync"` },
          })
        }
        if (after > headPosition) throw new ProblemError('invalid-cursor', 'The cursor is ahead of this feed: it was not issued here.', { errors: [{ pointer: '/query/after', message: 'is not a cursor of this feed' }] })
      }
      const where: (SQL | undefined)[] = [gt(events.position, after), eq(events.regionCode, query.regionCode)]
      if (!query.staff) where.push(eq(events.audience, 'public'))
      if (query.types?.length) where.push(typeFilter(query.types))
      if (query.department) where.push(eq(events.departmentCode, query.department))
      if (query.domain) where.push(eq(events.domainCode, query.domain))
      const rows = await tx
        .select()
        .from(events)
        .where(and(...where))
        .orderBy(asc(events.position))
        .limit(query.limit + 1)
      const page = rows.slice(0, query.limit)
      const more = rows.length > query.limit
      // Not more: everything up to the head in this snapshot was seen (or filtered out).
      const next = more ? page[page.length - 1]!.position : headPosition
      return { items: page.map(toEnvelope), cursors: page.map((r) => cursorOf(r.position)), nextCursor: cursorOf(next), upToDate: !more }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  )
}
