// The responses of POSTs sent with an Idempotency-Key, kept for a day so that a retry of the same
// request gets the first response instead of doing the work twice (src/http/idempotency.ts).
import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    /** Who sent the key (`user:<id>`, `client:<id>`): keys are per caller. */
    principal: text('principal').notNull(),
    key: text('key').notNull(),
    /** The operation, e.g. `POST /v1/items/bulk`. */
    operation: text('operation').notNull(),
    /** SHA-256 of the method, path, query, content type and body: a reused key must come with the same request. */
    fingerprint: text('fingerprint').notNull(),
    status: integer('status').notNull(),
    contentType: text('content_type').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.principal, t.key] }), index('idempotency_keys_expires_idx').on(t.expiresAt)],
)

export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect
