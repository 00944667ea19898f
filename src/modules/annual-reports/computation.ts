// The tables of the annual report computed from the records (国办公开办函〔2021〕30号):
//   三 收到和处理政府信息公开申请情况 — applicant columns (自然人; 商业企业, 科研机构, 社会公益组织, 法律服务机构,
//      其他; 总计) × rows: new this year, carried over from last year, every outcome row, 总计, carried
//      into next year. Years are Asia/Shanghai calendar years; an application is handled in the year
//      its reply was sent or its deadline lapsed.
//   四 行政复议、行政诉讼 — cases filed in the year, by outcome as of the year's end (尚未审结 if undecided).
// Pure: the caller passes the facts (applications/service.ts applicationFacts).
import { SHANGHAI_OFFSET_MS } from '../../lib/calendar/index.js'
import { applicantTypes, outcomeKey, outcomeRows, type ApplicantType } from '../applications/outcomes.js'
import type { ApplicationFacts } from '../applications/service.js'

export const columnKeys = [...applicantTypes, 'total'] as const
export type ColumnKey = (typeof columnKeys)[number]
export type Columns = Record<ColumnKey, number>

export interface ApplicationsTable {
  newReceived: Columns
  carriedIn: Columns
  /** Keyed by outcome row (`disclosed`, `withheld.state_secret`, …), in outcomeRows' order. */
  outcomes: Record<string, Columns>
  total: Columns
  carriedOut: Columns
}

export const remedyOutcomeKeys = ['upheld', 'corrected', 'other', 'pending', 'total'] as const
export type RemedyCounts = Record<(typeof remedyOutcomeKeys)[number], number>
export interface RemediesTable {
  review: RemedyCounts
  lawsuitDirect: RemedyCounts
  lawsuitAfterReview: RemedyCounts
}

/** 0:00 Asia/Shanghai on 1 January of `year`. */
export const yearStart = (year: number) => new Date(Date.UTC(year, 0, 1) - SHANGHAI_OFFSET_MS)

export const emptyColumns = (): Columns => Object.fromEntries(columnKeys.map((k) => [k, 0])) as Columns

function add(cols: Columns, type: string) {
  if ((applicantTypes as readonly string[]).includes(type)) cols[type as ApplicantType]++
  cols.total++
}

export function computeApplicationsTable(facts: ApplicationFacts[], year: number): ApplicationsTable {
  const start = yearStart(year)
  const end = yearStart(year + 1)
  const table: ApplicationsTable = {
    newReceived: emptyColumns(),
    carriedIn: emptyColumns(),
    outcomes: Object.fromEntries(outcomeRows.map((r) => [r.key, emptyColumns()])),
    total: emptyColumns(),
    carriedOut: emptyColumns(),
  }
  for (const a of facts) {
    if (a.receivedAt >= end) continue
    const handledAt = a.outcome?.at ?? null
    if (a.receivedAt >= start) add(table.newReceived, a.applicantType)
    else if (!handledAt || handledAt >= start) add(table.carriedIn, a.applicantType)
    if (handledAt && handledAt >= start && handledAt < end) {
      add(table.outcomes[outcomeKey(a.outcome!.group, a.outcome!.reason)]!, a.applicantType)
      add(table.total, a.applicantType)
    }
    if (!handledAt || handledAt >= end) add(table.carriedOut, a.applicantType)
  }
  return table
}

const emptyRemedies = (): RemedyCounts => ({ upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 })
const remedyRow = { review: 'review', lawsuit_direct: 'lawsuitDirect', lawsuit_after_review: 'lawsuitAfterReview' } as const

export function computeRemediesTable(facts: ApplicationFacts[], year: number): RemediesTable {
  const start = yearStart(year)
  const end = yearStart(year + 1)
  const table: RemediesTable = { review: emptyRemedies(), lawsuitDirect: emptyRemedies(), lawsuitAfterReview: emptyRemedies() }
  for (const r of facts.flatMap((a) => a.remedies)) {
    if (r.filedAt < start || r.filedAt >= end) continue
    const row = table[remedyRow[r.kind as keyof typeof remedyRow]]
    const decided = r.decidedAt && r.decidedAt < end && r.outcome !== 'pending'
    row[decided ? (r.outcome as 'upheld') : 'pending']++
    row.total++
  }
  return table
}

/** Adds tables of several departments (the district roll-up). */
export function sumApplicationsTables(tables: ApplicationsTable[]): ApplicationsTable {
  const sum = (pick: (t: ApplicationsTable) => Columns): Columns => {
    const out = emptyColumns()
    for (const t of tables) for (const k of columnKeys) out[k] += pick(t)[k]
    return out
  }
  return {
    newReceived: sum((t) => t.newReceived),
    carriedIn: sum((t) => t.carriedIn),
    outcomes: Object.fromEntries(outcomeRows.map((r) => [r.key, sum((t) => t.outcomes[r.key] ?? emptyColumns())])),
    total: sum((t) => t.total),
    carriedOut: sum((t) => t.carriedOut),
  }
}
