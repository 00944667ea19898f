// A report's way to the district office: draft → submitted → accepted, or returned with a comment and
// then edited and submitted again. Submitting freezes the figures and, the first time, the due date the
// report is measured against; accepting and returning are the district office's (an admin who is not
// the report's author or submitter). Each move locks the report, records who and when on it, and is
// audited in the same transaction.
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import type { Principal } from '../../http/access.js'
import { conflict, forbidden, unprocessable } from '../../lib/problems.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { appendEvent } from '../events/outbox.js'
import { fourEyesProblem, roundParticipants } from '../review/workflow.js'
import { figuresFor } from './figures.js'
import { editableStatuses, lockReport, periodFacts, sections, type ReportStatus, type ReportType } from './service.js'
import { getReportSettings } from './settings.js'
import { reports, type ReportRow } from './tables.js'

export const reportActions = ['submit', 'accept', 'return'] as const
export type ReportAction = (typeof reportActions)[number]

const moves: Record<ReportAction, { from: readonly string[]; to: ReportStatus }> = {
  submit: { from: editableStatuses, to: 'submitted' },
  accept: { from: ['submitted'], to: 'accepted' },
  return: { from: ['submitted'], to: 'returned' },
}

export async function moveReport(db: Db, ctx: WriteContext, principal: Principal, id: string, action: ReportAction, body: { comment?: string | undefined }): Promise<ReportRow> {
  return db.transaction(async (tx) => {
    const row = await lockReport(tx, id)
    const move = moves[action]
    if (!move.from.includes(row.status)) {
      const hint = action === 'submit' ? ' Only a draft or a returned report can be submitted.' : ' Only a submitted report can be accepted or returned.'
      throw conflict(`Cannot ${action} the report: it is ${row.status}.${hint}`)
    }
    const set: Partial<typeof reports.$inferInsert> = { status: move.to, version: row.version + 1, updatedAt: ctx.now }
    const comment = body.comment?.trim() || null

    if (action === 'submit') {
      const empty = sections.filter((s) => !row[s.key].trim())
      if (empty.length) {
        throw unprocessable(`Write every section before submitting: ${empty.map((s) => s.zh).join('、')} ${empty.length > 1 ? 'are' : 'is'} empty.`, empty.map((s) => ({ pointer: `/${s.key}`, message: `${s.zh} (${s.en}) is empty` })))
      }
      const settings = await getReportSettings(tx, row.regionCode)
      const facts = await periodFacts(tx, settings, row.type as ReportType, row.period)
      if (ctx.now < facts.range.to) throw conflict(`The period ${row.period} is not over yet; submit from ${facts.range.to.toISOString()} on, when its figures are complete.`)
      Object.assign(set, {
        figures: await figuresFor(tx, row.regionCode, row.departmentCode, facts.range, ctx.now),
        figuresAt: ctx.now,
        // The due date in force until the first submission (a corrected calendar or rule applies);
        // after that the report keeps the one it was measured against.
        ...(row.firstSubmittedAt ? {} : { dueAt: facts.due.dueAt, firstSubmittedAt: ctx.now }),
        submittedAt: ctx.now,
        submitterId: ctx.actor.id,
        submitterName: ctx.actor.name,
        reviewedAt: null,
        reviewerId: null,
        reviewerName: null,
        reviewComment: null,
      })
    } else {
      // The district office reviews: a person, not the one who wrote or submitted the report.
      // The shared four-eyes rule (review/workflow.ts): not the author, nor anyone who edited or submitted it.
      const round = await roundParticipants(tx, { type: 'report', id })
      const problem = fourEyesProblem(principal, row.authorId, { editors: round.editors, submitters: new Set([...round.submitters, ...(row.submitterId ? [row.submitterId] : [])]) })
      if (problem) throw forbidden(problem)
      if (action === 'return' && !comment) throw unprocessable('Say what to improve when returning a report.', [{ pointer: '/body/comment', message: 'is required when returning a report' }])
      Object.assign(set, { reviewedAt: ctx.now, reviewerId: principal.id, reviewerName: principal.name, reviewComment: comment })
      if (action === 'accept') set.acceptedAt = ctx.now
      else set.returnCount = row.returnCount + 1
    }

    const [updated] = await tx.update(reports).set(set).where(eq(reports.id, id)).returning()
    await appendAudit(tx, ctx, { action: `report.${action}`, targetType: 'report', targetId: id, details: { from: row.status, to: move.to, ...(comment ? { comment } : {}) } })
    await appendEvent(tx, ctx, {
      type: ({ submit: 'report.submitted', accept: 'report.accepted', return: 'report.returned' } as const)[action],
      data: { id, version: updated!.version, url: `/v1/reports/${id}`, department: updated!.departmentCode, period: updated!.period },
    })
    return updated!
  })
}
