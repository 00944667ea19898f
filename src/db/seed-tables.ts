// The last completed seed of each region (db/seed.ts): a fingerprint of what the seed would insert, so
// that a start whose seed inputs have not changed since need not run it again.
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core'

export const seedRuns = pgTable('seed_runs', {
  regionCode: text('region_code').primaryKey(),
  /** sha256 of the seed's inputs (seed.ts, seedFingerprint). */
  fingerprint: text('fingerprint').notNull(),
  /** When it completed, by the database's clock: a record for operators, read by no rule. */
  seededAt: timestamp('seeded_at', { withTimezone: true }).notNull().defaultNow(),
})
