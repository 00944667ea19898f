// Webhook endpoints, the messages owed to each (one per event that matches its filters) and every
// delivery attempt. Messages are claimed with FOR UPDATE SKIP LOCKED and a lease, so several API
// instances share the work and a crashed instance's claims run again once their lease lapses.
import { sql } from 'drizzle-orm'
import { bigint, bigserial, boolean, index, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core'

export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  regionCode: text('region_code').notNull(),
  url: text('url').notNull(),
  description: text('description').notNull().default(''),
  /** Event types or groups (`notice.*`); empty: every type the endpoint may see. */
  types: text('types').array().notNull().default(sql`'{}'::text[]`),
  departments: text('departments').array().notNull().default(sql`'{}'::text[]`),
  domains: text('domains').array().notNull().default(sql`'{}'::text[]`),
  /** Publication channels (notices' and posts' `channels`); empty: all. Events without channels pass. */
  channels: text('channels').array().notNull().default(sql`'{}'::text[]`),
  /** each: one message per event | coalesced: one message per window of `coalesceWindowSeconds`. */
  mode: text('mode').notNull().default('each'),
  coalesceWindowSeconds: integer('coalesce_window_seconds').notNull().default(60),
  /** The coalesced message still collecting events (its window not closed yet). */
  openBatchId: bigint('open_batch_id', { mode: 'number' }),
  /** At most `rateLimit` deliveries per `ratePeriod` (second | minute); null: no limit. */
  rateLimit: integer('rate_limit'),
  ratePeriod: text('rate_period'),
  /** The current rate window: when it ends and how many deliveries it has had. */
  rateWindowEnd: timestamp('rate_window_end', { withTimezone: true }),
  rateWindowCount: integer('rate_window_count').notNull().default(0),
  /** enabled | paused (by its owner) | disabled (by the API: 410 Gone, or days of failure). */
  status: text('status').notNull().default('enabled'),
  disabledReason: text('disabled_reason'),
  /** Whether staff event types reach it (its creator held events:read). */
  staffEvents: boolean('staff_events').notNull().default(false),
  /** `whsec_…`: kept to sign (HMAC needs the key itself); shown to its owner once. */
  secret: text('secret').notNull(),
  /** After a rotation: the old secret, also signing until `previousSecretUntil` (24 h overlap). */
  previousSecret: text('previous_secret'),
  previousSecretUntil: timestamp('previous_secret_until', { withTimezone: true }),
  /** The feed position up to which events were turned into messages for it. */
  cursor: bigint('cursor', { mode: 'number' }).notNull(),
  /** Set by a 429/503 with Retry-After: no attempt before it. */
  slowUntil: timestamp('slow_until', { withTimezone: true }),
  /** Since when every attempt failed (null after a success). */
  failingSince: timestamp('failing_since', { withTimezone: true }),
  createdBy: text('created_by').notNull(),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
})
export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect

export const webhookMessages = pgTable(
  'webhook_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The `webhook-id` header: the event's id, stable across retries and resends. */
    eventId: text('event_id').notNull(),
    /** The exact body sent, so that every retry is byte-identical. */
    body: text('body').notNull(),
    /** pending | delivered | failed (retries exhausted, or the endpoint was disabled) */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    /** Claimed by a worker until then. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [index('webhook_messages_due_idx').on(t.status, t.nextAttemptAt), unique('webhook_messages_endpoint_event').on(t.endpointId, t.eventId)],
)
export type WebhookMessageRow = typeof webhookMessages.$inferSelect

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    messageId: bigint('message_id', { mode: 'number' })
      .notNull()
      .references(() => webhookMessages.id, { onDelete: 'cascade' }),
    endpointId: uuid('endpoint_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** delivered | failed | timeout | refused (SSRF rule) | error (connection) */
    outcome: text('outcome').notNull(),
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms').notNull(),
    /** The first KiB of the response body, or the error. */
    response: text('response').notNull().default(''),
  },
  (t) => [index('webhook_attempts_endpoint_idx').on(t.endpointId, t.at)],
)
