// The transactional outbox: one row per committed change (or statutory moment), written in the
// transaction that makes the change, read by the change feed and fanned out to webhooks.
import { bigint, index, jsonb, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core'

/**
 * The feed's head: one row (id 1) whose `position` is the last position handed out. Every writer
 * bumps it inside its own transaction (outbox.ts), so the row lock orders writers by commit.
 * `prunedThrough`: events at or below it were removed by retention; older cursors are expired.
 */
export const eventHead = pgTable('event_head', {
  id: smallint('id').primaryKey(),
  position: bigint('position', { mode: 'number' }).notNull(),
  prunedThrough: bigint('pruned_through', { mode: 'number' }).notNull().default(0),
})

export const events = pgTable(
  'events',
  {
    /** Commit-ordered position in the feed (see outbox.ts for why it is commit order). */
    position: bigint('position', { mode: 'number' }).primaryKey(),
    /** `evt_…`: the envelope's id and every webhook delivery's `webhook-id`. */
    id: text('id').notNull().unique(),
    type: text('type').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull(),
    regionCode: text('region_code').notNull(),
    departmentCode: text('department_code'),
    domainCode: text('domain_code'),
    /** public: anyone may read it; staff: callers holding events:read (events/types.ts). */
    audience: text('audience').notNull(),
    /** The envelope's thin `data` (≤ 2 KB, never personal data). */
    data: jsonb('data').notNull().$type<Record<string, unknown>>(),
    /** For events that must exist once (a period boundary): a second insert with the same key is skipped. */
    onceKey: text('once_key').unique(),
  },
  (t) => [index('events_occurred_at_idx').on(t.occurredAt)],
)

export type EventRow = typeof events.$inferSelect
