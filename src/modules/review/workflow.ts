// The publish/review workflow shared by every publishable kind (catalog versions, notices, posts,
// reports): draft → submitted → approved | rejected → published, and withdrawn with a reason.
// This file holds the rules; the owning module locks its row (SELECT … FOR UPDATE), asks
// `planTransition`, writes the returned columns and records the event with `recordTransition`,
// all in one transaction — so two reviewers approving at once cannot both succeed.
import type { Db } from '../../db/client.js'
import type { Principal } from '../../http/access.js'
import { conflict, forbidden, unprocessable } from '../../lib/problems.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { holdsRole } from '../auth/guard.js'
import { reviewEvents } from './tables.js'

export const reviewStates = ['draft', 'submitted', 'approved', 'rejected', 'published', 'withdrawn'] as const
export type ReviewState = (typeof reviewStates)[number]
export const reviewActions = ['submit', 'approve', 'reject', 'publish', 'withdraw'] as const
export type ReviewAction = (typeof reviewActions)[number]

const allowedFrom: Record<ReviewAction, readonly ReviewState[]> = {
  submit: ['draft', 'rejected'],
  approve: ['submitted'],
  reject: ['submitted'],
  publish: ['approved'],
  withdraw: ['draft', 'submitted', 'approved', 'rejected', 'published'],
}
const target: Record<ReviewAction, ReviewState> = {
  submit: 'submitted',
  approve: 'approved',
  reject: 'rejected',
  publish: 'published',
  withdraw: 'withdrawn',
}

export interface ReviewSubject {
  reviewState: string
  authorId: string
  reviewerId: string | null
}

export interface TransitionRequest {
  action: ReviewAction
  /** The department that owns the subject (whose reviewers may approve it). */
  departmentCode: string | null
  comment?: string | undefined
  reason?: string | undefined
}

/** The review columns to write for `action`, or a problem explaining why it is refused. */
export function planTransition(subject: ReviewSubject, req: TransitionRequest, principal: Principal, now: Date) {
  const from = subject.reviewState as ReviewState
  if (!allowedFrom[req.action].includes(from)) {
    const hint = req.action === 'approve' || req.action === 'reject' ? ' Only submitted items can be reviewed.' : req.action === 'publish' ? ' Only approved items can be published.' : ''
    throw conflict(`Cannot ${req.action}: the item is ${from}.${hint}`)
  }
  if (req.action === 'approve' || req.action === 'reject') {
    // Four eyes: the reviewer is a person, not the author, and a reviewer of the owning department.
    if (principal.type !== 'user') throw forbidden('Approvals are made by a person; API clients cannot review.')
    if (principal.id === subject.authorId) throw forbidden('The author cannot review their own work (four-eyes rule).')
    if (!holdsRole(principal, ['reviewer', 'admin'], req.departmentCode)) {
      throw forbidden(`Only a reviewer of ${req.departmentCode ?? 'the region'} or an admin can review this.`)
    }
  }
  if (req.action === 'reject' && !req.comment?.trim()) throw unprocessable('A rejection needs a comment.', [{ pointer: '/body/comment', message: 'is required when rejecting' }])
  if (req.action === 'withdraw' && !req.reason?.trim()) throw unprocessable('A withdrawal needs a reason.', [{ pointer: '/body/reason', message: 'is required when withdrawing' }])

  const to = target[req.action]
  const columns: Record<string, unknown> = { reviewState: to }
  if (req.action === 'submit') Object.assign(columns, { submittedAt: now, reviewerId: null, reviewerName: null, reviewedAt: null, reviewComment: null, approvedAt: null })
  if (req.action === 'approve') Object.assign(columns, { reviewerId: principal.id, reviewerName: principal.name, reviewedAt: now, reviewComment: req.comment ?? null, approvedAt: now })
  if (req.action === 'reject') Object.assign(columns, { reviewerId: principal.id, reviewerName: principal.name, reviewedAt: now, reviewComment: req.comment ?? null })
  if (req.action === 'publish') Object.assign(columns, { publishedAt: now, publisherName: principal.name })
  if (req.action === 'withdraw') Object.assign(columns, { withdrawnAt: now, withdrawnReason: req.reason })
  return { from, to, columns }
}

/** Records the transition's event and audit row (inside the caller's transaction). */
export async function recordTransition(
  tx: Db,
  ctx: WriteContext,
  subject: { type: string; id: string },
  plan: { from: ReviewState; to: ReviewState },
  req: TransitionRequest,
) {
  await tx.insert(reviewEvents).values({
    subjectType: subject.type,
    subjectId: subject.id,
    action: req.action,
    fromState: plan.from,
    toState: plan.to,
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    actorName: ctx.actor.name,
    comment: req.comment ?? req.reason ?? null,
    at: ctx.now,
  })
  await appendAudit(tx, ctx, { action: `${subject.type}.${req.action}`, targetType: subject.type, targetId: subject.id, details: { from: plan.from, to: plan.to, ...(req.comment ? { comment: req.comment } : {}), ...(req.reason ? { reason: req.reason } : {}) } })
}
