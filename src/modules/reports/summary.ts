// The district office's view of one period: every department that must report, where its report
// stands (missing, draft, submitted, accepted, returned), whether it is late, and the period's totals.
import type { Db } from '../../db/client.js'
import type { DepartmentRecord } from '../reference/service.js'
import { figuresOf, sumTallies, tallyFigures, type Tally } from './figures.js'
import * as q from './queries.js'
import { isLate, periodFacts, reportStatuses, type PeriodFacts, type ReportStatus, type ReportType } from './service.js'
import { getReportSettings, reportingDepartments } from './settings.js'
import type { ReportFigures, ReportRow } from './tables.js'

export type SummaryStatus = 'missing' | ReportStatus

export interface SummaryLine {
  department: DepartmentRecord
  /** Must report (the region's settings); a department that reported without having to is listed too. */
  required: boolean
  report: ReportRow | null
  status: SummaryStatus
  late: boolean
  dueAt: Date
  /** Frozen at submission; live for a report being written or missing. */
  figures: ReportFigures
}

export interface PeriodSummary {
  type: ReportType
  period: string
  facts: PeriodFacts
  lines: SummaryLine[]
  counts: Record<'expected' | SummaryStatus | 'late' | 'onTime', number>
  /** The region's figures for the period, over every department. */
  totals: ReportFigures
}

export async function summarizePeriod(db: Db, regionCode: string, type: ReportType, period: string, now: Date, pointer = '/query'): Promise<PeriodSummary> {
  const settings = await getReportSettings(db, regionCode)
  const facts = await periodFacts(db, settings, type, period, `${pointer}/${type === 'monthly' ? 'month' : 'phase'}`)
  const required = await reportingDepartments(db, settings)
  const rows = await q.reportsOfPeriod(db, regionCode, type, period)
  const byDepartment = new Map(rows.map((r) => [r.departmentCode, r]))
  const tallies: Map<string, Tally> = await tallyFigures(db, { regionCode, range: facts.range, now })

  const requiredCodes = new Set(required.map((d) => d.code))
  const extra = rows.filter((r) => !requiredCodes.has(r.departmentCode)).map((r) => r.departmentCode)
  const extraDepartments = extra.length ? (await reportingDepartments(db, { ...settings, departments: extra })) : []

  const lines: SummaryLine[] = [...required.map((d) => ({ d, required: true })), ...extraDepartments.map((d) => ({ d, required: false }))].map(({ d, required }) => {
    const report = byDepartment.get(d.code) ?? null
    const dueAt = report?.dueAt ?? facts.due.dueAt
    const frozen = report?.figures && report.status !== 'draft' && report.status !== 'returned'
    return {
      department: d,
      required,
      report,
      status: report ? (report.status as ReportStatus) : 'missing',
      late: isLate({ firstSubmittedAt: report?.firstSubmittedAt ?? null, dueAt }, now),
      dueAt,
      figures: frozen ? report.figures! : figuresOf(tallies.get(d.code)),
    }
  })

  const counts = { expected: 0, missing: 0, late: 0, onTime: 0, ...Object.fromEntries(reportStatuses.map((s) => [s, 0])) } as PeriodSummary['counts']
  for (const line of lines.filter((l) => l.required)) {
    counts.expected++
    counts[line.status]++
    if (line.late) counts.late++
    else if (line.report?.firstSubmittedAt) counts.onTime++
  }
  return { type, period, facts, lines, counts, totals: figuresOf(sumTallies(tallies.values())) }
}
