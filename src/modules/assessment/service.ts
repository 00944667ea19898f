// The district office's assessment of its departments over a period: each indicator per department
// with its numerator, denominator and value, the records behind every failure, and a weighted score.
import type { Db } from '../../db/client.js'
import { tryDayNumberOf } from '../../lib/calendar/index.js'
import { badRequest, catchNotFound, unprocessable } from '../../lib/problems.js'
import { getCalendar } from '../calendar/service.js'
import { getDepartment, listDepartmentsFlat, type DepartmentRecord } from '../reference/service.js'
import { dateRange, dueOfMonth, monthOf, monthsBetween, type Range } from '../reports/due.js'
import { monthlyReportsOf } from '../reports/service.js'
import { getReportSettings, reportingDepartments } from '../reports/settings.js'
import { catalogCompleteness, objectionsAnswered, periodsHonoured, reportsOnTime, timeliness, weightedScore, type Failure, type MonthlyObligation, type Tallies } from './indicators.js'
import { getAssessmentSettings, indicatorCodes, parseWeights, type IndicatorCode, type Weights } from './settings.js'
import { activeCatalogItems, noticesConcluded, noticesDueForPublication, objectionsReceived } from './sources.js'

/** The longest period one request may assess. */
export const MAX_ASSESSMENT_DAYS = 731

export interface IndicatorResult {
  code: IndicatorCode
  weight: number
  numerator: number
  denominator: number
  /** numerator / denominator; null when nothing was due (the indicator does not count). */
  value: number | null
  failures: Failure[]
}

export interface DepartmentAssessment {
  department: DepartmentRecord
  score: number | null
  indicators: IndicatorResult[]
}

export interface Assessment {
  regionCode: string
  from: string
  to: string
  asOf: Date
  weights: Weights
  departments: DepartmentAssessment[]
}

export interface AssessmentQuery {
  from: string
  to: string
  department?: string | undefined
  weights?: string | undefined
}

function checkPeriod(from: string, to: string): Range {
  const a = tryDayNumberOf(from)
  const b = tryDayNumberOf(to)
  const errors = []
  if (a === null) errors.push({ pointer: '/query/from', message: 'is not a calendar date (YYYY-MM-DD)' })
  if (b === null) errors.push({ pointer: '/query/to', message: 'is not a calendar date (YYYY-MM-DD)' })
  if (a !== null && b !== null && b < a) errors.push({ pointer: '/query/to', message: `is before from (${from})` })
  if (a !== null && b !== null && b - a + 1 > MAX_ASSESSMENT_DAYS) errors.push({ pointer: '/query/to', message: `at most ${MAX_ASSESSMENT_DAYS} days per assessment` })
  if (errors.length) throw badRequest(errors.map((e) => `${e.pointer} ${e.message}`).join('; '), errors)
  return dateRange(from, to)
}

export async function assess(db: Db, regionCode: string, query: AssessmentQuery, now: Date): Promise<Assessment> {
  const range = checkPeriod(query.from, query.to)
  const stored = await getAssessmentSettings(db, regionCode)
  const weights = query.weights ? parseWeights(query.weights, stored.weights) : stored.weights
  let departments: DepartmentRecord[]
  if (query.department) {
    departments = [await catchNotFound(getDepartment(db, regionCode, query.department), () => {
      throw unprocessable(`No department ${query.department}.`, [{ pointer: '/query/department', message: 'is not a department of this region' }])
    })]
  } else {
    departments = (await listDepartmentsFlat(db, { regionCode, limit: 10_000 })).items
  }
  const codes = query.department ? [query.department] : null

  // Months of the period whose report is owed: from the month of `from` to the month of `to`.
  const months = monthsBetween(query.from.slice(0, 7), monthOf(new Date(range.to.getTime() - 1)))
  const reportSettings = await getReportSettings(db, regionCode)
  const mustReport = new Set((await reportingDepartments(db, reportSettings)).map((d) => d.code))
  const reports = await monthlyReportsOf(db, regionCode, months, codes ?? undefined)
  const reportOf = new Map(reports.map((r) => [`${r.departmentCode}/${r.period}`, r]))
  const dueByMonth = new Map<string, Date>()
  for (const m of months) dueByMonth.set(m, (await dueOfMonth(db, regionCode, m, reportSettings.dueRule)).dueAt)
  const obligations: MonthlyObligation[] = departments
    .filter((d) => mustReport.has(d.code))
    .flatMap((d) => months.map((month) => ({ departmentCode: d.code, departmentName: d.nameZh, month, report: reportOf.get(`${d.code}/${month}`) ?? null, dueAt: dueByMonth.get(month)! })))

  const calendar = await getCalendar(db, regionCode)
  const tallies: Record<IndicatorCode, Tallies> = {
    catalog_completeness: catalogCompleteness(await activeCatalogItems(db, regionCode, codes)),
    timeliness: timeliness(await noticesDueForPublication(db, regionCode, codes, range), now),
    periods_honoured: periodsHonoured(await noticesConcluded(db, regionCode, codes, range)),
    objections_answered: objectionsAnswered(await objectionsReceived(db, regionCode, codes, range), calendar, now),
    reports_on_time: reportsOnTime(obligations, now),
  }

  return {
    regionCode,
    from: query.from,
    to: query.to,
    asOf: now,
    weights,
    departments: departments.map((department) => {
      const indicators = indicatorCodes.map((code): IndicatorResult => {
        const t = tallies[code].get(department.code) ?? { numerator: 0, denominator: 0, failures: [] }
        return { code, weight: weights[code], numerator: t.numerator, denominator: t.denominator, value: t.denominator ? t.numerator / t.denominator : null, failures: t.failures }
      })
      return { department, score: weightedScore(indicators), indicators }
    }),
  }
}
