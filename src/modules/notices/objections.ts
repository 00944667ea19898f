// Objections (异议) from the public during a notice's publicity period: accepted only while the
// period runs, limited per notice, answered with a receipt number the person can check. Staff assign
// and resolve them (upheld / rejected, with a reply). The public sees counts and outcomes, never the
// objectors.
import { randomInt } from 'node:crypto'
import { eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { sha256Hex } from '../../lib/hashing.js'
import { conflict, notFound, ProblemError, unprocessable } from '../../lib/problems.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { appendEvent } from '../events/outbox.js'
import * as q from './queries.js'
import { noticeStatus } from './status.js'
import { objections, type ObjectionRow } from './tables.js'

export const objectionChannels = ['portal', 'e_net_app', 'wechat', 'other'] as const
// One address may file a few objections to a notice an hour (a household objecting to several entries);
// the notice's own count over everyone is only watched: above it an alert is logged, and nobody is
// refused — a cap shared by all would let one client keep every genuine objector out for the whole
// period. Staff close obvious spam in bulk (dismissObjections).
export const MAX_OBJECTIONS_PER_ADDRESS_PER_NOTICE_PER_HOUR = 5
export const OBJECTION_SURGE_PER_NOTICE_PER_HOUR = 30

const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
function newReceipt(now: Date): string {
  let code = ''
  for (let i = 0; i < 8; i++) code += alphabet[randomInt(alphabet.length)]
  return `YY${now.getUTCFullYear()}-${code.slice(0, 4)}-${code.slice(4)}`
}

export interface ObjectionInput {
  name: string
  contact: string
  reason: string
  entryRow?: number | undefined
  channel: (typeof objectionChannels)[number]
}

/** An address as stored: hashed with the notice, so that it is comparable within a notice only. */
export const objectionAddressHash = (noticeId: string, clientAddress: string) => sha256Hex(`${noticeId}:${clientAddress}`)

export async function submitObjection(db: Db, ctx: WriteContext, noticeId: string, input: ObjectionInput, clientAddress: string): Promise<{ row: ObjectionRow; surge: number | null }> {
  return db.transaction(async (tx) => {
    const notice = await q.findNotice(tx, noticeId)
    if (!notice || notice.reviewState !== 'published') throw notFound(`No published notice ${noticeId}.`)
    const status = noticeStatus(notice, ctx.now)
    if (status !== 'in_publicity') {
      const when = status === 'scheduled' ? `it opens on ${notice.firstDay}` : `it ended on ${notice.lastDay} 24:00`
      throw conflict(`Objections are accepted only during the publicity period; ${when}.`)
    }
    if (input.entryRow !== undefined && (input.entryRow < 1 || input.entryRow > notice.entryCount)) {
      throw unprocessable('No such entry.', [{ pointer: '/body/entryRow', message: `must be between 1 and ${notice.entryCount}` }])
    }
    const hourAgo = new Date(ctx.now.getTime() - 3_600_000)
    const addressHash = objectionAddressHash(noticeId, clientAddress)
    if ((await q.recentObjectionsFor(tx, noticeId, hourAgo, addressHash)) >= MAX_OBJECTIONS_PER_ADDRESS_PER_NOTICE_PER_HOUR) {
      throw new ProblemError('too-many-requests', 'You have filed several objections to this notice in the last hour; try again in a while.', { headers: { 'Retry-After': '600' } })
    }
    const lastHour = await q.recentObjectionsFor(tx, noticeId, hourAgo)
    const [row] = await tx
      .insert(objections)
      .values({
        receipt: newReceipt(ctx.now),
        noticeId,
        entryRow: input.entryRow ?? null,
        objectorName: input.name,
        objectorContact: input.contact,
        reason: input.reason,
        channel: input.channel,
        // Kept to spot abuse without storing the address itself.
        clientAddressHash: addressHash,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning()
    await appendAudit(tx, ctx, { action: 'objection.submit', targetType: 'notice', targetId: noticeId, details: { receipt: row!.receipt, channel: input.channel } })
    await objectionCountsEvent(tx, ctx, 'objection.received', noticeId)
    return { row: row!, surge: lastHour + 1 >= OBJECTION_SURGE_PER_NOTICE_PER_HOUR ? lastHour + 1 : null }
  })
}

/** Counts and status only: who objected, and why, never leaves the API this way (PIPL art. 6). */
async function objectionCountsEvent(tx: Db, ctx: WriteContext, type: 'objection.received' | 'objection.resolved', noticeId: string) {
  const notice = (await q.findNotice(tx, noticeId))!
  const all = await q.objectionsOf(tx, noticeId)
  const open = all.filter((o) => o.status === 'open' || o.status === 'assigned').length
  await appendEvent(tx, ctx, { type, data: { id: noticeId, url: `/v1/notices/${noticeId}`, department: notice.departmentCode, domain: notice.domainCode, open, total: all.length } })
}

export async function objectionByReceipt(db: Db, receipt: string): Promise<ObjectionRow> {
  const row = await q.findObjection(db, receipt)
  if (!row) throw notFound(`No objection with receipt ${receipt}.`)
  return row
}

export async function assignObjection(db: Db, ctx: WriteContext, receipt: string, assignee: string): Promise<ObjectionRow> {
  return db.transaction(async (tx) => {
    const row = await q.findObjection(tx, receipt, { forUpdate: true })
    if (!row) throw notFound(`No objection with receipt ${receipt}.`)
    if (row.status === 'upheld' || row.status === 'rejected') throw conflict(`The objection is already ${row.status}.`)
    const [updated] = await tx.update(objections).set({ status: 'assigned', assignee, version: row.version + 1, updatedAt: ctx.now }).where(eq(objections.id, row.id)).returning()
    await appendAudit(tx, ctx, { action: 'objection.assign', targetType: 'objection', targetId: receipt, details: { assignee } })
    return updated!
  })
}

export async function resolveObjection(db: Db, ctx: WriteContext, receipt: string, outcome: 'upheld' | 'rejected', reply: string): Promise<ObjectionRow> {
  return db.transaction(async (tx) => {
    const row = await q.findObjection(tx, receipt, { forUpdate: true })
    if (!row) throw notFound(`No objection with receipt ${receipt}.`)
    if (row.status === 'upheld' || row.status === 'rejected') throw conflict(`The objection is already ${row.status}.`)
    const [updated] = await tx
      .update(objections)
      .set({ status: outcome, reply, resolvedAt: ctx.now, resolvedBy: ctx.actor.name, version: row.version + 1, updatedAt: ctx.now })
      .where(eq(objections.id, row.id))
      .returning()
    await appendAudit(tx, ctx, { action: `objection.${outcome === 'upheld' ? 'uphold' : 'reject'}`, targetType: 'objection', targetId: receipt })
    await objectionCountsEvent(tx, ctx, 'objection.resolved', row.noticeId)
    return updated!
  })
}

/**
 * Closes obvious spam in bulk: the open objections of a notice among `receipts` or from one address
 * hash are rejected with one reply, by a reviewer of the department, audited with every receipt.
 */
export async function dismissObjections(db: Db, ctx: WriteContext, noticeId: string, match: { receipts?: string[] | undefined; addressHash?: string | undefined }, reply: string): Promise<string[]> {
  if (!match.receipts?.length && !match.addressHash) throw unprocessable('Name the objections to dismiss.', [{ pointer: '/body', message: 'give receipts or an addressHash' }])
  return db.transaction(async (tx) => {
    const notice = await q.findNotice(tx, noticeId)
    if (!notice) throw notFound(`No notice ${noticeId}.`)
    const rows = await q.openObjectionsMatching(tx, noticeId, match)
    if (rows.length) {
      await tx
        .update(objections)
        .set({ status: 'rejected', reply, resolvedAt: ctx.now, resolvedBy: ctx.actor.name, updatedAt: ctx.now, version: sql`${objections.version} + 1` })
        .where(inArray(objections.id, rows.map((r) => r.id)))
    }
    const receipts = rows.map((r) => r.receipt)
    await appendAudit(tx, ctx, { action: 'objection.dismiss', targetType: 'notice', targetId: noticeId, details: { receipts, ...(match.addressHash ? { addressHash: match.addressHash } : {}) } })
    if (receipts.length) await objectionCountsEvent(tx, ctx, 'objection.resolved', noticeId)
    return receipts
  })
}

/** The notice an objection concerns, for the access rule of staff routes addressed by receipt. */
export async function departmentOfObjection(db: Db, receipt: string): Promise<string | null> {
  const row = await q.findObjection(db, receipt)
  if (!row) return null
  return (await q.findNotice(db, row.noticeId))?.departmentCode ?? null
}
