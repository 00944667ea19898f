// `X-Changes-Cursor` on list responses (issue 15): the change feed's head, read on the list's own
// database handle (the replica when the list goes there, http/read-routing.ts) BEFORE the list query,
// so that "list, then follow /v1/changes?after=<it>" misses nothing without a repeatable-read
// transaction. Why it holds: a change that committed before the head was read is visible to the list
// query that runs after it (read committed takes a fresh snapshot per statement); one that commits
// later has its events above the head read, because positions are handed out in commit order
// (outbox.ts). A change can show in both the list and the feed — never in neither.
import type { FastifyReply } from 'fastify'
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { cursorOf } from './feed.js'
import { eventHead } from './tables.js'

export const CHANGES_CURSOR_HEADER = 'x-changes-cursor'

const description =
  'The change feed\'s position just before this list was read: follow `GET /v1/changes?after=<this>` to see every change committed since (a change may show in both the list and the feed, never in neither).'

/** The header in a list response's schema (OpenAPI `headers`); `note` adds when it is absent. */
export function changesCursorHeader(note = '') {
  return { [CHANGES_CURSOR_HEADER]: { type: 'string', description: note ? `${description} ${note}` : description } }
}

/** A list response (`jsonResponse(…)`) that declares the header. */
export function withChangesCursor<T extends object>(response: T, note = ''): T & { headers: ReturnType<typeof changesCursorHeader> } {
  return { ...response, headers: changesCursorHeader(note) }
}

/** The feed's head as `/v1/changes?after=now` starts from it, read on `db`. */
export async function headCursor(db: Db): Promise<string> {
  const [head] = await db.select({ position: eventHead.position }).from(eventHead).where(eq(eventHead.id, 1))
  return cursorOf(head?.position ?? 0)
}

/** Reads the head on `db` and sets the header; call before the list query, on the handle it uses. */
export async function setChangesCursor(reply: FastifyReply, db: Db): Promise<void> {
  reply.header(CHANGES_CURSOR_HEADER, await headCursor(db))
}
