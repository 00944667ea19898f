// drizzle queries for the calendar module. Each takes the handle first (a connection or a transaction).
import { and, asc, eq, gte, lte, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { calendarRevisions, calendarYears, periodRules, regionClosures } from './tables.js'

export type CalendarYearRow = typeof calendarYears.$inferSelect
export type CalendarYearInsert = typeof calendarYears.$inferInsert
export type ClosureRow = typeof regionClosures.$inferSelect
export type PeriodRuleRow = typeof periodRules.$inferSelect
export type PeriodRuleInsert = typeof periodRules.$inferInsert

// --- revisions -------------------------------------------------------------------------------------

export async function findRevision(db: Db, regionCode: string): Promise<number | null> {
  const [row] = await db.select({ revision: calendarRevisions.revision }).from(calendarRevisions).where(eq(calendarRevisions.regionCode, regionCode))
  return row?.revision ?? null
}

export async function ensureRevision(db: Db, regionCode: string): Promise<void> {
  await db.insert(calendarRevisions).values({ regionCode, revision: 1 }).onConflictDoNothing()
}

/** One region's calendar changed (a closure, a rule). */
export async function bumpRevision(db: Db, regionCode: string): Promise<void> {
  await db
    .insert(calendarRevisions)
    .values({ regionCode, revision: 1 })
    .onConflictDoUpdate({ target: calendarRevisions.regionCode, set: { revision: sql`${calendarRevisions.revision} + 1` } })
}

/** The national arrangement changed: every region's calendar is built on it. */
export async function bumpAllRevisions(db: Db): Promise<void> {
  await db.update(calendarRevisions).set({ revision: sql`${calendarRevisions.revision} + 1` })
}

// --- national arrangements -------------------------------------------------------------------------

export function listYears(db: Db): Promise<CalendarYearRow[]> {
  return db.select().from(calendarYears).orderBy(asc(calendarYears.year))
}

export async function findYear(db: Db, year: number, options: { forUpdate?: boolean } = {}): Promise<CalendarYearRow | null> {
  const query = db.select().from(calendarYears).where(eq(calendarYears.year, year))
  const [row] = options.forUpdate ? await query.for('update') : await query
  return row ?? null
}

/** Inserts the years not stored yet; returns the years inserted. */
export async function insertMissingYears(db: Db, rows: CalendarYearInsert[]): Promise<number[]> {
  if (!rows.length) return []
  const inserted = await db.insert(calendarYears).values(rows).onConflictDoNothing().returning({ year: calendarYears.year })
  return inserted.map((r) => r.year)
}

export async function insertYear(db: Db, row: CalendarYearInsert): Promise<CalendarYearRow> {
  const [created] = await db.insert(calendarYears).values(row).returning()
  return created!
}

export async function updateYear(db: Db, year: number, set: Partial<CalendarYearInsert>): Promise<CalendarYearRow> {
  const [updated] = await db.update(calendarYears).set(set).where(eq(calendarYears.year, year)).returning()
  return updated!
}

// --- region closures -------------------------------------------------------------------------------

export function listClosures(db: Db, regionCode: string, range: { from?: string; to?: string } = {}): Promise<ClosureRow[]> {
  const where: SQL[] = [eq(regionClosures.regionCode, regionCode)]
  if (range.from) where.push(gte(regionClosures.date, range.from))
  if (range.to) where.push(lte(regionClosures.date, range.to))
  return db
    .select()
    .from(regionClosures)
    .where(and(...where))
    .orderBy(asc(regionClosures.date))
}

export async function findClosure(db: Db, regionCode: string, date: string): Promise<ClosureRow | null> {
  const [row] = await db
    .select()
    .from(regionClosures)
    .where(and(eq(regionClosures.regionCode, regionCode), eq(regionClosures.date, date)))
  return row ?? null
}

export async function insertClosure(db: Db, row: typeof regionClosures.$inferInsert): Promise<ClosureRow> {
  const [created] = await db.insert(regionClosures).values(row).returning()
  return created!
}

export async function deleteClosure(db: Db, regionCode: string, date: string): Promise<ClosureRow | null> {
  const [deleted] = await db
    .delete(regionClosures)
    .where(and(eq(regionClosures.regionCode, regionCode), eq(regionClosures.date, date)))
    .returning()
  return deleted ?? null
}

// --- period rules ----------------------------------------------------------------------------------

export function listRules(db: Db, regionCode: string): Promise<PeriodRuleRow[]> {
  return db.select().from(periodRules).where(eq(periodRules.regionCode, regionCode)).orderBy(asc(periodRules.code))
}

export async function findRule(db: Db, regionCode: string, code: string): Promise<PeriodRuleRow | null> {
  const [row] = await db
    .select()
    .from(periodRules)
    .where(and(eq(periodRules.regionCode, regionCode), eq(periodRules.code, code)))
  return row ?? null
}

export async function insertRule(db: Db, row: PeriodRuleInsert): Promise<PeriodRuleRow> {
  const [created] = await db.insert(periodRules).values(row).returning()
  return created!
}

/** Rewrites a built-in rule from the code's definition. The seed has no request clock: the database's now(). */
export async function refreshBuiltInRule(db: Db, regionCode: string, code: string, set: Pick<PeriodRuleInsert, 'unit' | 'length' | 'nameZh' | 'nameEn' | 'legalSource' | 'description'>): Promise<void> {
  await db
    .update(periodRules)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(periodRules.regionCode, regionCode), eq(periodRules.code, code)))
}

/** Inserts the rules not stored yet (several instances may seed at once). */
export async function insertMissingRules(db: Db, rows: PeriodRuleInsert[]): Promise<number> {
  if (!rows.length) return 0
  const inserted = await db.insert(periodRules).values(rows).onConflictDoNothing().returning({ code: periodRules.code })
  return inserted.length
}
