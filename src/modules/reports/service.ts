// Monthly reports (月度工作报告) and pilot phase reports: one per department and period, written in
// five sections (the plan's feedback: progress, main practices, results and lessons, difficulties,
// next-step suggestions) with figures the system fills in. Drafting and reads here; the small
// workflow (submit, accept, return) in workflow.ts.
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import type { Principal } from '../../http/access.js'
import { checkIfMatch, etagOf } from '../../http/preconditions.js'
import { encodeCursor, readCursor } from '../../lib/cursor.js'
import { canonicalJson, sha256Hex } from '../../lib/hashing.js'
import { catchNotFound, conflict, notFound, unprocessable } from '../../lib/problems.js'
import { appendAudit, listAudit, type WriteContext } from '../audit/service.js'
import { getDepartment } from '../reference/service.js'
import { recordEdit } from '../review/workflow.js'
import { dateRange, dueOfMonth, dueOfPhase, monthRange, type Due, type Range } from './due.js'
import { figuresFor } from './figures.js'
import * as q from './queries.js'
import { findPhase, getReportSettings, type ReportSettings } from './settings.js'
import { reports, type ReportFigures, type ReportRow } from './tables.js'

export const reportTypes = ['monthly', 'pilot_summary'] as const
export type ReportType = (typeof reportTypes)[number]
export const reportStatuses = ['draft', 'submitted', 'accepted', 'returned'] as const
export type ReportStatus = (typeof reportStatuses)[number]
/** The five sections, in the order the plan lists them, with their headings. */
export const sections = [
  { key: 'progress', zh: '进展情况', en: 'Progress' },
  { key: 'practices', zh: '主要做法', en: 'Main practices' },
  { key: 'results', zh: '成果经验', en: 'Results and lessons' },
  { key: 'difficulties', zh: '矛盾困难', en: 'Difficulties' },
  { key: 'nextSteps', zh: '下一步建议', en: 'Next-step suggestions' },
] as const
export type SectionKey = (typeof sections)[number]['key']
export type Sections = Record<SectionKey, string>

export const reportEtag = (r: { id: string; version: number }) => etagOf('report', r.id, r.version)

/**
 * The ETag of a report as read: its version and a digest of its figures, which change with the
 * department's notices while the report is written (so If-None-Match never serves stale figures).
 */
