// Notices as the API shows them. Public responses mask personal columns through the one masking
// function, drop staff-only columns, and omit the list once its retention has ended.
import { maskPersonal } from '../../lib/masking.js'
import { toReview } from '../review/schemas.js'
import { isPersonal } from './columns.js'
import type { NoticeSummaryRow } from './queries.js'
import type { NoticeDto, NoticeSummary, ObjectionSchema, ReceiptSchema } from './schemas.js'
import { daysRemaining, entriesArePublic, noticeStatus } from './status.js'
import type { NoticeColumn, NoticeRow, ObjectionRow } from './tables.js'
import type { Static } from 'typebox'

type Counts = { total: number; open: number; upheld: number; rejected: number }
const noCounts: Counts = { total: 0, open: 0, upheld: 0, rejected: 0 }
const iso = (d: Date | null) => (d ? d.toISOString() : null)

/** The counts as the list query returns them: [total, open, upheld, rejected]. */
export const countsOf = ([total, open, upheld, rejected]: readonly [number, number, number, number]): Counts => ({ total, open, upheld, rejected })

export function toSummary(n: NoticeSummaryRow, counts: Counts | undefined, now: Date): NoticeSummary {
  const decisionEnd = n.decidedAt ?? now
  return {
    id: n.id,
    regionCode: n.regionCode,
    departmentCode: n.departmentCode,
    domainCode: n.domainCode,
    itemKey: n.itemKey,
    kind: n.kind as NoticeSummary['kind'],
    title: n.title,
    status: noticeStatus(n, now),
    ruleCode: n.ruleCode,
    startsAt: iso(n.startsAt),
    firstDay: n.firstDay,
    lastDay: n.lastDay,
    endsAt: iso(n.endsAt),
    daysRemaining: daysRemaining(n, now),
    calendarStatus: n.calendarStatus as NoticeSummary['calendarStatus'],
    channels: n.channels as NoticeSummary['channels'],
    entryCount: n.entryCount,
    objections: counts ?? noCounts,
    revision: n.revision,
    revisionOf: n.revisionOf,
    revisedBy: n.revisedBy,
    conclusion: n.conclusion as NoticeSummary['conclusion'],
    concludedAt: iso(n.concludedAt),
    formedAt: iso(n.formedAt),
    publishDueAt: iso(n.publishDueAt),
    publishedLate: n.publishDueAt && n.publishedAt ? n.publishedAt > n.publishDueAt : null,
    materialsReceivedAt: iso(n.materialsReceivedAt),
    decisionDueAt: iso(n.decisionDueAt),
    decidedAt: iso(n.decidedAt),
    decisionRecordedAt: iso(n.decisionRecordedAt),
    decisionOverdue: n.decisionDueAt ? decisionEnd > n.decisionDueAt : null,
    review: toReview(n),
    updatedAt: n.updatedAt.toISOString(),
  }
}

/** The columns the public may see: public ones, and for a long-term list only the kept ones. */
export function publicColumns(n: Pick<NoticeRow, 'columns' | 'retention'>, longTermNow: boolean): NoticeColumn[] {
  const visible = n.columns.filter((c) => c.public)
  if (longTermNow && n.retention.type === 'long_term') {
    const keep = new Set(n.retention.columns)
    return visible.filter((c) => keep.has(c.key))
  }
  return visible
}

export function maskEntry(columns: NoticeColumn[], data: Record<string, string | number | null>) {
  const out: Record<string, string | number | null> = {}
  for (const c of columns) {
    const v = data[c.key] ?? null
    out[c.key] = v !== null && isPersonal(c) ? maskPersonal(c.type, String(v)) : v
  }
  return out
}

export const ENTRIES_IN_DETAIL = 500

export function toNotice(n: NoticeRow, counts: Counts | undefined, entries: { data: Record<string, string | number | null> }[], now: Date): NoticeDto {
  const listPublic = entriesArePublic(n, now)
  const pastPeriod = n.endsAt !== null && now >= n.endsAt
  const columns = publicColumns(n, pastPeriod)
  const shown = listPublic || ['draft', 'submitted', 'approved', 'rejected'].includes(n.reviewState)
  return {
    ...toSummary(n, counts, now),
    body: n.body,
    attachments: n.attachments,
    notarization: n.notarization ?? null,
    columns,
    retention: n.retention,
    privacyAssessment: n.privacyAssessment ?? null,
    entries: shown ? entries.slice(0, ENTRIES_IN_DETAIL).map((e) => maskEntry(columns, e.data)) : null,
    entriesWithdrawn: !shown && n.reviewState === 'published',
    entriesTruncated: shown && n.entryCount > ENTRIES_IN_DETAIL,
  }
}

export function toReceipt(o: ObjectionRow, noticeTitle: string): Static<typeof ReceiptSchema> {
  return { receipt: o.receipt, status: o.status as 'open', submittedAt: o.createdAt.toISOString(), reply: o.reply, resolvedAt: iso(o.resolvedAt), noticeId: o.noticeId, noticeTitle }
}

export function toObjection(o: ObjectionRow): Static<typeof ObjectionSchema> {
  return {
    receipt: o.receipt,
    noticeId: o.noticeId,
    entryRow: o.entryRow,
    name: o.objectorName,
    contact: o.objectorContact,
    reason: o.reason,
    channel: o.channel as 'portal',
    status: o.status as 'open',
    assignee: o.assignee,
    reply: o.reply,
    resolvedAt: iso(o.resolvedAt),
    resolvedBy: o.resolvedBy,
    submittedAt: o.createdAt.toISOString(),
    addressHash: o.clientAddressHash,
  }
}
