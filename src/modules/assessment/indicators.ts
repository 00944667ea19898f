// The indicators of the district office's assessment (监测评估、目标考核), each a share — numerator over
// denominator — computed per department from the records behind it, with every failed record listed
// so that the department can put it right. Pure code over records read elsewhere.
import type { WorkCalendar } from '../../lib/calendar/index.js'
import { computePeriod } from '../../lib/periods/index.js'
import type { CatalogItemFacts, NoticeFacts } from './sources.js'
import type { IndicatorCode } from './settings.js'

/** How long the public waits at most for the answer to an objection. */
export const OBJECTION_ANSWER_DAYS = 15

export const failureReasons = [
  'published_late',
  'not_published',
  'concluded_before_period_end',
  'answered_late',
  'unanswered',
  'submitted_late',
  'not_submitted',
  'incomplete_elements',
] as const
export type FailureReason = (typeof failureReasons)[number]

export interface Failure {
  kind: 'notice' | 'objection' | 'report' | 'catalog_item'
  /** The notice id, objection receipt, report id (or `department/month` when none) or item key. */
  ref: string
  title: string
  reason: FailureReason
  /** What was due when (the publication due date, the period end, the answer or report due date). */
  dueAt: Date | null
  /** When it was done, if it was. */
  doneAt: Date | null
  /** Where to fix it in the API, when the record exists. */
  href: string | null
  /** For a catalog item: the elements still to fill, as JSON pointers into the item. */
  missing?: string[]
}

export interface Tally {
  numerator: number
  denominator: number
  failures: Failure[]
}

export type Tallies = Map<string, Tally>

export const indicatorDefinitions: Record<IndicatorCode, { nameZh: string; description: string }> = {
  catalog_completeness: {
    nameZh: '目录要素完整率',
    description:
      "Share of the department's active catalog items (the working set now) with every standard element filled: content, a time limit in structured form (not `other`), channels, levels, and a legal basis that can be looked up — a law with its articles, any other instrument with its document number (文号).",
  },
  timeliness: {
    nameZh: '公开及时率',
    description:
      'Notices whose formation date is known and whose publication fell due in the period: share published by their due date (publishDueAt). A notice not published by then is a failure; one not yet due and not published is not counted; one withdrawn without ever being published is left out.',
  },
  periods_honoured: {
    nameZh: '公示期执行率',
    description: 'Notices concluded in the period (no objection, objections rejected): share concluded at or after the end of their publicity period. Anything else is a defect.',
  },
  objections_answered: {
    nameZh: '异议按期答复率',
    description: `Objections received in the period: share answered within ${OBJECTION_ANSWER_DAYS} days (calendar days from the day after receipt; a last day on a rest day moves to the next working day, Civil Code arts. 201, 203). Unanswered past that is a failure; unanswered and not yet due is not counted.`,
  },
  reports_on_time: {
    nameZh: '月报按时报送率',
    description: 'Months of the period the department must report on, whose report is due or submitted: share first submitted by the due date. A report missing past its due date is a failure.',
  },
}

function tallyOf(tallies: Tallies, department: string): Tally {
  let t = tallies.get(department)
  if (!t) tallies.set(department, (t = { numerator: 0, denominator: 0, failures: [] }))
  return t
}

/** The standard elements an item leaves unfilled, as pointers into it (empty: complete). */
export function missingElements(item: Pick<CatalogItemFacts, 'content' | 'basis' | 'timeLimit' | 'channels' | 'levels'>): string[] {
  const missing: string[] = []
  if (!item.content.length) missing.push('/content')
  if (!item.basis.length) missing.push('/basis')
  item.basis.forEach((b, i) => {
    if (b.kind === 'law' ? !b.articles?.trim() : !b.documentNumber?.trim()) missing.push(`/basis/${i}/${b.kind === 'law' ? 'articles' : 'documentNumber'}`)
  })
  if (!item.timeLimit.text.trim()) missing.push('/timeLimit/text')
  if (item.timeLimit.rule.type === 'other') missing.push('/timeLimit/rule')
  if (!item.channels.length) missing.push('/channels')
  if (!item.levels.length) missing.push('/levels')
  return missing
}

export function catalogCompleteness(items: CatalogItemFacts[]): Tallies {
  const tallies: Tallies = new Map()
  for (const item of items) {
    const t = tallyOf(tallies, item.departmentCode)
    t.denominator++
    const missing = missingElements(item)
    if (!missing.length) t.numerator++
    else t.failures.push({ kind: 'catalog_item', ref: item.key, title: `${item.firstLevel} / ${item.secondLevel}`, reason: 'incomplete_elements', dueAt: null, doneAt: null, href: `/v1/items/${item.key}`, missing })
  }
  return tallies
}

