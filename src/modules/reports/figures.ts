// The figures a report carries, filled in by the system for a department and a period: read-only
// queries on the catalog and notices tables. This file is the reports module's one reach into other
// modules' tables; nothing here writes.
import { and, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { catalogItemChanges, catalogItems } from '../catalog/tables.js'
import { notices, objections } from '../notices/tables.js'
import type { Range } from './due.js'
import type { ReportFigures } from './tables.js'

const DAY_MS = 86_400_000

/** What the figures are counted from, per department; `daysToPublish` sums for the average. */
export interface Tally extends Omit<ReportFigures, 'averageDaysToPublish'> {
  daysToPublish: number
}

const emptyTally = (): Tally => ({
  catalogItemsAdded: 0,
  catalogItemsChanged: 0,
  catalogItemsRetired: 0,
  noticesPublished: 0,
  noticesConcluded: 0,
  objectionsReceived: 0,
  objectionsResolved: 0,
  reviewDeadlinesMet: 0,
  reviewDeadlinesMissed: 0,
  noticesWithFormationDate: 0,
  daysToPublish: 0,
})

const within = (d: Date | null, r: Range) => d !== null && d >= r.from && d < r.to
const during = (column: Parameters<typeof gte>[0], r: Range) => and(gte(column, r.from), lt(column, r.to))!

export interface FigureQuery {
  regionCode: string
  range: Range
  /** Deadlines not met by now count as missed; later ones are still open. */
  now: Date
  /** Only these departments (default: every department with activity). */
  departments?: string[] | undefined
}

/**
 * Per department:
 * - catalog items added, changed (edited or reinstated) and retired in the period, by the item's
 *   department (its history: catalog_item_changes);
 * - notices published (published in the period; a revision is a publication of its own), concluded
 *   (with no objection, or objections rejected — a revision is not a conclusion);
 * - objections received and resolved in the period, on the department's notices;
 * - review deadlines falling due in the period: met (decided by the due date), missed (decided late,
 *   or still undecided after it); withdrawn procedures are left out;
 * - the average days from the information's formation to its publication, over the notices
 *   published in the period whose formation date is known.
 */
export async function tallyFigures(db: Db, f: FigureQuery): Promise<Map<string, Tally>> {
  const tallies = new Map<string, Tally>()
  const of = (department: string) => {
    let t = tallies.get(department)
    if (!t) tallies.set(department, (t = emptyTally()))
    return t
  }
  for (const d of f.departments ?? []) of(d)
  const scope: SQL[] = [eq(notices.regionCode, f.regionCode)]
  if (f.departments) scope.push(f.departments.length ? inArray(notices.departmentCode, f.departments) : sql`false`)

  const rows = await db
    .select({
      departmentCode: notices.departmentCode,
      reviewState: notices.reviewState,
      formedAt: notices.formedAt,
      publishedAt: notices.publishedAt,
      conclusion: notices.conclusion,
      concludedAt: notices.concludedAt,
      decisionDueAt: notices.decisionDueAt,
      decidedAt: notices.decidedAt,
    })
    .from(notices)
    .where(and(...scope, or(during(notices.publishedAt, f.range), during(notices.concludedAt, f.range), during(notices.decisionDueAt, f.range))))
  for (const n of rows) {
    const t = of(n.departmentCode)
    if (within(n.publishedAt, f.range)) {
      t.noticesPublished++
      if (n.formedAt) {
        t.noticesWithFormationDate++
        t.daysToPublish += (n.publishedAt!.getTime() - n.formedAt.getTime()) / DAY_MS
      }
    }
    if (within(n.concludedAt, f.range) && n.conclusion !== 'revised') t.noticesConcluded++
    if (within(n.decisionDueAt, f.range) && n.reviewState !== 'withdrawn') {
      const due = n.decisionDueAt!
      if (n.decidedAt && n.decidedAt <= due) t.reviewDeadlinesMet++
      else if (n.decidedAt || due <= f.now) t.reviewDeadlinesMissed++
    }
  }

  const received = await db
    .select({ departmentCode: notices.departmentCode, createdAt: objections.createdAt, resolvedAt: objections.resolvedAt })
    .from(objections)
    .innerJoin(notices, eq(notices.id, objections.noticeId))
    .where(and(...scope, or(during(objections.createdAt, f.range), during(objections.resolvedAt, f.range))))
  for (const o of received) {
    const t = of(o.departmentCode)
    if (within(o.createdAt, f.range)) t.objectionsReceived++
    if (within(o.resolvedAt, f.range)) t.objectionsResolved++
  }

  const itemScope: SQL[] = [eq(catalogItems.regionCode, f.regionCode)]
  if (f.departments) itemScope.push(f.departments.length ? inArray(catalogItems.departmentCode, f.departments) : sql`false`)
  const changes = await db
    .select({ departmentCode: catalogItems.departmentCode, action: catalogItemChanges.action })
    .from(catalogItemChanges)
    .innerJoin(catalogItems, eq(catalogItems.id, catalogItemChanges.itemId))
    .where(and(...itemScope, during(catalogItemChanges.at, f.range)))
  for (const c of changes) {
    const t = of(c.departmentCode)
    if (c.action === 'create') t.catalogItemsAdded++
    else if (c.action === 'retire') t.catalogItemsRetired++
    else t.catalogItemsChanged++
  }
  return tallies
}

export function figuresOf(t: Tally | undefined): ReportFigures {
  const { daysToPublish, ...counts } = t ?? emptyTally()
  return { ...counts, averageDaysToPublish: counts.noticesWithFormationDate ? Math.round((daysToPublish / counts.noticesWithFormationDate) * 10) / 10 : null }
}

/** The sum of several departments' tallies (a region's totals). */
export function sumTallies(list: Iterable<Tally>): Tally {
  const sum = emptyTally()
  for (const t of list) {
    sum.catalogItemsAdded += t.catalogItemsAdded
    sum.catalogItemsChanged += t.catalogItemsChanged
    sum.catalogItemsRetired += t.catalogItemsRetired
    sum.noticesPublished += t.noticesPublished
    sum.noticesConcluded += t.noticesConcluded
    sum.objectionsReceived += t.objectionsReceived
    sum.objectionsResolved += t.objectionsResolved
    sum.reviewDeadlinesMet += t.reviewDeadlinesMet
    sum.reviewDeadlinesMissed += t.reviewDeadlinesMissed
    sum.noticesWithFormationDate += t.noticesWithFormationDate
    sum.daysToPublish += t.daysToPublish
  }
  return sum
}

/** One department's figures for a period. */
export async function figuresFor(db: Db, regionCode: string, departmentCode: string, range: Range, now: Date): Promise<ReportFigures> {
  return figuresOf((await tallyFigures(db, { regionCode, range, now, departments: [departmentCode] })).get(departmentCode))
}
