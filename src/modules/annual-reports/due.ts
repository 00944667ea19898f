// When an annual report is due (Regulations art. 49: departments report to the government's office
// by 31 January, governments publish by 31 March of the following year), at 24:00 Asia/Shanghai.
// Kept here as data so a region with other dates changes one line.
import { dayNumberFromParts, endOfShanghaiDayIso } from '../../lib/calendar/index.js'

export type ReportScope = 'department' | 'region'

export const annualReportDueDates: Record<ReportScope, { month: number; day: number }> = {
  department: { month: 1, day: 31 },
  region: { month: 3, day: 31 },
}

export function reportDueAt(scope: ReportScope, year: number): Date {
  const { month, day } = annualReportDueDates[scope]
  return new Date(endOfShanghaiDayIso(dayNumberFromParts(year + 1, month, day)))
}
