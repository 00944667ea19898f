// Applications as the API shows them: the status view (no personal data, not the request's text) and
// the staff record, whose applicant is masked through the one masking function unless raw data was
// asked for with read:private (the route audits that read).
import { maskPersonal } from '../../lib/masking.js'
import { toReview } from '../review/schemas.js'
import { groupLabels, reasonLabels } from './outcomes.js'
import type { ApplicationDto, ApplicationStatusDto } from './schemas.js'
import type { ApplicationRecord, DerivedState } from './state.js'

export type ProactiveItem = ApplicationStatusDto['proactiveItem']
const iso = (d: Date | null) => (d ? d.toISOString() : null)

export function toStatus(rec: ApplicationRecord, s: DerivedState, proactiveItem: ProactiveItem): ApplicationStatusDto {
  const { app } = rec
  return {
    receipt: app.receipt,
    departmentCode: app.departmentCode,
    channel: app.channel as ApplicationStatusDto['channel'],
    receivedAt: app.receivedAt.toISOString(),
    status: s.status,
    replyDueAt: s.clock?.dueAt ?? null,
    daysLeft: s.clock && !s.outcome ? s.clock.daysLeft : null,
    overdue: s.overdue,
    calendarStatus: s.clock ? (s.clock.provisional ? 'provisional' : 'official') : null,
    correctionDueDate: app.correctedAt ? null : app.correctionDueDate,
    feeDueDate: app.feePaidAt ? null : app.feeDueDate,
    outcome: s.outcome
      ? { group: s.outcome.group, reason: s.outcome.reason, label: s.outcome.reason ? `${groupLabels[s.outcome.group]} ${reasonLabels[s.outcome.reason]}` : groupLabels[s.outcome.group], at: s.outcome.at.toISOString() }
      : null,
    proactiveItem,
  }
}

export function toApplication(rec: ApplicationRecord, s: DerivedState, proactiveItem: ProactiveItem, raw: boolean): ApplicationDto {
  const { app, reply } = rec
  const personal = (kind: 'name' | 'id_number' | 'phone' | 'address', v: string | null) => (v === null ? null : raw ? v : maskPersonal(kind, v))
  return {
    ...toStatus(rec, s, proactiveItem),
    regionCode: app.regionCode,
    receiptEvidence: app.receiptEvidence,
    applicant: {
      type: app.applicantType as ApplicationDto['applicant']['type'],
      // An organisation's name is not personal data; a person's is.
      name: app.applicantType === 'natural_person' ? personal('name', app.applicantName)! : app.applicantName,
      idNumber: personal('id_number', app.applicantIdNumber),
      phone: personal('phone', app.applicantPhone),
      address: personal('address', app.applicantAddress),
    },
    request: app.request,
    description: app.description,
    itemKey: app.itemKey,
    clock: s.clock,
    correction: app.correctionRequestedAt ? { requestedAt: app.correctionRequestedAt.toISOString(), items: app.correctionItems ?? '', dueDate: app.correctionDueDate!, correctedAt: iso(app.correctedAt) } : null,
    extension:
      app.extensionRequestedAt && app.extensionDays
        ? { days: app.extensionDays, reason: app.extensionReason ?? '', requestedBy: app.extensionRequestedBy ?? '', requestedAt: app.extensionRequestedAt.toISOString(), approvedBy: app.extensionApprovedBy, approvedAt: iso(app.extensionApprovedAt) }
        : null,
    consultations: rec.consultations.map((c) => ({ seq: c.seq, consultee: c.consultee, consulteeKind: c.consulteeKind as 'agency', letter: c.letter, sentAt: c.sentAt.toISOString(), dueDate: c.dueDate, answeredAt: iso(c.answeredAt), answer: c.answer })),
    fee: app.feeNoticedAt ? { amount: app.feeAmount ?? '0', noticedAt: app.feeNoticedAt.toISOString(), dueDate: app.feeDueDate!, paidAt: iso(app.feePaidAt) } : null,
    reply: reply
      ? {
          outcome: reply.outcome as 'disclosed',
          reason: reply.reason as null,
          legalBasis: reply.legalBasis,
          document: reply.document,
          documentNumber: reply.documentNumber,
          content: reply.content,
          deliveryMethod: reply.deliveryMethod as 'post',
          deliveredAt: iso(reply.deliveredAt),
          review: toReview(reply),
        }
      : null,
    remedies: rec.remedies.map((r) => ({ seq: r.seq, kind: r.kind as 'review', filedAt: r.filedAt.toISOString(), outcome: r.outcome as 'pending', decidedAt: iso(r.decidedAt), caseNumber: r.caseNumber })),
    createdAt: app.createdAt.toISOString(),
    updatedAt: app.updatedAt.toISOString(),
  }
}
