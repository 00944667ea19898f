// HTTP shapes of the review workflow, shared by every publishable kind.
import { Type, type Static } from 'typebox'
import { reviewStates } from './workflow.js'

export const ReviewSchema = Type.Object(
  {
    state: Type.Enum(reviewStates),
    author: Type.String({ description: "Who wrote it: a display name, or an API client's name (never a login name)." }),
    submittedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    reviewer: Type.Union([Type.String(), Type.Null()], { description: 'Who approved or rejected it; accountable for it.' }),
    reviewedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    comment: Type.Union([Type.String(), Type.Null()]),
    approvedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    withdrawnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    withdrawnReason: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'Review', description: 'Where the item is in the review workflow, and who is accountable for it.', additionalProperties: false },
)
export type ReviewDto = Static<typeof ReviewSchema>

export const ReviewCommentRequest = Type.Object(
  { comment: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false, description: 'An optional comment (required when rejecting).' },
)
export const WithdrawRequest = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false })

const iso = (d: Date | null) => (d ? d.toISOString() : null)

export function toReview(row: {
  reviewState: string
  authorName: string
  submittedAt: Date | null
  reviewerName: string | null
  reviewedAt: Date | null
  reviewComment: string | null
  approvedAt: Date | null
  publishedAt: Date | null
  withdrawnAt: Date | null
  withdrawnReason: string | null
}): ReviewDto {
  return {
    state: row.reviewState as ReviewDto['state'],
    author: row.authorName,
    submittedAt: iso(row.submittedAt),
    reviewer: row.reviewerName,
    reviewedAt: iso(row.reviewedAt),
    comment: row.reviewComment,
    approvedAt: iso(row.approvedAt),
    publishedAt: iso(row.publishedAt),
    withdrawnAt: iso(row.withdrawnAt),
    withdrawnReason: row.withdrawnReason,
  }
}

export const reviewSchemas = [ReviewSchema]
