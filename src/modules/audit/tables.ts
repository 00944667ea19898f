// The audit log: append-only, each row chained to the previous one by a SHA-256 digest. A trigger
// (migration 0002) makes the database itself refuse UPDATE, DELETE and TRUNCATE on it.
import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    regionCode: text('region_code').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    requestId: text('request_id'),
    details: jsonb('details').notNull().$type<Record<string, unknown>>(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_log_target_idx').on(t.targetType, t.targetId), index('audit_log_actor_idx').on(t.actorId), index('audit_log_at_idx').on(t.at)],
)

export type AuditRow = typeof auditLog.$inferSelect

/**
 * Signed checkpoints of the log's head (its last sequence number and digest). The chain alone cannot
 * show a deleted tail; an anchor can: a verified log must reach every anchored row with the anchored
 * digest. Anchors are also written to the log output (and the data directory), outside the database.
 */
export const auditAnchors = pgTable('audit_anchors', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  hash: text('hash').notNull(),
  at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
  /** Which key signed it (see anchors.ts). */
  kid: text('kid').notNull(),
  /** HMAC-SHA256 over seq, hash and at. */
  mac: text('mac').notNull(),
})

export type AuditAnchorRow = typeof auditAnchors.$inferSelect
