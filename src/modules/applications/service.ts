// Applications for disclosure on request: receiving them (staff entry or the public form), reading
// them (the status view for anyone holding the receipt, the full record for staff), the lists and
// the due/overdue list. The clock actions are in actions.ts, the reply in reply.ts.
import { randomInt } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import type { Principal } from '../../http/access.js'
import { etagOf } from '../../http/preconditions.js'
import { encodeCursor, readCursor } from '../../lib/cursor.js'
import { sha256Hex } from '../../lib/hashing.js'
import { notFound, ProblemError, unprocessable, type FieldError } from '../../lib/problems.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { holdsRole } from '../auth/guard.js'
import { getCalendar } from '../calendar/service.js'
import { getItem } from '../catalog/service.js'
import { getDepartment } from '../reference/service.js'
import type { ProactiveItem } from './present.js'
import * as q from './queries.js'
import { publicChannels, type ApplicationInput } from './schemas.js'
import { deriveState, type ApplicationRecord, type DerivedState } from './state.js'
import { applications, type ApplicationRow } from './tables.js'

export const applicationEtag = (rec: ApplicationRecord) => etagOf('application', rec.app.id, rec.app.version)

const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
function newReceipt(now: Date): string {
  let code = ''
  for (let i = 0; i < 8; i++) code += alphabet[randomInt(alphabet.length)]
  return `YSQ${now.getUTCFullYear()}-${code.slice(0, 4)}-${code.slice(4)}`
}

/** Rethrows anything but a not-found problem (a lost connection is not "no such department"). */
const onlyNotFound = (push: () => void) => (err: unknown) => {
  if (err instanceof ProblemError && err.code === 'not-found') push()
  else throw err
}

/** Staff who may handle the department's applications (and see the full record). */
export function isStaffOf(p: Principal | null, departmentCode: string): boolean {
  if (!p) return false
  if (p.type === 'client' && !p.scopes.includes('applications:write')) return false
  return holdsRole(p, ['editor', 'reviewer', 'auditor'], departmentCode)
}

/** Staff who may enter and act on the department's applications (auditors only read). */
export function mayHandle(p: Principal, departmentCode: string): boolean {
  if (p.type === 'client' && !p.scopes.includes('applications:write')) return false
  return holdsRole(p, ['editor', 'reviewer'], departmentCode)
}

export async function createApplication(db: Db, ctx: WriteContext, principal: Principal | null, input: ApplicationInput, clientAddress: string): Promise<ApplicationRow> {
  const errors: FieldError[] = []
  await getDepartment(db, ctx.regionCode, input.departmentCode).catch(onlyNotFound(() => errors.push({ pointer: '/body/departmentCode', message: `no department ${input.departmentCode}` })))
  if (input.itemKey) await getItem(db, ctx.regionCode, input.itemKey).catch(onlyNotFound(() => errors.push({ pointer: '/body/itemKey', message: `no catalog item ${input.itemKey}` })))
  // An unknown department is a 422 for everyone, before asking whether the caller works there.
  if (errors.length) throw unprocessable('The application is not valid.', errors)
  let receivedAt: Date
  if (principal) {
    if (!mayHandle(principal, input.departmentCode)) {
      throw new ProblemError('forbidden', `Entering an application needs the role editor or reviewer of department ${input.departmentCode}.`)
    }
    if (!input.receivedAt) errors.push({ pointer: '/body/receivedAt', message: 'is required when staff enter an application (art. 31)' })
    receivedAt = new Date(input.receivedAt ?? ctx.now)
    if (receivedAt > ctx.now) errors.push({ pointer: '/body/receivedAt', message: 'is in the future' })
  } else {
    // Art. 31(3): online, the day both sides confirm — the receipt number is that confirmation.
    if (!(publicChannels as readonly string[]).includes(input.channel)) errors.push({ pointer: '/body/channel', message: `without a token one of ${publicChannels.join(', ')}` })
    if (input.receivedAt) errors.push({ pointer: '/body/receivedAt', message: 'is set by the system for applications made online' })
    receivedAt = ctx.now
  }
  if (errors.length) throw unprocessable('The application is not valid.', errors)
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(applications)
      .values({
        receipt: newReceipt(ctx.now),
        regionCode: ctx.regionCode,
        departmentCode: input.departmentCode,
        channel: input.channel,
        receivedAt,
        receiptEvidence: input.receiptEvidence ?? null,
        applicantType: input.applicant.type,
        applicantName: input.applicant.name,
        applicantIdNumber: input.applicant.idNumber ?? null,
        applicantPhone: input.applicant.phone ?? null,
        applicantAddress: input.applicant.address ?? null,
        request: input.request,
        description: input.description ?? null,
        itemKey: input.itemKey ?? null,
        // Kept to spot abuse of the public form without storing the address itself.
        clientAddressHash: principal ? null : sha256Hex(`application:${clientAddress}`),
        createdBy: ctx.actor.name,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning()
    await appendAudit(tx, ctx, { action: 'application.receive', targetType: 'application', targetId: row!.receipt, details: { department: input.departmentCode, channel: input.channel } })
    return row!
  })
}

export async function findRow(db: Db, receipt: string, options: { forUpdate?: boolean } = {}): Promise<ApplicationRow> {
  const row = await q.findApplication(db, receipt, options)
  if (!row) throw notFound(`No application with receipt ${receipt}.`)
  return row
}

export async function recordsOf(db: Db, rows: ApplicationRow[]): Promise<ApplicationRecord[]> {
  const d = await q.detailsOf(db, rows.map((r) => r.id))
  return rows.map((app) => ({
    app,
    consultations: d.consultations.filter((c) => c.applicationId === app.id),
    reply: d.replies.find((r) => r.applicationId === app.id) ?? null,
    remedies: d.remedies.filter((r) => r.applicationId === app.id),
  }))
}

