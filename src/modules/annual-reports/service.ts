// Annual reports: the view (tables computed live from the records until submission, frozen after),
// editing the prose and the entered figures, the review workflow with the integrity checks enforced
// before submission and publication, and the district roll-up of its departments.
import { and, eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import type { Principal } from '../../http/access.js'
import { checkIfMatch, etagOf } from '../../http/preconditions.js'
import { conflict, notFound, ProblemError, unprocessable } from '../../lib/problems.js'
import { applicationFacts } from '../applications/service.js'
import type { WriteContext } from '../audit/service.js'
import { appendAudit } from '../audit/service.js'
import { getDepartment, listDepartmentsFlat } from '../reference/service.js'
import { toReview } from '../review/schemas.js'
import { planReview, recordEdit, recordTransition } from '../review/workflow.js'
import { computeApplicationsTable, computeRemediesTable, yearStart, type ApplicationsTable, type RemediesTable } from './computation.js'
import { reportDueAt, type ReportScope } from './due.js'
import { checkIntegrity, type IntegrityFailure } from './integrity.js'
import type { AnnualReportDto, AnnualReportInput, annualReportActions } from './schemas.js'
import { annualReports, type AnnualReportRow, type FrozenTables } from './tables.js'

const scopeKeyOf = (department: string | null) => (department ? `department:${department}` : 'region')
export const annualReportEtag = (row: AnnualReportRow) => etagOf('annual-report', row.id, row.version)

async function findReport(db: Db, regionCode: string, year: number, department: string | null, options: { forUpdate?: boolean } = {}): Promise<AnnualReportRow | undefined> {
  const query = db
    .select()
    .from(annualReports)
    .where(and(eq(annualReports.regionCode, regionCode), eq(annualReports.year, year), eq(annualReports.scopeKey, scopeKeyOf(department))))
  const [row] = options.forUpdate ? await query.for('update') : await query
  return row
}

/** Tables 三 and 四 computed now from the applications of the department (or the whole region). */
export async function computeTables(db: Db, regionCode: string, year: number, department: string | null, now: Date): Promise<FrozenTables> {
  const facts = await applicationFacts(db, { regionCode, department, receivedBefore: yearStart(year + 1) }, now)
  return { applications: computeApplicationsTable(facts, year), remedies: computeRemediesTable(facts, year) }
}

/** Last year's 结转下年度继续办理 as published; null when last year's report was not published here. */
async function lastYearCarriedOut(db: Db, regionCode: string, year: number, department: string | null) {
  const last = await findReport(db, regionCode, year - 1, department)
  return last?.reviewState === 'published' && last.frozen ? last.frozen.applications.carriedOut : null
}

export interface ReportView {
  row: AnnualReportRow | undefined
  dto: AnnualReportDto
}

export async function getAnnualReport(db: Db, regionCode: string, year: number, department: string | null, now: Date): Promise<ReportView> {
  const name = department ? (await getDepartment(db, regionCode, department)).nameZh : null
  const row = await findReport(db, regionCode, year, department)
  const tables = row?.frozen ?? (await computeTables(db, regionCode, year, department, now))
  const checks = checkIntegrity(tables.applications, await lastYearCarriedOut(db, regionCode, year, department))
  const scope: ReportScope = department ? 'department' : 'region'
  const dueAt = reportDueAt(scope, year)
  const publishedAt = row?.reviewState === 'published' ? row.publishedAt : null
  return {
    row,
    dto: {
      year,
      regionCode,
      departmentCode: department,
      scope,
      title: `${name ?? '本级人民政府'}${year}年政府信息公开工作年度报告`,
      dueAt: dueAt.toISOString(),
      overdue: publishedAt ? publishedAt > dueAt : now >= dueAt,
      sections: { overview: row?.overview ?? '', problems: row?.problems ?? '', otherMatters: row?.otherMatters ?? '' },
      tables: { proactive: row?.proactive ? { ...row.proactive, source: 'entered' as const } : null, applications: tables.applications, remedies: tables.remedies },
      tablesSource: row?.frozen ? 'frozen' : 'live',
      frozenAt: row?.frozenAt?.toISOString() ?? null,
      checks,
      review: row ? toReview(row) : null,
      version: row?.version ?? 0,
      updatedAt: row?.updatedAt.toISOString() ?? null,
    },
  }
}

const editable = new Set(['draft', 'rejected'])

export async function saveAnnualReport(db: Db, ctx: WriteContext, year: number, department: string | null, ifMatch: string | null, input: AnnualReportInput): Promise<void> {
  if (department) await getDepartment(db, ctx.regionCode, department)
  if (year > new Date(ctx.now.getTime() + 8 * 3_600_000).getUTCFullYear()) throw unprocessable('A report covers a year that has begun.', [{ pointer: '/params/year', message: 'is in the future' }])
  await db.transaction(async (tx) => {
    const row = await findReport(tx, ctx.regionCode, year, department, { forUpdate: true })
    const values = {
      ...(input.overview !== undefined ? { overview: input.overview } : {}),
      ...(input.problems !== undefined ? { problems: input.problems } : {}),
      ...(input.otherMatters !== undefined ? { otherMatters: input.otherMatters } : {}),
      ...(input.proactive !== undefined ? { proactive: input.proactive } : {}),
      updatedAt: ctx.now,
    }
    if (row) {
      if (ifMatch === null) throw new ProblemError('precondition-required', 'The report exists: send the ETag of the version you edited in If-Match.')
      checkIfMatch(ifMatch, annualReportEtag(row))
      if (!editable.has(row.reviewState)) throw conflict(`The report is ${row.reviewState}; only a draft or a rejected report can be edited.`)
      await tx.update(annualReports).set({ ...values, version: row.version + 1 }).where(eq(annualReports.id, row.id))
      await recordEdit(tx, ctx, { type: 'annual_report', id: `${year}/${scopeKeyOf(department)}` }, row.reviewState)
    } else {
      await tx.insert(annualReports).values({ ...values, regionCode: ctx.regionCode, year, scopeKey: scopeKeyOf(department), departmentCode: department, authorId: ctx.actor.id ?? 'system', authorName: ctx.actor.name, createdAt: ctx.now })
    }
    await appendAudit(tx, ctx, { action: row ? 'annual_report.update' : 'annual_report.create', targetType: 'annual_report', targetId: `${year}/${scopeKeyOf(department)}` })
  })
}

function refuseFailures(failures: IntegrityFailure[]) {
  if (failures.length) {
    throw unprocessable(`The report fails its integrity checks: ${failures.map((f) => `${f.check} (${f.message})`).join('; ')}`, failures.map((f) => ({ pointer: f.pointer, message: `${f.check}: ${f.message}` })))
  }
}

export async function moveAnnualReport(db: Db, ctx: WriteContext, principal: Principal, year: number, department: string | null, action: (typeof annualReportActions)[number], body: { comment?: string | undefined; reason?: string | undefined }) {
  await db.transaction(async (tx) => {
    const row = await findReport(tx, ctx.regionCode, year, department, { forUpdate: true })
    if (!row) throw notFound(`No annual report ${year} for ${department ?? 'the region'}; write it first (PUT).`)
    const plan = await planReview(tx, { type: 'annual_report', id: `${year}/${scopeKeyOf(department)}` }, row, { action, departmentCode: department, comment: body.comment, reason: body.reason }, principal, ctx.now)
    const set: Partial<typeof annualReports.$inferInsert> = { ...(plan.columns as Partial<typeof annualReports.$inferInsert>), version: row.version + 1, updatedAt: ctx.now }
    if (action === 'submit') {
      if (ctx.now < yearStart(year + 1)) throw conflict(`The year ${year} is not over; submit from 1 January ${year + 1} on, when its figures are complete.`)
      const empty = (['overview', 'problems', 'otherMatters'] as const).filter((k) => !row[k].trim())
      if (empty.length || !row.proactive) {
        throw unprocessable('Write every section before submitting.', [...empty.map((k) => ({ pointer: `/body/${k}`, message: 'is empty' })), ...(row.proactive ? [] : [{ pointer: '/body/proactive', message: 'table 二 is not entered' }])])
      }
      const tables = await computeTables(tx, ctx.regionCode, year, department, ctx.now)
      refuseFailures(checkIntegrity(tables.applications, await lastYearCarriedOut(tx, ctx.regionCode, year, department)))
      Object.assign(set, { frozen: tables, frozenAt: ctx.now })
    }
    if (action === 'publish') refuseFailures(checkIntegrity(row.frozen!.applications, await lastYearCarriedOut(tx, ctx.regionCode, year, department)))
    // A rejected report is edited again: its tables are computed afresh at the next submission.
    if (action === 'reject' || action === 'withdraw') Object.assign(set, { frozen: null, frozenAt: null })
    await tx.update(annualReports).set(set).where(eq(annualReports.id, row.id))
    await recordTransition(tx, ctx, { type: 'annual_report', id: `${year}/${scopeKeyOf(department)}` }, plan, { action, departmentCode: department, comment: body.comment, reason: body.reason })
  })
}

export interface RollupLine {
  departmentCode: string
  departmentName: string
  state: string
  dueAt: string
  overdue: boolean
  newReceived: number
  handled: number
  carriedOut: number
}

/** The district roll-up: each department's report state and table 三 totals, and the district's sums. */
export async function annualRollup(db: Db, regionCode: string, year: number, now: Date) {
  const { items } = await listDepartmentsFlat(db, { regionCode, limit: 10_000 })
  const dueAt = reportDueAt('department', year)
  const facts = await applicationFacts(db, { regionCode, department: null, receivedBefore: yearStart(year + 1) }, now)
  const totals = { newReceived: 0, carriedIn: 0, handled: 0, carriedOut: 0 }
  const departments: RollupLine[] = []
  for (const d of items) {
    const row = await findReport(db, regionCode, year, d.code)
    const table: ApplicationsTable = row?.frozen?.applications ?? computeApplicationsTable(facts.filter((f) => f.departmentCode === d.code), year)
    const published = row?.reviewState === 'published' ? row.publishedAt : null
    departments.push({
      departmentCode: d.code,
      departmentName: d.nameZh,
      state: row?.reviewState ?? 'not_started',
      dueAt: dueAt.toISOString(),
      overdue: published ? published > dueAt : now >= dueAt,
      newReceived: table.newReceived.total,
      handled: table.total.total,
      carriedOut: table.carriedOut.total,
    })
    totals.newReceived += table.newReceived.total
    totals.carriedIn += table.carriedIn.total
    totals.handled += table.total.total
    totals.carriedOut += table.carriedOut.total
  }
  return { year, regionCode, departments, totals }
}

export type { RemediesTable }