export function timeliness(rows: NoticeFacts[], now: Date): Tallies {
  const tallies: Tallies = new Map()
  for (const n of rows) {
    const due = n.publishDueAt!
    const failure = (reason: FailureReason): Failure => ({ kind: 'notice', ref: n.id, title: n.title, reason, dueAt: due, doneAt: n.publishedAt, href: `/v1/notices/${n.id}` })
    if (n.publishedAt) {
      const t = tallyOf(tallies, n.departmentCode)
      t.denominator++
      if (n.publishedAt <= due) t.numerator++
      else t.failures.push(failure('published_late'))
    } else if (n.reviewState !== 'withdrawn' && due <= now) {
      const t = tallyOf(tallies, n.departmentCode)
      t.denominator++
      t.failures.push(failure('not_published'))
    }
  }
  return tallies
}

export function periodsHonoured(rows: NoticeFacts[]): Tallies {
  const tallies: Tallies = new Map()
  for (const n of rows) {
    const t = tallyOf(tallies, n.departmentCode)
    t.denominator++
    if (n.endsAt && n.concludedAt! >= n.endsAt) t.numerator++
    else t.failures.push({ kind: 'notice', ref: n.id, title: n.title, reason: 'concluded_before_period_end', dueAt: n.endsAt, doneAt: n.concludedAt, href: `/v1/notices/${n.id}` })
  }
  return tallies
}

export interface ObjectionFacts {
  receipt: string
  noticeId: string
  noticeTitle: string
  departmentCode: string
  createdAt: Date
  resolvedAt: Date | null
}

/** 24:00 of the last day to answer an objection received at `receivedAt`. */
export function answerDueAt(calendar: WorkCalendar, receivedAt: Date): Date {
  return new Date(computePeriod(calendar, { start: receivedAt, unit: 'calendar_day', length: OBJECTION_ANSWER_DAYS }).endsAt)
}

export function objectionsAnswered(rows: ObjectionFacts[], calendar: WorkCalendar, now: Date): Tallies {
  const tallies: Tallies = new Map()
  for (const o of rows) {
    const due = answerDueAt(calendar, o.createdAt)
    const failure = (reason: FailureReason): Failure => ({ kind: 'objection', ref: o.receipt, title: o.noticeTitle, reason, dueAt: due, doneAt: o.resolvedAt, href: `/v1/objections/${o.receipt}` })
    if (o.resolvedAt) {
      const t = tallyOf(tallies, o.departmentCode)
      t.denominator++
      if (o.resolvedAt <= due) t.numerator++
      else t.failures.push(failure('answered_late'))
    } else if (due <= now) {
      const t = tallyOf(tallies, o.departmentCode)
      t.denominator++
      t.failures.push(failure('unanswered'))
    }
  }
  return tallies
}

export interface MonthlyObligation {
  departmentCode: string
  departmentName: string
  month: string
  report: { id: string; firstSubmittedAt: Date | null; dueAt: Date } | null
  /** The due date under the current rule, for a month without a report. */
  dueAt: Date
}

export function reportsOnTime(obligations: MonthlyObligation[], now: Date): Tallies {
  const tallies: Tallies = new Map()
  for (const o of obligations) {
    const due = o.report?.dueAt ?? o.dueAt
    const submitted = o.report?.firstSubmittedAt ?? null
    const failure = (reason: FailureReason): Failure => ({
      kind: 'report',
      ref: o.report?.id ?? `${o.departmentCode}/${o.month}`,
      title: `${o.departmentName} ${o.month} 月度工作报告`,
      reason,
      dueAt: due,
      doneAt: submitted,
      href: o.report ? `/v1/reports/${o.report.id}` : null,
    })
    if (submitted) {
      const t = tallyOf(tallies, o.departmentCode)
      t.denominator++
      if (submitted <= due) t.numerator++
      else t.failures.push(failure('submitted_late'))
    } else if (due <= now) {
      const t = tallyOf(tallies, o.departmentCode)
      t.denominator++
      t.failures.push(failure('not_submitted'))
    }
  }
  return tallies
}

/** The weighted mean of the indicators that apply (denominator > 0), out of 100, one decimal; null when none does. */
export function weightedScore(indicators: { weight: number; value: number | null }[]): number | null {
  const applicable = indicators.filter((i) => i.value !== null && i.weight > 0)
  const total = applicable.reduce((s, i) => s + i.weight, 0)
  if (!total) return null
  return Math.round((1000 * applicable.reduce((s, i) => s + i.weight * i.value!, 0)) / total) / 10
}