export async function recordOf(db: Db, row: ApplicationRow): Promise<ApplicationRecord> {
  return (await recordsOf(db, [row]))[0]!
}

/** The record with its derived state, as of `now`. */
export async function viewOf(db: Db, row: ApplicationRow, now: Date): Promise<{ rec: ApplicationRecord; state: DerivedState; proactiveItem: ProactiveItem }> {
  const rec = await recordOf(db, row)
  const state = deriveState(await getCalendar(db, row.regionCode), rec, now)
  return { rec, state, proactiveItem: await proactiveItemOf(db, row) }
}

/** Art. 36(1): information already published proactively — the applicant is told where. */
export async function proactiveItemOf(db: Db, row: ApplicationRow): Promise<ProactiveItem> {
  if (!row.itemKey) return null
  const item = await getItem(db, row.regionCode, row.itemKey).catch(onlyNotFound(() => undefined))
  if (!item?.proactive) return null
  return { key: item.key, title: [item.firstLevel, item.secondLevel].filter(Boolean).join(' · '), channels: item.channels, url: `/v1/items/${encodeURIComponent(item.key)}` }
}

export async function departmentOfApplication(db: Db, receipt: string): Promise<string | null> {
  return (await q.findApplication(db, receipt))?.departmentCode ?? null
}

/** Every raw (unmasked) read of applicants' personal data is audited (PIPL art. 55 ff.). */
export async function auditRawRead(db: Db, ctx: WriteContext, receipts: string[]) {
  await db.transaction((tx) => appendAudit(tx, ctx, { action: 'application.raw_read', targetType: 'application', targetId: receipts.join(','), details: { receipts } }))
}

export interface ListParams {
  regionCode: string
  department?: string | undefined
  departments: string[] | null
  status?: string | undefined
  limit: number
  cursor?: string | undefined
}

/** A page of applications, with their derived state (a status filter is applied after deriving it). */
export async function listApplicationViews(db: Db, p: ListParams, now: Date) {
  const after = readCursor(p.cursor, ['string', 'string'] as const)
  const calendar = await getCalendar(db, p.regionCode)
  const out: { rec: ApplicationRecord; state: DerivedState }[] = []
  let last: ApplicationRow | undefined
  let cursorAfter = after
  // Status is derived, so a filtered page may need several batches.
  for (;;) {
    const rows = await q.listApplications(db, { regionCode: p.regionCode, department: p.department, departments: p.departments, after: cursorAfter, limit: p.limit + 1 })
    const batch = rows.slice(0, p.limit)
    for (const rec of await recordsOf(db, batch)) {
      last = rec.app
      const state = deriveState(calendar, rec, now)
      if (!p.status || state.status === p.status) out.push({ rec, state })
      if (out.length === p.limit) break
    }
    if (out.length === p.limit || rows.length <= p.limit) {
      const more = out.length === p.limit && (rows.length > p.limit || last !== batch[batch.length - 1])
      return { items: out, nextCursor: more && last ? encodeCursor([last.receivedAt.toISOString(), last.id]) : null }
    }
    cursorAfter = [last!.receivedAt.toISOString(), last!.id]
  }
}

/** Open applications due within `withinDays` calendar days or overdue, earliest first. */
export async function applicationDeadlines(db: Db, f: { regionCode: string; department?: string | undefined; departments: string[] | null; withinDays: number }, now: Date) {
  const calendar = await getCalendar(db, f.regionCode)
  const rows = await q.listApplications(db, { regionCode: f.regionCode, department: f.department, departments: f.departments })
  const until = now.getTime() + f.withinDays * 86_400_000
  return (await recordsOf(db, rows))
    .map((rec) => ({ rec, state: deriveState(calendar, rec, now) }))
    .filter(({ state }) => !state.outcome && state.clock && new Date(state.clock.dueAt).getTime() <= until)
    .sort((a, b) => a.state.clock!.dueAt.localeCompare(b.state.clock!.dueAt))
}

/** Locks the application for an action and bumps its version; the action writes its own columns. */
export async function lockForAction(tx: Db, receipt: string): Promise<ApplicationRow> {
  return findRow(tx, receipt, { forUpdate: true })
}

export async function touch(tx: Db, row: ApplicationRow, now: Date, set: Partial<typeof applications.$inferInsert> = {}) {
  const [updated] = await tx.update(applications).set({ ...set, version: row.version + 1, updatedAt: now }).where(eq(applications.id, row.id)).returning()
  return updated!
}

export interface ApplicationFacts {
  departmentCode: string
  applicantType: string
  receivedAt: Date
  /** How and when it ended, as derived at `now`; null while open. */
  outcome: DerivedState['outcome']
  remedies: { kind: string; filedAt: Date; outcome: string; decidedAt: Date | null }[]
}

/** What the annual report counts: every application received before `receivedBefore`, with its outcome as of `now`. */
export async function applicationFacts(db: Db, f: { regionCode: string; department: string | null; receivedBefore: Date }, now: Date): Promise<ApplicationFacts[]> {
  const calendar = await getCalendar(db, f.regionCode)
  const rows = await q.listApplications(db, { regionCode: f.regionCode, department: f.department ?? undefined, departments: null, receivedBefore: f.receivedBefore })
  return (await recordsOf(db, rows)).map((rec) => ({
    departmentCode: rec.app.departmentCode,
    applicantType: rec.app.applicantType,
    receivedAt: rec.app.receivedAt,
    outcome: deriveState(calendar, rec, now).outcome,
    remedies: rec.remedies.map((r) => ({ kind: r.kind, filedAt: r.filedAt, outcome: r.outcome, decidedAt: r.decidedAt })),
  }))
}
