// Identities: staff users with their grants, API clients for scripts and integrators, and the
// rotating refresh tokens of users (stored hashed, grouped in families so that reuse revokes all).
import { sql } from 'drizzle-orm'
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { departments, regions } from '../reference/tables.js'

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    regionCode: text('region_code').notNull().references(() => regions.code),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    disabled: boolean('disabled').notNull().default(false),
    failedLogins: integer('failed_logins').notNull().default(0),
    /** Until when sign-ins from addresses this account has not signed in from are slowed (display only: see sign-in-throttle.ts). */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    /** Carried by every access token; raising it (password change or reset, sign-out) ends them all at once. */
    tokenEpoch: integer('token_epoch').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_username_uq').on(t.username)],
)

export const grants = pgTable(
  'grants',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').notNull(), // editor | reviewer (on a department) | admin | auditor (region-wide)
    departmentId: uuid('department_id').references(() => departments.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('grants_user_role_department_uq').on(t.userId, t.role, t.departmentId).nullsNotDistinct(), index('grants_user_idx').on(t.userId)],
)

export const apiClients = pgTable(
  'api_clients',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    clientId: text('client_id').notNull(),
    name: text('name').notNull(),
    regionCode: text('region_code').notNull().references(() => regions.code),
    /** null: bound to the whole region. */
    departmentId: uuid('department_id').references(() => departments.id),
    scopes: text('scopes').array().notNull(),
    secretHash: text('secret_hash').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    secretRotatedAt: timestamp('secret_rotated_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_clients_client_id_uq').on(t.clientId)],
)

export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    familyId: uuid('family_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('refresh_tokens_hash_uq').on(t.tokenHash), index('refresh_tokens_family_idx').on(t.familyId)],
)

/**
 * Failed sign-ins, per presented login name and per address, and per name over every address
 * (`addressKey` '*'). Keyed by digests, never by the name or address itself, and kept for names that
 * do not exist exactly as for names that do, so the throttle answers alike for both.
 */
export const signInThrottle = pgTable(
  'sign_in_throttle',
  {
    accountKey: text('account_key').notNull(),
    addressKey: text('address_key').notNull(),
    failures: integer('failures').notNull().default(0),
    blockedUntil: timestamp('blocked_until', { withTimezone: true }),
    /** The last successful sign-in of this name from this address: a known address. */
    succeededAt: timestamp('succeeded_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountKey, t.addressKey] }), index('sign_in_throttle_updated_idx').on(t.updatedAt)],
)

export type UserRow = typeof users.$inferSelect
export type ApiClientRow = typeof apiClients.$inferSelect
