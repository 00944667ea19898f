// Appending to and verifying the hash-chained audit log. Appends are serialized across every
// instance by a transaction-scoped advisory lock, so concurrent writers still form one chain.
import { and, asc, desc, eq, gt, gte, lt, lte, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { RowWriter, ROWS_PER_STATEMENT } from '../../db/many-rows.js'
import { encodeCursor, readCursor } from '../../lib/cursor.js'
import { chainAfter, digestOf, GENESIS_HASH } from './chain.js'
import { auditLog, type AuditRow } from './tables.js'

export interface Actor {
  type: 'user' | 'client' | 'system' | 'public'
  id: string | null
  /** The name that may be published (display name); what modules record as author, editor, reviewer. */
  name: string
  /** The login name (username, client id), recorded in the audit log instead of `name` when given. */
  login?: string | undefined
}

/** Who is writing, for which request, in which region, at what time: what every audited write needs. */
export interface WriteContext {
  actor: Actor
  requestId: string | null
  regionCode: string
  now: Date
}

export interface AuditEntry {
  action: string
  targetType: string
  targetId: string
  details?: Record<string, unknown>
}

// An arbitrary constant naming "the audit chain" among advisory locks (also taken to anchor its head).
export const AUDIT_LOCK = 7_330_203

/**
 * Appends `entries` in order, chained after the log's last row: one lock, one read of the chain's
 * head, the digests computed here, one insert per 2,000 rows. Call it inside the transaction of the
 * writes it records (`tx`), never outside; the lock is held until that transaction ends.
 */
export async function appendAudits(tx: Db, ctx: WriteContext, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return
  const chain = await openAuditChain(tx, ctx)
  const writer = new RowWriter(tx)
  // Linked a batch at a time, each while the database writes the previous one.
  for (let i = 0; i < entries.length; i += ROWS_PER_STATEMENT) await chain.append(writer, entries.slice(i, i + ROWS_PER_STATEMENT))
  await writer.done()
}

/** The audit chain held open by a long write (see openAuditChain). */
export interface OpenAuditChain {
  /** Links `entries` after everything appended so far and has `writer` insert them (one statement per 2,000). */
  append(writer: RowWriter, entries: AuditEntry[]): Promise<void>
}

/**
 * Takes the chain's lock and reads its head once, for a write that appends its entries a batch at a
 * time as it goes (writeItems: each batch's audit rows linked while the database writes the items
 * before them). Same rules as appendAudits: inside the transaction of the writes it records.
 */
export async function openAuditChain(tx: Db, ctx: WriteContext): Promise<OpenAuditChain> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`) // raw: drizzle has no advisory-lock builder
  let [head] = await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1)
  const shared = { at: ctx.now, regionCode: ctx.regionCode, actorType: ctx.actor.type, actorId: ctx.actor.id, actorName: ctx.actor.login ?? ctx.actor.name, requestId: ctx.requestId }
  return {
    async append(writer, entries) {
      if (!entries.length) return
      const rows = chainAfter(
        head ?? null,
        entries.map((e) => ({ ...shared, action: e.action, targetType: e.targetType, targetId: e.targetId, details: e.details ?? {} })),
      )
      head = rows[rows.length - 1]
      // What every row shares is sent once.
      await writer.insert(
        auditLog,
        rows.map((r) => ({ seq: r.seq, action: r.action, targetType: r.targetType, targetId: r.targetId, details: r.details, prevHash: r.prevHash, hash: r.hash })),
        shared,
      )
    },
  }
}

/** Appends one row (see appendAudits). */
export const appendAudit = (tx: Db, ctx: WriteContext, entry: AuditEntry): Promise<void> => appendAudits(tx, ctx, [entry])

export interface AuditQuery {
  /** Only the entries of this region (the API passes the caller's). */
  regionCode?: string | undefined
  actorId?: string | undefined
  action?: string | undefined
  targetType?: string | undefined
  targetId?: string | undefined
  from?: Date | undefined
  to?: Date | undefined
  limit: number
  cursor?: string | undefined
}

/** Newest first, cursor-paged by sequence number. */
export async function listAudit(db: Db, q: AuditQuery) {
  const where: SQL[] = []
  if (q.regionCode) where.push(eq(auditLog.regionCode, q.regionCode))
  if (q.actorId) where.push(eq(auditLog.actorId, q.actorId))
  if (q.action) where.push(eq(auditLog.action, q.action))
  if (q.targetType) where.push(eq(auditLog.targetType, q.targetType))
  if (q.targetId) where.push(eq(auditLog.targetId, q.targetId))
  if (q.from) where.push(gte(auditLog.at, q.from))
  if (q.to) where.push(lte(auditLog.at, q.to))
  const [beforeSeq] = readCursor(q.cursor, ['number']) ?? []
  if (beforeSeq !== undefined) where.push(lt(auditLog.seq, beforeSeq))
  const rows = await db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.seq))
    .limit(q.limit + 1)
  const items = rows.slice(0, q.limit)
  return { items, nextCursor: rows.length > q.limit ? encodeCursor([items[items.length - 1]!.seq]) : null }
}

export interface ChainVerification {
  valid: boolean
  rowsChecked: number
  lastSeq: number | null
  firstBroken: { seq: number; reason: string } | null
}

/** Recomputes every digest in order and reports the first row where the chain breaks. */
export async function verifyAuditChain(db: Db, batchSize = 2000): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH
  let expectedSeq = 1
  let checked = 0
  let lastSeq: number | null = null
  for (;;) {
    const rows: AuditRow[] = await db.select().from(auditLog).where(gt(auditLog.seq, expectedSeq - 1)).orderBy(asc(auditLog.seq)).limit(batchSize)
    if (!rows.length) break
    for (const row of rows) {
      const broken = (reason: string): ChainVerification => ({ valid: false, rowsChecked: checked, lastSeq, firstBroken: { seq: row.seq, reason } })
      if (row.seq !== expectedSeq) return { ...broken(`row ${expectedSeq} is missing`), firstBroken: { seq: expectedSeq, reason: `row ${expectedSeq} is missing` } }
      if (row.prevHash !== prevHash) return broken('prevHash does not match the digest of the previous row')
      if (digestOf(row) !== row.hash) return broken('the row was altered: its digest does not match its content')
      prevHash = row.hash
      expectedSeq++
      checked++
      lastSeq = row.seq
    }
  }
  return { valid: true, rowsChecked: checked, lastSeq, firstBroken: null }
}
