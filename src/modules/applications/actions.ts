// What staff do to an application while its clock runs, each in one transaction with the row locked,
// its version bumped and an audit entry: a request for correction and the corrected application
// (art. 30), an extension asked for and approved by another person (art. 33), consultations of third
// parties (art. 32), a fee notice and its payment, and later the reviews and lawsuits about it.
import { max, eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import type { Principal } from '../../http/access.js'
import { dayNumberOf, shanghaiDayOf, tryDayNumberOf, type WorkCalendar } from '../../lib/calendar/index.js'
import { conflict, forbidden, notFound, unprocessable } from '../../lib/problems.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { holdsRole } from '../auth/guard.js'
import { getCalendar } from '../calendar/service.js'
import { CONSULTATION_WORKING_DAYS, dueDateAfter, FEE_WORKING_DAYS, withinCorrectionWindow } from './clock.js'
import { deriveState, type ApplicationRecord, type DerivedState } from './state.js'
import { lockForAction, recordOf, touch } from './service.js'
import { applicationConsultations, applicationRemedies, applications, type ApplicationRow } from './tables.js'

export interface ActionContext {
  tx: Db
  rec: ApplicationRecord
  state: DerivedState
  calendar: WorkCalendar
}

/** Runs `act` on the locked application and records `action` in the audit log. */
export async function act(db: Db, ctx: WriteContext, receipt: string, action: string, fn: (a: ActionContext) => Promise<{ set?: Partial<typeof applications.$inferInsert>; details?: Record<string, unknown> }>): Promise<ApplicationRow> {
  return db.transaction(async (tx) => {
    const row = await lockForAction(tx, receipt)
    const rec = await recordOf(tx, row)
    const calendar = await getCalendar(tx, row.regionCode)
    const state = deriveState(calendar, rec, ctx.now)
    const { set, details } = await fn({ tx, rec, state, calendar })
    const updated = await touch(tx, row, ctx.now, set)
    await appendAudit(tx, ctx, { action: `application.${action}`, targetType: 'application', targetId: receipt, ...(details ? { details } : {}) })
    return updated
  })
}

function mustBeOpen(state: DerivedState, what: string) {
  if (state.outcome) throw conflict(`Cannot ${what}: the application is ${state.status} (${state.outcome.reason ?? state.outcome.group}).`)
}
function mustHaveClock(state: DerivedState, what: string) {
  mustBeOpen(state, what)
  if (!state.clock) throw conflict(`Cannot ${what}: a correction is awaited and the reply period has not started (art. 30).`)
}
function notInFuture(at: Date, now: Date, pointer: string) {
  if (at > now) throw unprocessable('A date in the future.', [{ pointer, message: 'is in the future' }])
}

export function requestCorrection(db: Db, ctx: WriteContext, receipt: string, body: { items: string; dueDate: string }) {
  return act(db, ctx, receipt, 'correction_request', async ({ rec, state, calendar }) => {
    mustBeOpen(state, 'ask for a correction')
    if (rec.app.correctionRequestedAt) throw conflict('A correction can be asked for once only (art. 30: 一次性告知).')
    if (!withinCorrectionWindow(calendar, rec.app.receivedAt, ctx.now)) {
      throw conflict(`A correction must be asked for within 7 working days of receipt, i.e. by ${dueDateAfter(calendar, rec.app.receivedAt, 7)} (art. 30).`)
    }
    const due = tryDayNumberOf(body.dueDate)
    if (due === null || due <= shanghaiDayOf(ctx.now)) throw unprocessable('The deadline for the correction must be a later day.', [{ pointer: '/body/dueDate', message: 'must be a date after today' }])
    return { set: { correctionRequestedAt: ctx.now, correctionItems: body.items, correctionDueDate: body.dueDate }, details: { dueDate: body.dueDate } }
  })
}

export function receiveCorrection(db: Db, ctx: WriteContext, receipt: string, body: { receivedAt: string }) {
  return act(db, ctx, receipt, 'correction_received', async ({ rec, state }) => {
    const { app } = rec
    if (!app.correctionRequestedAt) throw conflict('No correction was asked for.')
    if (app.correctedAt) throw conflict('The corrected application was already received.')
    mustBeOpen(state, 'receive the correction')
    const at = new Date(body.receivedAt)
    notInFuture(at, ctx.now, '/body/receivedAt')
    if (at < app.correctionRequestedAt) throw unprocessable('The correction cannot precede the request for it.', [{ pointer: '/body/receivedAt', message: 'is before the request for correction' }])
    if (shanghaiDayOf(at) > dayNumberOf(app.correctionDueDate!)) {
      throw conflict(`The correction arrived after its deadline (${app.correctionDueDate}): the application is closed as 逾期不补正 (art. 30).`)
    }
    return { set: { correctedAt: at }, details: { receivedAt: at.toISOString() } }
  })
}

export function requestExtension(db: Db, ctx: WriteContext, receipt: string, body: { days: number; reason: string }) {
  return act(db, ctx, receipt, 'extension_request', async ({ rec, state }) => {
    mustHaveClock(state, 'extend the period')
    if (rec.app.extensionRequestedAt) throw conflict('The period can be extended once only (art. 33).')
    if (state.overdue) throw conflict('The reply period has already run out; an extension must be decided before it ends.')
    return { set: { extensionDays: body.days, extensionReason: body.reason, extensionRequestedAt: ctx.now, extensionRequestedById: ctx.actor.id, extensionRequestedBy: ctx.actor.name }, details: { days: body.days, reason: body.reason } }
  })
}

export function approveExtension(db: Db, ctx: WriteContext, principal: Principal, receipt: string) {
  return act(db, ctx, receipt, 'extension_approve', async ({ rec, state }) => {
    const { app } = rec
    if (!app.extensionRequestedAt) throw conflict('No extension was asked for.')
    if (app.extensionApprovedAt) throw conflict('The extension is already approved.')
    mustHaveClock(state, 'approve the extension')
    // Four eyes (art. 33: 经政府信息公开工作机构负责人同意): a reviewer of the department, not the one who asked.
    if (principal.type !== 'user') throw forbidden('An extension is approved by a person; API clients cannot approve.')
    if (principal.id === app.extensionRequestedById) throw forbidden('Who asked for the extension cannot approve it (four-eyes rule).')
    if (!holdsRole(principal, ['reviewer'], app.departmentCode)) throw forbidden(`Only a reviewer of ${app.departmentCode} or an admin can approve an extension.`)
    if (state.overdue) throw conflict('The reply period has already run out; an extension must be decided before it ends.')
    return { set: { extensionApprovedAt: ctx.now, extensionApprovedBy: principal.name }, details: { days: app.extensionDays } }
  })
}

export function addConsultation(db: Db, ctx: WriteContext, receipt: string, body: { consultee: string; consulteeKind: 'third_party' | 'agency'; sentAt: string; letter?: string | undefined }) {
  return act(db, ctx, receipt, 'consultation_send', async ({ tx, rec, state, calendar }) => {
    mustHaveClock(state, 'consult a third party')
    const sentAt = new Date(body.sentAt)
    notInFuture(sentAt, ctx.now, '/body/sentAt')
    if (sentAt < (rec.app.correctedAt ?? rec.app.receivedAt)) throw unprocessable('The letter cannot precede the application.', [{ pointer: '/body/sentAt', message: 'is before the application was received' }])
    const [last] = await tx.select({ seq: max(applicationConsultations.seq) }).from(applicationConsultations).where(eq(applicationConsultations.applicationId, rec.app.id))
    const seq = (last?.seq ?? 0) + 1
    // Art. 32: the third party answers within 15 working days of being asked.
    const dueDate = dueDateAfter(calendar, sentAt, CONSULTATION_WORKING_DAYS)
    await tx.insert(applicationConsultations).values({ applicationId: rec.app.id, seq, consultee: body.consultee, consulteeKind: body.consulteeKind, letter: body.letter ?? null, sentAt, dueDate })
    return { details: { seq, consultee: body.consultee, dueDate } }
  })
}

export function answerConsultation(db: Db, ctx: WriteContext, receipt: string, seq: number, body: { answeredAt: string; answer: string }) {
  return act(db, ctx, receipt, 'consultation_answer', async ({ tx, rec }) => {
    const c = rec.consultations.find((x) => x.seq === seq)
    if (!c) throw notFound(`No consultation ${seq} on application ${receipt}.`)
    if (c.answeredAt) throw conflict('The consultation is already answered.')
    const at = new Date(body.answeredAt)
    notInFuture(at, ctx.now, '/body/answeredAt')
    if (at < c.sentAt) throw unprocessable('The answer cannot precede the letter.', [{ pointer: '/body/answeredAt', message: 'is before the letter was sent' }])
    await tx.update(applicationConsultations).set({ answeredAt: at, answer: body.answer }).where(eq(applicationConsultations.id, c.id))
    return { details: { seq } }
  })
}

export function noticeFee(db: Db, ctx: WriteContext, receipt: string, body: { amount: string; noticedAt: string; dueDate?: string | undefined }) {
  return act(db, ctx, receipt, 'fee_notice', async ({ rec, state, calendar }) => {
    mustHaveClock(state, 'send a fee notice')
    if (rec.app.feeNoticedAt) throw conflict('A fee notice was already sent.')
    const noticedAt = new Date(body.noticedAt)
    notInFuture(noticedAt, ctx.now, '/body/noticedAt')
    const dueDate = body.dueDate ?? dueDateAfter(calendar, noticedAt, FEE_WORKING_DAYS)
    const due = tryDayNumberOf(dueDate)
    if (due === null || due <= shanghaiDayOf(noticedAt)) throw unprocessable('The payment deadline must follow the notice.', [{ pointer: '/body/dueDate', message: 'must be after the day of the notice' }])
    return { set: { feeAmount: body.amount, feeNoticedAt: noticedAt, feeDueDate: dueDate }, details: { amount: body.amount, dueDate } }
  })
}

export function payFee(db: Db, ctx: WriteContext, receipt: string, body: { paidAt: string }) {
  return act(db, ctx, receipt, 'fee_paid', async ({ rec, state }) => {
    if (!rec.app.feeNoticedAt) throw conflict('No fee notice was sent.')
    if (rec.app.feePaidAt) throw conflict('The fee is already paid.')
    mustBeOpen(state, 'record the payment')
    const at = new Date(body.paidAt)
    notInFuture(at, ctx.now, '/body/paidAt')
    if (at < rec.app.feeNoticedAt) throw unprocessable('The payment cannot precede the notice.', [{ pointer: '/body/paidAt', message: 'is before the fee notice' }])
    return { set: { feePaidAt: at } }
  })
}

export function addRemedy(db: Db, ctx: WriteContext, receipt: string, body: { kind: string; filedAt: string; caseNumber?: string | undefined }) {
  return act(db, ctx, receipt, 'remedy_filed', async ({ tx, rec, state }) => {
    if (!state.outcome) throw conflict('A review or lawsuit concerns an answered or closed application; this one is still open.')
    const filedAt = new Date(body.filedAt)
    notInFuture(filedAt, ctx.now, '/body/filedAt')
    const seq = rec.remedies.reduce((m, r) => Math.max(m, r.seq), 0) + 1
    await tx.insert(applicationRemedies).values({ applicationId: rec.app.id, seq, kind: body.kind, filedAt, caseNumber: body.caseNumber ?? null })
    return { details: { seq, kind: body.kind } }
  })
}

export function decideRemedy(db: Db, ctx: WriteContext, receipt: string, seq: number, body: { outcome: string; decidedAt: string }) {
  return act(db, ctx, receipt, 'remedy_decided', async ({ tx, rec }) => {
    const r = rec.remedies.find((x) => x.seq === seq)
    if (!r) throw notFound(`No review or lawsuit ${seq} on application ${receipt}.`)
    if (r.outcome !== 'pending') throw conflict(`It is already decided (${r.outcome}).`)
    const at = new Date(body.decidedAt)
    notInFuture(at, ctx.now, '/body/decidedAt')
    if (at < r.filedAt) throw unprocessable('The decision cannot precede the filing.', [{ pointer: '/body/decidedAt', message: 'is before it was filed' }])
    await tx.update(applicationRemedies).set({ outcome: body.outcome, decidedAt: at }).where(eq(applicationRemedies.id, r.id))
    return { details: { seq, outcome: body.outcome } }
  })
}

