// Anchoring the audit log's head. The hash chain shows a row changed, removed or inserted in the
// middle, but not a tail cut off: whoever can drop the append-only triggers (the application's own
// database role can) may delete the last rows, and the rest still verifies. So, periodically, the
// head (last sequence number and digest) is written down as a checkpoint signed with HMAC-SHA256
// under a key derived from the token-signing secret, which the database does not hold:
// - in the audit_anchors table (served at GET /v1/audit/anchors, for anyone keeping copies),
// - in the log output, and on the embedded database also in DATA_DIR/audit-anchors.jsonl.
// Verification then requires the log to reach the latest valid anchor with the anchored digest.
// A forged anchor fails its MAC; deleting anchors along with the tail is caught by the copies
// outside the database (compare them with `anchor` in GET /v1/audit/verify).
// With several instances each runs the timer; under the audit lock only one writes a given head.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'
import { appendFile } from 'node:fs/promises'
import path from 'node:path'
import { desc, eq, lt, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { canonicalJson } from '../../lib/hashing.js'
import { encodeCursor, readCursor } from '../../lib/cursor.js'
import { AUDIT_LOCK, verifyAuditChain, type ChainVerification } from './service.js'
import { auditAnchors, auditLog, type AuditAnchorRow } from './tables.js'

/** How often the head is anchored (when it moved). */
export const ANCHOR_INTERVAL_MS = 5 * 60_000

export interface AnchorKey {
  kid: string
  key: Buffer
}

/** The anchor key of a token-signing key: HKDF-SHA256, so the signing secret itself never signs anchors. */
export function anchorKeyOf(signing: { kid: string; secret: string }): AnchorKey {
  return { kid: signing.kid, key: Buffer.from(hkdfSync('sha256', signing.secret, 'gongkai', 'audit anchors v1', 32)) }
}

function macOf(key: Buffer, a: { seq: number; hash: string; at: Date }): string {
  return createHmac('sha256', key).update(canonicalJson([a.seq, a.hash, a.at.toISOString()])).digest('hex')
}

/** Valid: signed by a key we hold. Unknown: signed by a key no longer configured (after a rotation). */
export function checkAnchor(keys: AnchorKey[], a: AuditAnchorRow): 'valid' | 'forged' | 'unknown-key' {
  const key = keys.find((k) => k.kid === a.kid)
  if (!key) return 'unknown-key'
  const expected = Buffer.from(macOf(key.key, a), 'hex')
  const given = Buffer.from(a.mac, 'hex')
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'valid' : 'forged'
}

/** Anchors the head if it moved since the last anchor; returns the new anchor (null: nothing to do). */
export async function anchorHead(db: Db, key: AnchorKey, now: Date): Promise<AuditAnchorRow | null> {
  return db.transaction(async (tx) => {
    // The audit lock: no append moves the head while it is read, and one instance anchors at a time.
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`) // raw: drizzle has no advisory-lock builder
    const [head] = await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1)
    if (!head) return null
    const [last] = await tx.select({ seq: auditAnchors.seq }).from(auditAnchors).orderBy(desc(auditAnchors.seq)).limit(1)
    if (last && last.seq >= head.seq) return null
    const anchor = { seq: head.seq, hash: head.hash, at: now, kid: key.kid }
    const [row] = await tx
      .insert(auditAnchors)
      .values({ ...anchor, mac: macOf(key.key, anchor) })
      .returning()
    return row!
  })
}

/** The outside copy of an anchor: a JSON line. */
export const anchorLine = (a: AuditAnchorRow) => JSON.stringify({ seq: a.seq, hash: a.hash, at: a.at.toISOString(), kid: a.kid, mac: a.mac })

export async function appendAnchorFile(dataDir: string, a: AuditAnchorRow): Promise<void> {
  await appendFile(path.resolve(dataDir, 'audit-anchors.jsonl'), anchorLine(a) + '\n', { mode: 0o600 })
}

/** The newest anchors first, cursor-paged by sequence number. */
export async function listAnchors(db: Db, page: { limit: number; cursor?: string | undefined }) {
  const [beforeSeq] = readCursor(page.cursor, ['number']) ?? []
  const rows = await db
    .select()
    .from(auditAnchors)
    .where(beforeSeq === undefined ? undefined : lt(auditAnchors.seq, beforeSeq))
    .orderBy(desc(auditAnchors.seq))
    .limit(page.limit + 1)
  const items = rows.slice(0, page.limit)
  return { items, nextCursor: rows.length > page.limit ? encodeCursor([items[items.length - 1]!.seq]) : null }
}

/** The latest anchor that a held key signed, and whether any newer one is forged. */
export async function latestAnchor(db: Db, keys: AnchorKey[]): Promise<{ anchor: AuditAnchorRow | null; forged: AuditAnchorRow | null }> {
  // Newest first, a page at a time, until one verifies: anchors of a rotated-out key are skipped.
  let cursor: string | undefined
  for (;;) {
    const page = await listAnchors(db, { limit: 100, cursor })
    for (const a of page.items) {
      const state = checkAnchor(keys, a)
      if (state === 'forged') return { anchor: null, forged: a }
      if (state === 'valid') return { anchor: a, forged: null }
    }
    if (!page.nextCursor) return { anchor: null, forged: null }
    cursor = page.nextCursor
  }
}

export interface AnchoredVerification extends ChainVerification {
  /** The latest anchor the log was checked against (compare it with the copies kept outside). */
  anchor: { seq: number; hash: string; at: string } | null
}

/** The chain check, then: the log reaches its latest valid anchor, with the anchored digest. */
export async function verifyAnchoredChain(db: Db, keys: AnchorKey[]): Promise<AnchoredVerification> {
  const chain = await verifyAuditChain(db)
  const { anchor, forged } = await latestAnchor(db, keys)
  const shown = anchor ? { seq: anchor.seq, hash: anchor.hash, at: anchor.at.toISOString() } : null
  const broken = (seq: number, reason: string): AnchoredVerification => ({ ...chain, valid: false, firstBroken: { seq, reason }, anchor: shown })
  if (!chain.valid) return { ...chain, anchor: shown }
  if (forged) return broken(forged.seq, `the anchor at ${forged.seq} is forged: its signature does not verify`)
  if (!anchor) return { ...chain, anchor: null }
  const last = chain.lastSeq ?? 0
  if (last < anchor.seq) return broken(last + 1, `the log ends at row ${last} but was anchored at row ${anchor.seq} on ${shown!.at}: rows were removed from its end`)
  const [row] = await db.select({ hash: auditLog.hash }).from(auditLog).where(eq(auditLog.seq, anchor.seq))
  if (row?.hash !== anchor.hash) return broken(anchor.seq, `row ${anchor.seq} differs from its anchor: the log was rewritten from there or before`)
  return { ...chain, anchor: shown }
}
