// A region's reporting settings: the rule that fixes each month's due date, the departments that must
// report (default: every bureau, office, centre, subdistrict and township — not the communities,
// villages and schools below them), and the pilot's phases that end with a report.
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { checkIfMatch, etagOf } from '../../http/preconditions.js'
import { dayNumberOf, tryDayNumberOf } from '../../lib/calendar/index.js'
import { conflict, unprocessable, type FieldError } from '../../lib/problems.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { listDepartmentsFlat, type DepartmentRecord } from '../reference/service.js'
import { countReportsOfPhases } from './queries.js'
import { reportSettings, type DueRule, type PilotPhase } from './tables.js'

export const defaultDueRule: DueRule = { type: 'nth_working_day_of_next_month', n: 5 }

/** The plan's own pilot: implementation 2017-08-01 – 2018-04-30, the summary report by 10 May 2018. */
export const defaultPilotPhases: PilotPhase[] = [
  { code: 'pilot_2018', nameZh: '基层政务公开标准化规范化试点工作总结报告', from: '2017-08-01', to: '2018-04-30', dueDate: '2018-05-10' },
]

/** Department kinds that report by default: the district's own units, not the pilot units below them. */
export const reportingKinds = ['office', 'bureau', 'centre', 'subdistrict', 'township'] as const

export interface ReportSettings {
  regionCode: string
  dueRule: DueRule
  /** null: the default (every department of a reporting kind). */
  departments: string[] | null
  pilotPhases: PilotPhase[]
  /** 0 while the region uses the defaults. */
  version: number
  updatedAt: Date | null
}

export const reportSettingsEtag = (s: ReportSettings) => etagOf('report-settings', s.regionCode, s.version)

export async function getReportSettings(db: Db, regionCode: string): Promise<ReportSettings> {
  const [row] = await db.select().from(reportSettings).where(eq(reportSettings.regionCode, regionCode))
  if (!row) return { regionCode, dueRule: defaultDueRule, departments: null, pilotPhases: defaultPilotPhases, version: 0, updatedAt: null }
  return { regionCode, dueRule: row.dueRule, departments: row.departments, pilotPhases: row.pilotPhases, version: row.version, updatedAt: row.updatedAt }
}

async function allDepartments(db: Db, regionCode: string): Promise<DepartmentRecord[]> {
  // A retired department no longer owes monthly reports (its past reports stay readable).
  return (await listDepartmentsFlat(db, { regionCode, status: 'active', limit: 10_000 })).items
}

/** The departments that must report, in code order. */
export async function reportingDepartments(db: Db, settings: ReportSettings): Promise<DepartmentRecord[]> {
  const all = await allDepartments(db, settings.regionCode)
  if (settings.departments) {
    const wanted = new Set(settings.departments)
    return all.filter((d) => wanted.has(d.code))
  }
  return all.filter((d) => (reportingKinds as readonly string[]).includes(d.kind))
}

export function findPhase(settings: ReportSettings, code: string): PilotPhase | undefined {
  return settings.pilotPhases.find((p) => p.code === code)
}

export interface ReportSettingsInput {
  dueRule: DueRule
  departments: string[] | null
  pilotPhases: PilotPhase[]
}

async function settingsProblems(db: Db, regionCode: string, input: ReportSettingsInput): Promise<FieldError[]> {
  const errors: FieldError[] = []
  if (input.departments) {
    const known = new Set((await allDepartments(db, regionCode)).map((d) => d.code))
    input.departments.forEach((code, i) => {
      if (!known.has(code)) errors.push({ pointer: `/body/departments/${i}`, message: `no department ${code} in this region` })
    })
  }
  const codes = new Set<string>()
  input.pilotPhases.forEach((p, i) => {
    const at = `/body/pilotPhases/${i}`
    if (codes.has(p.code)) errors.push({ pointer: `${at}/code`, message: 'is listed twice' })
    codes.add(p.code)
    for (const field of ['from', 'to', 'dueDate'] as const) {
      if (tryDayNumberOf(p[field]) === null) errors.push({ pointer: `${at}/${field}`, message: 'is not a calendar date' })
    }
    if (tryDayNumberOf(p.from) !== null && tryDayNumberOf(p.to) !== null && dayNumberOf(p.to) < dayNumberOf(p.from)) errors.push({ pointer: `${at}/to`, message: 'is before from' })
    if (tryDayNumberOf(p.to) !== null && tryDayNumberOf(p.dueDate) !== null && dayNumberOf(p.dueDate) <= dayNumberOf(p.to)) errors.push({ pointer: `${at}/dueDate`, message: 'must come after the phase ends' })
  })
  return errors
}

/** Replaces the region's settings (If-Match). Reports already submitted keep the due date they were measured against. */
export async function updateReportSettings(db: Db, ctx: WriteContext, ifMatch: string, input: ReportSettingsInput): Promise<ReportSettings> {
  const errors = await settingsProblems(db, ctx.regionCode, input)
  if (errors.length) throw unprocessable('The report settings are not valid.', errors)
  await db.transaction(async (tx) => {
    // A row to lock even while the region uses the defaults, so two first changes cannot both pass If-Match.
    await tx.insert(reportSettings).values({ regionCode: ctx.regionCode, dueRule: defaultDueRule, departments: null, pilotPhases: defaultPilotPhases, version: 0, updatedAt: ctx.now }).onConflictDoNothing()
    const [row] = await tx.select().from(reportSettings).where(eq(reportSettings.regionCode, ctx.regionCode)).for('update')
    const current = await getReportSettings(tx, ctx.regionCode)
    checkIfMatch(ifMatch, reportSettingsEtag({ ...current, version: row!.version }))
    // A phase's reports keep their phase: its dates and due date may change, it may not disappear.
    const kept = new Set(input.pilotPhases.map((p) => p.code))
    const dropped = current.pilotPhases.map((p) => p.code).filter((c) => !kept.has(c))
    const used = await countReportsOfPhases(tx, ctx.regionCode, dropped)
    if (used) throw conflict(`${used} report(s) belong to the pilot phase(s) ${dropped.join(', ')}; keep the phase (its dates may change).`)
    await tx
      .update(reportSettings)
      .set({ dueRule: input.dueRule, departments: input.departments, pilotPhases: input.pilotPhases, version: row!.version + 1, updatedAt: ctx.now })
      .where(eq(reportSettings.regionCode, ctx.regionCode))
    await appendAudit(tx, ctx, { action: 'report_settings.update', targetType: 'region', targetId: ctx.regionCode, details: { dueRule: input.dueRule, departments: input.departments, pilotPhases: input.pilotPhases.map((p) => p.code) } })
  })
  return getReportSettings(db, ctx.regionCode)
}
