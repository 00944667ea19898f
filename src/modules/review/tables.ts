// The review workflow's shared columns (added to every publishable table) and its event history.
// "Whoever publishes reviews it; whoever reviews it is accountable" (谁发布谁审查、谁审查谁负责).
import { sql } from 'drizzle-orm'
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** Spread into a publishable table: its state and who did what, when. */
export function reviewColumns() {
  return {
    reviewState: text('review_state').notNull().default('draft'),
    authorId: text('author_id').notNull(),
    authorName: text('author_name').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    reviewerId: text('reviewer_id'),
    reviewerName: text('reviewer_name'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewComment: text('review_comment'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publisherName: text('publisher_name'),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawnReason: text('withdrawn_reason'),
  }
}

export const reviewEvents = pgTable(
  'review_events',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    action: text('action').notNull(),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name').notNull(),
    comment: text('comment'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('review_events_subject_idx').on(t.subjectType, t.subjectId)],
)
