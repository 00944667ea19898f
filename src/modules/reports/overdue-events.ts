// `report.overdue`: a department's monthly report (月度工作报告) becoming late — not submitted by 24:00
// Asia/Shanghai of its due day (the region's rule on its working-day calendar, reports/due.ts; default
// the 5th working day of the following month). "Late" is the rule the reports module already applies
// (service.ts isLate, the district office's summary): the report's own due date once drafted, the
// computed one while it is missing. Emitted once per department and month — the once-key is unique, so
// several instances or a repeated round cannot emit it twice — and caught up after downtime, stamped
// with the due instant itself (as notices/period-events.ts does for periods).
import { inArray } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { getCalendar } from '../calendar/service.js'
import { appendEvents, type NewEvent } from '../events/outbox.js'
import { events } from '../events/tables.js'
import { PERIOD_CATCH_UP_MS } from '../notices/period-events.js'
import { regions } from '../reference/tables.js'
import { dueInCalendar, monthOf, monthsBetween } from './due.js'
import { monthlyReports } from './queries.js'
import { isLate } from './service.js'
import { getReportSettings, reportingDepartments } from './settings.js'

const TYPE = 'report.overdue'
/** A month's due day falls in the next month, or (a fixed day moved past a long holiday) the one after. */
const DUE_WITHIN_MS = 62 * 24 * 3600_000

export const reportOnceKey = (regionCode: string, departmentCode: string, month: string) => `${TYPE}:${regionCode}/${departmentCode}/${month}`

/** Emits every monthly report that became late by `now` and was not announced yet; returns how many. */
export async function emitOverdueReports(db: Db, now: Date): Promise<number> {
  let emitted = 0
  for (const { code } of await db.select({ code: regions.code }).from(regions)) emitted += await emitForRegion(db, code, now)
  return emitted
}

async function emitForRegion(db: Db, regionCode: string, now: Date): Promise<number> {
  const since = new Date(now.getTime() - PERIOD_CATCH_UP_MS)
  const settings = await getReportSettings(db, regionCode)
  const calendar = await getCalendar(db, regionCode)
  // Every month whose report can fall due inside the catch-up window and is over by now.
  const months = monthsBetween(monthOf(new Date(since.getTime() - DUE_WITHIN_MS)), monthOf(now)).slice(0, -1)
  const computed = new Map(months.map((m) => [m, dueInCalendar(calendar, m, settings.dueRule).dueAt]))
  if (![...computed.values()].some((d) => d < now && d > since)) return 0
  const required = await reportingDepartments(db, settings)
  if (!required.length) return 0
  const rows = new Map((await monthlyReports(db, regionCode, months, required.map((d) => d.code))).map((r) => [`${r.departmentCode}/${r.period}`, r]))

  const late: NewEvent[] = []
  for (const month of months) {
    for (const d of required) {
      const report = rows.get(`${d.code}/${month}`)
      const dueAt = report?.dueAt ?? computed.get(month)!
      if (dueAt <= since || !isLate({ firstSubmittedAt: report?.firstSubmittedAt ?? null, dueAt }, now)) continue
      // A missing report has no resource yet: the district office's summary of the month is where it shows.
      const ref = report ? { id: report.id, url: `/v1/reports/${report.id}` } : { id: `${d.code}/${month}`, url: `/v1/reports/summary?month=${month}` }
      late.push({ type: TYPE, at: dueAt, onceKey: reportOnceKey(regionCode, d.code, month), data: { ...ref, department: d.code, period: month, dueAt: dueAt.toISOString() } })
    }
  }
  if (!late.length) return 0
  const keys = late.map((e) => e.onceKey!)
  const done = new Set((await db.select({ key: events.onceKey }).from(events).where(inArray(events.onceKey, keys))).map((r) => r.key))
  const fresh = late.filter((e) => !done.has(e.onceKey!)).sort((a, b) => a.at!.getTime() - b.at!.getTime())
  return fresh.length ? db.transaction((tx) => appendEvents(tx, { regionCode, now }, fresh)) : 0
}
