// Data every database needs, inserted idempotently at each start — unless the last seed of the region
// ran with exactly the same inputs. The seed only inserts what is missing (and refreshes the built-in
// rules' wording), and nothing deletes what it inserts (domains, departments, calendar years and rules
// are edited or retired, never removed; an edited body bumps its version and no longer takes aliases),
// so a second run with the same inputs inserts nothing: it is skipped, one query instead of ~20 (the
// largest part of a later start on the embedded database). Any change to the seed data, the official
// calendar package or the built-in rules changes the fingerprint, and the seed runs again.
import { createHash } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import type { Config } from '../config.js'
import { ConfigError } from '../config.js'
import { officialArrangements } from '../lib/calendar/index.js'
import { BUILT_IN_RULES } from '../lib/periods/index.js'
import { seedCalendar } from '../modules/calendar/service.js'
import { defaultRegion, domainAliases, pilotDepartments, pilotDomains } from '../modules/reference/seed-data.js'
import { regionExists, seedReferenceData } from '../modules/reference/service.js'
import type { Db } from './client.js'
import { seedRuns } from './seed-tables.js'

/**
 * Bump when the seed's logic changes in a way its data does not show (a new kind of row, a new rule for
 * what counts as missing): every database then runs the seed once more.
 */
const SEED_LOGIC = 1

/** sha256 of everything the seed of `regionCode` inserts or compares against. */
export function seedFingerprint(regionCode: string): string {
  const inputs = { logic: SEED_LOGIC, regionCode, defaultRegion, pilotDomains, domainAliases, pilotDepartments, calendar: officialArrangements(), rules: BUILT_IN_RULES }
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex')
}

export async function seedDatabase(db: Db, config: Config): Promise<void> {
  const fingerprint = seedFingerprint(config.defaultRegion)
  const [last] = await db.select({ fingerprint: seedRuns.fingerprint }).from(seedRuns).where(eq(seedRuns.regionCode, config.defaultRegion))
  if (last?.fingerprint === fingerprint) return
  await seedReferenceData(db)
  if (!(await regionExists(db, config.defaultRegion))) {
    throw new ConfigError(`DEFAULT_REGION: no region ${config.defaultRegion} in the database (known: 230202 龙沙区)`)
  }
  await seedCalendar(db, config.defaultRegion)
  // Recorded only once every part succeeded: a seed that failed half-way runs again at the next start.
  await db
    .insert(seedRuns)
    .values({ regionCode: config.defaultRegion, fingerprint })
    // now(): the database's clock, as the column's default (a record for operators; no rule reads it).
    .onConflictDoUpdate({ target: seedRuns.regionCode, set: { fingerprint, seededAt: sql`now()` } })
}
