// The reply to an application (art. 36): its outcome as table 三 counts it, the legal basis cited,
// the reply document and how it is delivered. It goes through the review workflow before it is sent
// (谁发布谁审查): draft → submitted → approved → sent (the workflow's "publish"), the approver a reviewer
// of the department who did not write it.
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import type { Principal } from '../../http/access.js'
import { checkIfMatch } from '../../http/preconditions.js'
import { conflict, ProblemError, unprocessable } from '../../lib/problems.js'
import { planReview, recordEdit, recordTransition, type ReviewAction } from '../review/workflow.js'
import { act } from './actions.js'
import { reasonFits, type OutcomeGroup } from './outcomes.js'
import type { replyActions } from './schemas.js'
import { applicationEtag } from './service.js'
import { applicationReplies, type ApplicationRow } from './tables.js'
import type { WriteContext } from '../audit/service.js'

export interface ReplyInput {
  outcome: OutcomeGroup
  reason?: string | undefined
  legalBasis: string
  document: string
  documentNumber?: string | undefined
  content?: string | undefined
  deliveryMethod: string
}

const editable = new Set(['draft', 'rejected'])

export function saveReply(db: Db, ctx: WriteContext, receipt: string, ifMatch: string | null, input: ReplyInput): Promise<ApplicationRow> {
  return act(db, ctx, receipt, 'reply_save', async ({ tx, rec, state }) => {
    if (state.outcome) throw conflict(`The application is ${state.status}; its reply can no longer change.`)
    if (!reasonFits(input.outcome, input.reason)) {
      throw unprocessable('The reason does not fit the outcome.', [{ pointer: '/body/reason', message: input.outcome === 'disclosed' || input.outcome === 'partially_disclosed' ? 'must be absent for this outcome' : `must be one of the reasons of ${input.outcome}` }])
    }
    // Closing for a missed correction or fee deadline is the clock's, not a reply's (counted once).
    if (input.reason === 'no_correction' || input.reason === 'fee_unpaid') {
      throw unprocessable('This outcome is recorded by the clock when its deadline lapses.', [{ pointer: '/body/reason', message: 'is set by the clock, not by a reply' }])
    }
    const values = { outcome: input.outcome, reason: input.reason ?? null, legalBasis: input.legalBasis, document: input.document, documentNumber: input.documentNumber ?? null, content: input.content ?? '', deliveryMethod: input.deliveryMethod, updatedAt: ctx.now }
    if (rec.reply) {
      if (ifMatch === null) throw new ProblemError('precondition-required', 'The reply exists: send the ETag of the application you edited in If-Match.')
      checkIfMatch(ifMatch, applicationEtag(rec))
      if (!editable.has(rec.reply.reviewState)) throw conflict(`The reply is ${rec.reply.reviewState}; only a draft or a rejected reply can be edited.`)
      await tx.update(applicationReplies).set({ ...values, version: rec.reply.version + 1 }).where(eq(applicationReplies.id, rec.reply.id))
      await recordEdit(tx, ctx, { type: 'application_reply', id: rec.app.receipt }, rec.reply.reviewState)
    } else {
      await tx.insert(applicationReplies).values({ ...values, applicationId: rec.app.id, authorId: ctx.actor.id ?? 'system', authorName: ctx.actor.name, createdAt: ctx.now })
    }
    return { details: { outcome: input.outcome, reason: input.reason ?? null } }
  })
}

export function moveReply(db: Db, ctx: WriteContext, principal: Principal, receipt: string, action: (typeof replyActions)[number], body: { comment?: string | undefined; deliveredAt?: string | undefined }) {
  return act(db, ctx, receipt, `reply_${action}`, async ({ tx, rec, state }) => {
    const reply = rec.reply
    if (!reply) throw conflict('There is no reply yet: write one first (PUT …/reply).')
    if (state.outcome) throw conflict(`The application is ${state.status}; its reply can no longer move.`)
    const workflowAction: ReviewAction = action === 'send' ? 'publish' : action
    const plan = await planReview(tx, { type: 'application_reply', id: rec.app.receipt }, reply, { action: workflowAction, departmentCode: rec.app.departmentCode, comment: body.comment }, principal, ctx.now)
    const set: Record<string, unknown> = { ...plan.columns, version: reply.version + 1, updatedAt: ctx.now }
    if (action === 'send') {
      const deliveredAt = body.deliveredAt ? new Date(body.deliveredAt) : ctx.now
      if (deliveredAt > ctx.now) throw unprocessable('A date in the future.', [{ pointer: '/body/deliveredAt', message: 'is in the future' }])
      set.deliveredAt = deliveredAt
    }
    await tx.update(applicationReplies).set(set).where(eq(applicationReplies.id, reply.id))
    await recordTransition(tx, ctx, { type: 'application_reply', id: rec.app.receipt }, plan, { action: workflowAction, departmentCode: rec.app.departmentCode, comment: body.comment })
    return { details: { from: plan.from, to: plan.to } }
  })
}
