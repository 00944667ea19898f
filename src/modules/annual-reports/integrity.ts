// The checks readers and inspectors apply to table 三 of an annual report, enforced before it is
// submitted or published (a 422 naming each failure):
//   carry_over     last year's 结转下年度继续办理 = this year's 上年结转 (against last year's published report);
//   outcome_total  总计 = the sum of the outcome rows;
//   balance        本年新收 + 上年结转 = 总计 (handled) + 结转下年度;
//   column_total   every row's 总计 column = the sum of its applicant columns.
// Tables computed from the records pass 2–4 by construction; the checks guard frozen and rolled-up
// figures, and the first catches records changed after last year's report was published.
import type { FieldError } from '../../lib/problems.js'
import { applicantLabels, applicantTypes, outcomeRows } from '../applications/outcomes.js'
import { columnKeys, type ApplicationsTable, type Columns } from './computation.js'

export const integrityChecks = ['carry_over', 'outcome_total', 'balance', 'column_total'] as const
export type IntegrityCheck = (typeof integrityChecks)[number]

export interface IntegrityFailure extends FieldError {
  check: IntegrityCheck
}

const label = (k: (typeof columnKeys)[number]) => (k === 'total' ? '总计' : applicantLabels[k])
const at = (path: string) => `/tables/applications/${path}`

export function checkIntegrity(table: ApplicationsTable, lastYearCarriedOut: Columns | null): IntegrityFailure[] {
  const failures: IntegrityFailure[] = []
  for (const k of columnKeys) {
    if (lastYearCarriedOut && lastYearCarriedOut[k] !== table.carriedIn[k]) {
      failures.push({ check: 'carry_over', pointer: at(`carriedIn/${k}`), message: `${label(k)}: 上年结转 ${table.carriedIn[k]} ≠ 上年度报告结转下年度继续办理 ${lastYearCarriedOut[k]}` })
    }
    const outcomeSum = outcomeRows.reduce((s, r) => s + (table.outcomes[r.key]?.[k] ?? 0), 0)
    if (outcomeSum !== table.total[k]) failures.push({ check: 'outcome_total', pointer: at(`total/${k}`), message: `${label(k)}: 总计 ${table.total[k]} ≠ 各办理结果之和 ${outcomeSum}` })
    const inflow = table.newReceived[k] + table.carriedIn[k]
    const outflow = table.total[k] + table.carriedOut[k]
    if (inflow !== outflow) failures.push({ check: 'balance', pointer: at(`carriedOut/${k}`), message: `${label(k)}: 本年新收 + 上年结转 = ${inflow} ≠ 办理 + 结转下年度 = ${outflow}` })
  }
  const rows: [string, Columns][] = [['newReceived', table.newReceived], ['carriedIn', table.carriedIn], ...outcomeRows.map((r): [string, Columns] => [`outcomes/${r.key}`, table.outcomes[r.key]!]), ['total', table.total], ['carriedOut', table.carriedOut]]
  for (const [path, cols] of rows) {
    const sum = applicantTypes.reduce((s, k) => s + (cols?.[k] ?? 0), 0)
    if (sum !== (cols?.total ?? 0)) failures.push({ check: 'column_total', pointer: at(`${path}/total`), message: `${path}: 总计列 ${cols?.total ?? 0} ≠ 各类申请人之和 ${sum}` })
  }
  return failures
}
