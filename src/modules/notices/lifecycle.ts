// A notice's life after drafting: the review workflow (author ≠ approver), publication with its
// statutory period fixed from the calendar, conclusion (refused before the period ends or while an
// objection is open), revision after an upheld objection (a new notice with a fresh full period),
// and the review decision of procedures with a deadline.
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import type { Principal } from '../../http/access.js'
import { conflict, forbidden, notFound, unprocessable } from '../../lib/problems.js'
import { holdsRole } from '../auth/guard.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { appendEvent } from '../events/outbox.js'
import { computeForRule } from '../calendar/service.js'
import { planReview, recordTransition, type ReviewAction } from '../review/workflow.js'
import { isPersonal } from './columns.js'
import * as q from './queries.js'
import { noticeStatus } from './status.js'
import { notices, type NoticeRow } from './tables.js'

// The kinds whose list names people or households, whatever its columns are called.
const listsOfPeople = new Set(['eligible_list', 'lottery_result', 'relief_recipients', 'poor_students'])

async function lock(tx: Db, id: string): Promise<NoticeRow> {
  const row = await q.findNotice(tx, id, { forUpdate: true })
  if (!row) throw notFound(`No notice ${id}.`)
  return row
}

export async function transitionNotice(
  db: Db,
  ctx: WriteContext,
  principal: Principal,
  id: string,
  action: ReviewAction,
  body: { comment?: string | undefined; reason?: string | undefined },
): Promise<NoticeRow> {
  return db.transaction(async (tx) => {
    const row = await lock(tx, id)
    const req = { action, departmentCode: row.departmentCode, comment: body.comment, reason: body.reason }
    const plan = await planReview(tx, { type: 'notice', id }, row, req, principal, ctx.now)
    if (action === 'approve' && (row.columns.some(isPersonal) || (listsOfPeople.has(row.kind) && row.entryCount > 0)) && !row.privacyAssessment) {
      // PIPL art. 55: publishing personal information — any list of people — needs a recorded impact assessment.
      throw unprocessable('The notice lists people: record the privacy impact assessment (reference and date) before approval.', [
        { pointer: '/privacyAssessment', message: 'is required when a column holds personal information or the notice lists people' },
      ])
    }
    const set: Record<string, unknown> = { ...plan.columns }
    if (action === 'publish') {
      // The period counts from the publication (or the requested later start): Civil Code art. 201.
      const startsAt = row.requestedStartAt && row.requestedStartAt > ctx.now ? row.requestedStartAt : ctx.now
      const period = await computeForRule(tx, row.regionCode, { start: startsAt, rule: row.ruleCode })
      Object.assign(set, { startsAt, firstDay: period.firstDay, lastDay: period.lastDay, endsAt: new Date(period.endsAt), calendarStatus: period.provisional ? 'provisional' : 'official' })
    }
    const [updated] = await tx
      .update(notices)
      .set({ ...set, version: row.version + 1, updatedAt: ctx.now })
      .where(eq(notices.id, id))
      .returning()
    await recordTransition(tx, ctx, { type: 'notice', id }, plan, req)
    if (action === 'publish' || action === 'withdraw') await appendEvent(tx, ctx, noticeEvent(action === 'publish' ? 'notice.published' : 'notice.withdrawn', updated!))
    return updated!
  })
}

/** A notice's event: its id, version, URL and routing fields, nothing of its content. */
export function noticeEvent<T extends 'notice.published' | 'notice.withdrawn' | 'notice.concluded' | 'notice.revised'>(type: T, n: Pick<NoticeRow, 'id' | 'version' | 'departmentCode' | 'domainCode' | 'channels'>) {
  return { type, data: { id: n.id, version: n.version, url: `/v1/notices/${n.id}`, department: n.departmentCode, domain: n.domainCode, channels: n.channels } }
}

export const conclusions = ['no_objection', 'objections_rejected'] as const
export type Conclusion = (typeof conclusions)[number]

export async function concludeNotice(db: Db, ctx: WriteContext, id: string, outcome: Conclusion): Promise<NoticeRow> {
  return db.transaction(async (tx) => {
    const row = await lock(tx, id)
    const status = noticeStatus(row, ctx.now)
    if (status === 'in_publicity' || status === 'scheduled') {
      throw conflict(`The publicity period has not ended: it runs until ${row.lastDay} 24:00 (${row.endsAt!.toISOString()}). A notice cannot be concluded before its period ends.`)
    }
    if (status !== 'period_ended') throw conflict(`The notice is ${status}; only a notice whose period has ended can be concluded.`)
    const objections = await q.objectionsOf(tx, id)
    const open = objections.filter((o) => o.status === 'open' || o.status === 'assigned')
    if (open.length) throw conflict(`Objection${open.length > 1 ? 's' : ''} ${open.map((o) => o.receipt).join(', ')} still open: resolve ${open.length > 1 ? 'them' : 'it'} first.`)
    if (objections.some((o) => o.status === 'upheld')) throw conflict('An objection was upheld: publish a revision (POST /v1/notices/{id}/revisions) instead of concluding.')
    if (outcome === 'no_objection' && objections.length) throw conflict(`There were ${objections.length} objections: conclude with objections_rejected.`)
    if (outcome === 'objections_rejected' && !objections.length) throw conflict('There were no objections: conclude with no_objection.')
    const [updated] = await tx
      .update(notices)
      .set({ conclusion: outcome, concludedAt: ctx.now, concludedBy: ctx.actor.name, version: row.version + 1, updatedAt: ctx.now })
      .where(eq(notices.id, id))
      .returning()
    await appendAudit(tx, ctx, { action: 'notice.conclude', targetType: 'notice', targetId: id, details: { outcome } })
    await appendEvent(tx, ctx, noticeEvent('notice.concluded', updated!))
    return updated!
  })
}