export const readEtag = (r: { id: string; version: number }, figures: ReportFigures) => reportEtag(r).replace(/"$/, `-f${sha256Hex(canonicalJson(figures)).slice(0, 8)}"`)

/** If-Match compares versions only: the figures are the system's, not something an editor overwrites. */
const versionOnly = (ifMatch: string) => ifMatch.replace(/-f[0-9a-f]{8}"/g, '"')

/** Editable in draft and after the district office returned it. */
export const editableStatuses: readonly string[] = ['draft', 'returned']

/**
 * Late when first submitted after the due date, or not submitted yet and past it. A report returned
 * for improvement and submitted again is measured by its first submission.
 */
export function isLate(r: { firstSubmittedAt: Date | null; dueAt: Date }, now: Date): boolean {
  return (r.firstSubmittedAt ?? now) > r.dueAt
}

export interface PeriodFacts {
  range: Range
  due: Due
}

/** The dates a report covers and its due date; 422 when the period is not one that can be reported. */
export async function periodFacts(db: Db, settings: ReportSettings, type: ReportType, period: string, pointer = '/body/period'): Promise<PeriodFacts> {
  if (type === 'monthly') {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) throw unprocessable('A monthly report is for a month.', [{ pointer, message: 'must be a month YYYY-MM' }])
    return { range: monthRange(period), due: await dueOfMonth(db, settings.regionCode, period, settings.dueRule) }
  }
  const phase = findPhase(settings, period)
  if (!phase) throw unprocessable(`No pilot phase ${period}; the phases are ${settings.pilotPhases.map((p) => p.code).join(', ') || 'not configured'} (GET /v1/reports/settings).`, [{ pointer, message: 'is not a pilot phase' }])
  return { range: dateRange(phase.from, phase.to), due: dueOfPhase(phase) }
}

export interface CreateReportInput extends Partial<Sections> {
  departmentCode: string
  type: ReportType
  period: string
}

export async function createReport(db: Db, ctx: WriteContext, input: CreateReportInput): Promise<ReportRow> {
  await catchNotFound(getDepartment(db, ctx.regionCode, input.departmentCode), () => {
    throw unprocessable('The report is not valid.', [{ pointer: '/body/departmentCode', message: `no department ${input.departmentCode}` }])
  })
  const settings = await getReportSettings(db, ctx.regionCode)
  const facts = await periodFacts(db, settings, input.type, input.period)
  if (facts.range.from > ctx.now) throw unprocessable('A report can be drafted once its period has begun.', [{ pointer: '/body/period', message: 'has not begun yet' }])
  return db.transaction(async (tx) => {
    const existing = await q.findByPeriod(tx, ctx.regionCode, input.departmentCode, input.type, input.period)
    if (existing) throw conflict(`${input.departmentCode} already has its ${input.type} report for ${input.period}: /v1/reports/${existing.id}.`)
    const [row] = await tx
      .insert(reports)
      .values({
        regionCode: ctx.regionCode,
        departmentCode: input.departmentCode,
        type: input.type,
        period: input.period,
        ...Object.fromEntries(sections.map((s) => [s.key, input[s.key] ?? ''])),
        dueAt: facts.due.dueAt,
        authorId: ctx.actor.id ?? 'system',
        authorName: ctx.actor.name,
        editorName: ctx.actor.name,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning()
    await appendAudit(tx, ctx, { action: 'report.create', targetType: 'report', targetId: row!.id, details: { department: input.departmentCode, type: input.type, period: input.period } })
    return row!
  })
}

export async function lockReport(tx: Db, id: string): Promise<ReportRow> {
  const row = await q.findReport(tx, id, { forUpdate: true })
  if (!row) throw notFound(`No report ${id}.`)
  return row
}

/** Edits sections of a draft or returned report (If-Match). */
export async function updateReport(db: Db, ctx: WriteContext, id: string, ifMatch: string, patch: Partial<Sections>): Promise<ReportRow> {
  return db.transaction(async (tx) => {
    const row = await lockReport(tx, id)
    checkIfMatch(versionOnly(ifMatch), reportEtag(row))
    if (!editableStatuses.includes(row.status)) throw conflict(`The report is ${row.status}; only a draft or a returned report can be edited.`)
    const [updated] = await tx
      .update(reports)
      .set({ ...patch, editorName: ctx.actor.name, version: row.version + 1, updatedAt: ctx.now })
      .where(eq(reports.id, id))
      .returning()
    await appendAudit(tx, ctx, { action: 'report.update', targetType: 'report', targetId: id, details: { fields: Object.keys(patch) } })
    await recordEdit(tx, ctx, { type: 'report', id }, row.status)
    return updated!
  })
}

export async function getReport(db: Db, id: string): Promise<ReportRow> {
  const row = await q.findReport(db, id)
  if (!row) throw notFound(`No report ${id}.`)
  return row
}

/** The department that owns a report, for the access rule of routes that address it. */
export async function departmentOfReport(db: Db, id: string): Promise<string | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null
  return (await q.findReport(db, id))?.departmentCode ?? null
}

/** Frozen at submission; live (as of now) while the report is being written. */
export async function figuresOfReport(db: Db, row: ReportRow, now: Date): Promise<{ figures: ReportFigures; asOf: Date; frozen: boolean }> {
  if (row.figures && row.figuresAt && !editableStatuses.includes(row.status)) return { figures: row.figures, asOf: row.figuresAt, frozen: true }
  const settings = await getReportSettings(db, row.regionCode)
  const { range } = await periodFacts(db, settings, row.type as ReportType, row.period)
  return { figures: await figuresFor(db, row.regionCode, row.departmentCode, range, now), asOf: now, frozen: false }
}

export interface HistoryEntry {
  action: 'create' | 'submit' | 'accept' | 'return'
  actor: string
  at: Date
  comment: string | null
}

/** Who created, submitted, accepted or returned the report, and when: read from the audit log. */
export async function reportHistory(db: Db, id: string): Promise<HistoryEntry[]> {
  const { items } = await listAudit(db, { targetType: 'report', targetId: id, limit: 200 })
  return items
    .reverse()
    .filter((e) => ['report.create', 'report.submit', 'report.accept', 'report.return'].includes(e.action))
    .map((e) => ({ action: e.action.slice('report.'.length) as HistoryEntry['action'], actor: e.actorName, at: e.at, comment: typeof e.details.comment === 'string' ? e.details.comment : null }))
}

/** Departments whose reports the caller sees: null for region-wide staff (admins, auditors). */
export function departmentsVisibleTo(principal: Principal): string[] | null {
  if (principal.grants.some((g) => g.departmentCode === null)) return null
  return principal.grants.map((g) => g.departmentCode!).filter(Boolean)
}

export type ListQuery = Omit<q.ReportFilter, 'after' | 'limit'> & { limit: number; cursor?: string | undefined }

export async function listReports(db: Db, query: ListQuery) {
  const key = readCursor(query.cursor, ['number', 'uuid'])
  const after = key ? { updatedAt: new Date(key[0]), id: key[1] } : undefined
  const rows = await q.listReports(db, { ...query, after, limit: query.limit + 1 })
  const items = rows.slice(0, query.limit)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor([last.updatedAt.getTime(), last.id]) : null }
}

/** The monthly reports of these months (for the assessment of reporting on time). */
export const monthlyReportsOf = (db: Db, regionCode: string, months: string[], departments?: string[]) => q.monthlyReports(db, regionCode, months, departments)
