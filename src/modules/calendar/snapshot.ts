// What every computation reads — the national arrangements, the region's closures and its period
// rules — built once per region and cached in memory, keyed by the region's revision. Each call reads
// the revision (one primary-key lookup) and rebuilds when it moved, so a change an admin makes through
// any instance is used by every instance from its next call on: there is no stale window to wait out.
import type { Db } from '../../db/client.js'
import { buildCalendar, type ArrangementStatus, type WorkCalendar, type YearArrangement } from '../../lib/calendar/index.js'
import { notFound } from '../../lib/problems.js'
import { regionExists } from '../reference/service.js'
import * as q from './queries.js'
import type { CalendarYearRow, ClosureRow, PeriodRuleRow } from './queries.js'

export interface CalendarSnapshot {
  regionCode: string
  /** The revision the snapshot was built at; null for a region without a revision row (never cached). */
  revision: number | null
  calendar: WorkCalendar
  years: Map<number, CalendarYearRow>
  closures: ClosureRow[]
  rules: Map<string, PeriodRuleRow>
}

interface Entry {
  revision: number
  snapshot: Promise<CalendarSnapshot>
}

// Keyed by the database handle as well as the region: one process may hold several databases (the
// test suite does), and their revision counters are unrelated. A transaction is its own handle, so a
// calendar read inside a transaction is built from that transaction's view and never shared.
const cache = new WeakMap<Db, Map<string, Entry>>()

export function toArrangement(row: CalendarYearRow): YearArrangement {
  return { year: row.year, status: row.status as ArrangementStatus, holidays: row.holidays, makeupWorkdays: row.makeupWorkdays }
}

async function build(db: Db, regionCode: string, revision: number | null): Promise<CalendarSnapshot> {
  const years = await q.listYears(db)
  const closures = await q.listClosures(db, regionCode)
  const rules = await q.listRules(db, regionCode)
  const calendar = buildCalendar({ arrangements: years.map(toArrangement), closures: closures.map((c) => ({ date: c.date, name: c.name })) })
  return {
    regionCode,
    revision,
    calendar,
    years: new Map(years.map((y) => [y.year, y])),
    closures,
    rules: new Map(rules.map((r) => [r.code, r])),
  }
}

/** The region's calendar, closures and rules as of now; 404 problem for an unknown region. */
export async function loadSnapshot(db: Db, regionCode: string): Promise<CalendarSnapshot> {
  // The revision is read before the data: data read afterwards is at least as new, so a snapshot may
  // be cached under a revision older than its content (and rebuilt once more than needed), never
  // under a newer one (which would keep it stale until the next change).
  const revision = await q.findRevision(db, regionCode)
  if (revision === null) {
    if (!(await regionExists(db, regionCode))) throw notFound(`No region with code ${regionCode}.`)
    return build(db, regionCode, null)
  }
  let regions = cache.get(db)
  if (!regions) {
    regions = new Map()
    cache.set(db, regions)
  }
  const hit = regions.get(regionCode)
  if (hit && hit.revision === revision) return hit.snapshot
  const snapshot = build(db, regionCode, revision)
  const entry = { revision, snapshot }
  regions.set(regionCode, entry)
  snapshot.catch(() => {
    if (regions.get(regionCode) === entry) regions.delete(regionCode)
  })
  return snapshot
}
