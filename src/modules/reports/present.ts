// Reports as the API shows them.
import type { Static } from 'typebox'
import { shanghaiDateOf } from '../../lib/calendar/index.js'
import type { ReportDto, ReportListItem, ReportSettingsSchema, ReportingSummaryDto } from './schemas.js'
import { isLate, sections, type HistoryEntry } from './service.js'
import type { ReportSettings } from './settings.js'
import type { PeriodSummary } from './summary.js'
import type { ReportFigures, ReportRow } from './tables.js'

const iso = (d: Date | null) => (d ? d.toISOString() : null)

export function toListItem(r: ReportRow, now: Date): ReportListItem {
  return {
    id: r.id,
    regionCode: r.regionCode,
    departmentCode: r.departmentCode,
    type: r.type as ReportListItem['type'],
    period: r.period,
    status: r.status as ReportListItem['status'],
    dueAt: r.dueAt.toISOString(),
    late: isLate(r, now),
    author: r.authorName,
    lastEditor: r.editorName,
    firstSubmittedAt: iso(r.firstSubmittedAt),
    submittedAt: iso(r.submittedAt),
    submitter: r.submitterName,
    reviewedAt: iso(r.reviewedAt),
    reviewer: r.reviewerName,
    reviewComment: r.reviewComment,
    acceptedAt: iso(r.acceptedAt),
    returnCount: r.returnCount,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }
}

export function toReport(r: ReportRow, figures: { figures: ReportFigures; asOf: Date; frozen: boolean }, history: HistoryEntry[], now: Date): ReportDto {
  return {
    ...toListItem(r, now),
    ...(Object.fromEntries(sections.map((s) => [s.key, r[s.key]])) as Pick<ReportDto, (typeof sections)[number]['key']>),
    figures: figures.figures,
    figuresAsOf: figures.asOf.toISOString(),
    figuresFrozen: figures.frozen,
    history: history.map((h) => ({ action: h.action, actor: h.actor, at: h.at.toISOString(), comment: h.comment })),
  }
}

export function toReportingSummary(s: PeriodSummary): ReportingSummaryDto {
  return {
    type: s.type,
    period: s.period,
    from: shanghaiDateOf(s.facts.range.from),
    to: shanghaiDateOf(new Date(s.facts.range.to.getTime() - 1)),
    dueDate: s.facts.due.dueDate,
    dueAt: s.facts.due.dueAt.toISOString(),
    dueDateProvisional: s.facts.due.provisional,
    departments: s.lines.map((l) => ({
      departmentCode: l.department.code,
      departmentName: l.department.nameZh,
      required: l.required,
      status: l.status,
      late: l.late,
      dueAt: l.dueAt.toISOString(),
      reportId: l.report?.id ?? null,
      firstSubmittedAt: iso(l.report?.firstSubmittedAt ?? null),
      reviewer: l.report?.reviewerName ?? null,
      figures: l.figures,
    })),
    counts: s.counts,
    totals: s.totals,
  }
}

export function toReportSettings(s: ReportSettings): Static<typeof ReportSettingsSchema> {
  return { regionCode: s.regionCode, dueRule: s.dueRule, departments: s.departments, pilotPhases: s.pilotPhases, version: s.version, updatedAt: iso(s.updatedAt) }
}
