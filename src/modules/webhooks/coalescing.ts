// The body of a coalesced message (mode: coalesced): the events of one window told compactly — how
// many, how many of each type, the first ids, the last event in full and the feed cursors around them
// (so a receiver can read exactly those events from GET /v1/changes). A portal rebuilding its pages
// wants one call after a 10,000-row import, not 10,000. The body is rebuilt whole on each merge (the
// same key order every time) and frozen once the window closes: every retry sends the same bytes.
import { cursorOf, toEnvelope } from '../events/feed.js'
import type { EventRow } from '../events/tables.js'
import { COALESCED_MAX_IDS, COALESCED_TYPE } from './schemas.js'

type Event = Pick<EventRow, 'id' | 'type' | 'occurredAt' | 'data' | 'position'>

interface CoalescedData {
  count: number
  types: Record<string, number>
  ids: string[]
  idsTruncated: boolean
  after: string
  through: string
  last: ReturnType<typeof toEnvelope>
}

function body(id: string, data: CoalescedData): string {
  return JSON.stringify({ id, type: COALESCED_TYPE, timestamp: data.last.timestamp, data })
}

function add(data: Omit<CoalescedData, 'last' | 'through'>, events: Event[]): CoalescedData {
  const types = { ...data.types }
  for (const e of events) types[e.type] = (types[e.type] ?? 0) + 1
  const ids = [...data.ids, ...events.map((e) => e.id)]
  const last = events[events.length - 1]!
  return {
    count: data.count + events.length,
    types,
    ids: ids.slice(0, COALESCED_MAX_IDS),
    idsTruncated: data.idsTruncated || ids.length > COALESCED_MAX_IDS,
    after: data.after,
    through: cursorOf(last.position),
    last: toEnvelope(last),
  }
}

/** A new window's body, message id `id`, from its first events (in feed order, at least one). */
export function coalescedBody(id: string, events: Event[]): string {
  return body(id, add({ count: 0, types: {}, ids: [], idsTruncated: false, after: cursorOf(events[0]!.position - 1) }, events))
}

/** The open window's body with `events` (later in the feed) added. */
export function mergeCoalesced(previous: string, events: Event[]): string {
  const parsed = JSON.parse(previous) as { id: string; data: CoalescedData }
  return body(parsed.id, add(parsed.data, events))
}