/** After an upheld objection: a new draft revision linked to the old notice, which leaves publicity. */
export async function reviseNotice(db: Db, ctx: WriteContext, id: string): Promise<NoticeRow> {
  return db.transaction(async (tx) => {
    const old = await lock(tx, id)
    if (old.reviewState !== 'published' || old.conclusion) throw conflict(`The notice is ${noticeStatus(old, ctx.now)}; only a published, unconcluded notice can be revised.`)
    const objections = await q.objectionsOf(tx, id)
    if (!objections.some((o) => o.status === 'upheld')) throw conflict('Only an upheld objection leads to a revision; withdraw the notice to take it down for another reason.')
    const { id: _id, ...copy } = old
    const [revision] = await tx
      .insert(notices)
      .values({
        ...copy,
        revisionOf: old.id,
        revisedBy: null,
        revision: old.revision + 1,
        reviewState: 'draft',
        authorId: ctx.actor.id ?? 'system',
        authorName: ctx.actor.name,
        submittedAt: null,
        reviewerId: null,
        reviewerName: null,
        reviewedAt: null,
        reviewComment: null,
        approvedAt: null,
        publishedAt: null,
        publisherName: null,
        withdrawnAt: null,
        withdrawnReason: null,
        startsAt: null,
        firstDay: null,
        lastDay: null,
        endsAt: null,
        calendarStatus: null,
        conclusion: null,
        concludedAt: null,
        concludedBy: null,
        version: 1,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning()
    const entries = await q.entriesOf(tx, old.id)
    if (entries.length) await q.replaceEntries(tx, revision!.id, entries.map((e) => e.data))
    await tx
      .update(notices)
      .set({ conclusion: 'revised', concludedAt: ctx.now, concludedBy: ctx.actor.name, revisedBy: revision!.id, version: old.version + 1, updatedAt: ctx.now })
      .where(eq(notices.id, old.id))
    await appendAudit(tx, ctx, { action: 'notice.revise', targetType: 'notice', targetId: old.id, details: { revision: revision!.id } })
    const revised = noticeEvent('notice.revised', { ...old, version: old.version + 1 })
    await appendEvent(tx, ctx, { ...revised, data: { ...revised.data, revision: revision!.id } })
    return revision!
  })
}

/**
 * Records the decision of a procedure with a review deadline (rental subsidy: REVIEW_15D). A decision is
 * not in the future and is recorded once, with the time it was entered; re-recording it would turn an
 * overdue decision into a met one, so a later change is a correction by a reviewer of the department,
 * with a reason, audited with the value it replaces — and the entry time stays.
 */
export async function recordDecision(db: Db, ctx: WriteContext, principal: Principal, id: string, decidedAt: Date, reason?: string): Promise<NoticeRow> {
  return db.transaction(async (tx) => {
    const row = await lock(tx, id)
    if (!row.materialsReceivedAt) throw conflict('The notice has no review deadline: set materialsReceivedAt first.')
    if (decidedAt > ctx.now) throw unprocessable('A decision cannot be recorded before it is made.', [{ pointer: '/body/decidedAt', message: 'is in the future' }])
    if (decidedAt < row.materialsReceivedAt) throw unprocessable('The decision cannot precede the materials.', [{ pointer: '/body/decidedAt', message: 'is before materialsReceivedAt' }])
    if (row.decidedAt) {
      if (!reason?.trim()) throw conflict(`The decision was recorded at ${row.decisionRecordedAt?.toISOString() ?? 'an earlier time'}; a reviewer may correct it, giving a reason.`)
      if (principal.type !== 'user' || !holdsRole(principal, ['reviewer'], row.departmentCode)) throw forbidden(`Only a reviewer of ${row.departmentCode} (or an admin) may correct a recorded decision.`)
      const [corrected] = await tx.update(notices).set({ decidedAt, version: row.version + 1, updatedAt: ctx.now }).where(eq(notices.id, id)).returning()
      await appendAudit(tx, ctx, { action: 'notice.decision.correct', targetType: 'notice', targetId: id, details: { from: row.decidedAt.toISOString(), to: decidedAt.toISOString(), reason } })
      return corrected!
    }
    const [updated] = await tx
      .update(notices)
      .set({ decidedAt, decisionRecordedAt: ctx.now, decisionRecordedBy: ctx.actor.name, version: row.version + 1, updatedAt: ctx.now })
      .where(eq(notices.id, id))
      .returning()
    await appendAudit(tx, ctx, { action: 'notice.decide', targetType: 'notice', targetId: id, details: { decidedAt: decidedAt.toISOString() } })
    return updated!
  })
}

