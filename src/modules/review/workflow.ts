// The publish/review workflow shared by every publishable kind (catalog versions, notices, posts,
// reports): draft → submitted → approved | rejected → published, and withdrawn with a reason.
// This file holds the rules; the owning module locks its row (SELECT … FOR UPDATE), asks
// `planTransition`, writes the returned columns and records the event with `recordTransition`,
// all in one transaction — so two reviewers approving at once cannot both succeed.
//
// Four eyes (DESIGN.md "Accountability"; 谁发布谁审查): nobody who changed the content in the current
// review round may approve or reject it, nor whoever submitted it. Every kind is immutable once
// published (a change is a new notice revision, post or catalog version), so a round is the subject's
// whole life before publication: a rejection does not start a fresh one, as the rejected text is still
// in what is approved. Its participants are derived from the review events: the author, every `edit`
// (each content write records one, through `recordEdit`) and every `submit`.
import { and, eq, inArray } from 'drizzle-orm'
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

/** Everyone who changed the content of the round under review, and who submitted it (ids). */
export interface RoundParticipants {
  editors: ReadonlySet<string>
  submitters: ReadonlySet<string>
}

const noParticipants: RoundParticipants = { editors: new Set(), submitters: new Set() }

/**
 * Why `principal` may not review a subject of this round (four eyes), or null. Pure: the property test
 * drives it with any sequence of edits.
 */
export function fourEyesProblem(principal: Pick<Principal, 'type' | 'id'>, authorId: string, round: RoundParticipants): string | null {
  if (principal.type !== 'user') return 'Approvals are made by a person; API clients cannot review.'
  if (principal.id === authorId) return 'The author cannot review their own work (four-eyes rule).'
  if (round.editors.has(principal.id)) return 'You changed the content in this review round, so you cannot review it (four-eyes rule): another reviewer must.'
  if (round.submitters.has(principal.id)) return 'You submitted it, so you cannot review it (four-eyes rule): another reviewer must.'
  return null
}

/**
 * The participants of the subject's round, from its review events (plus `alsoChangedBy`: for a catalog
 * version, whoever edited the working set it froze). Read inside the caller's transaction, after it has
 * locked the subject, so no edit can slip in between.
 */
export async function roundParticipants(tx: Db, subject: { type: string; id: string }, alsoChangedBy: Iterable<string> = []): Promise<RoundParticipants> {
  const events = await tx
    .select({ action: reviewEvents.action, actorId: reviewEvents.actorId })
    .from(reviewEvents)
    .where(and(eq(reviewEvents.subjectType, subject.type), eq(reviewEvents.subjectId, subject.id), inArray(reviewEvents.action, ['edit', 'submit'])))
  const editors = new Set<string>(alsoChangedBy)
  const submitters = new Set<string>()
  for (const e of events) if (e.actorId) (e.action === 'edit' ? editors : submitters).add(e.actorId)
  return { editors, submitters }
}

/** Records that the actor changed the subject's content (inside the caller's transaction). */
export async function recordEdit(tx: Db, ctx: WriteContext, subject: { type: string; id: string }, state: string) {
  await tx.insert(reviewEvents).values({
    subjectType: subject.type,
    subjectId: subject.id,
    action: 'edit',
    fromState: state,
    toState: state,
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    actorName: ctx.actor.name,
    at: ctx.now,
  })
}

/** `planTransition` with the round's participants read from the review events (see above). */
export async function planReview(tx: Db, ref: { type: string; id: string }, subject: ReviewSubject, req: TransitionRequest, principal: Principal, now: Date, alsoChangedBy: Iterable<string> = []) {
  const reviewing = req.action === 'approve' || req.action === 'reject'
  const round = reviewing ? await roundParticipants(tx, ref, alsoChangedBy) : noParticipants
  return planTransition(subject, req, principal, now, round)
}

export interface TransitionRequest {
  action: ReviewAction
  /** The department that owns the subject (whose reviewers may approve it). */
  departmentCode: string | null
  comment?: string | undefined
  reason?: string | undefined
}

/**
 * The review columns to write for `action`, or a problem explaining why it is refused. `round`: who took
 * part in the round (`planReview` reads it; only approve and reject look at it).
 */
export function planTransition(subject: ReviewSubject, req: TransitionRequest, principal: Principal, now: Date, round: RoundParticipants) {
  const from = subject.reviewState as ReviewState
  if (!allowedFrom[req.action].includes(from)) {
    const hint = req.action === 'approve' || req.action === 'reject' ? ' Only submitted items can be reviewed.' : req.action === 'publish' ? ' Only approved items can be published.' : ''
    throw conflict(`Cannot ${req.action}: the item is ${from}.${hint}`)
  }
  if (req.action === 'approve' || req.action === 'reject') {
    // Four eyes: the reviewer is a person, took no part in the round, and reviews for the owning department.
    const problem = fourEyesProblem(principal, subject.authorId, round)
    if (problem) throw forbidden(problem)
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
