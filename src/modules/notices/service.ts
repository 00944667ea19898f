// Notices: drafting (fields, columns, entries), the statutory dates derived from the calendar
// (publication due date from the item's time limit, review decision due date), and reads.
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { checkIfMatch, etagOf } from '../../http/preconditions.js'
import { encodeCursor, readCursor } from '../../lib/cursor.js'
import { findUnmasked } from '../../lib/masking.js'
import { catchNotFound, conflict, notFound, ProblemError, unprocessable, type FieldError } from '../../lib/problems.js'
import type { Table } from '../../lib/spreadsheet/read.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { cursorOf } from '../events/feed.js'
import { recordEdit } from '../review/workflow.js'
import { computeForRule, getPeriodRule } from '../calendar/service.js'
import { getItem } from '../catalog/service.js'
import { getDepartment, getDomain } from '../reference/service.js'
import { columnProblems, entryProblems } from './columns.js'
import { maskEntry } from './present.js'
import { gridRowCount, readEntriesSheet } from './entries-sheet.js'
import * as q from './queries.js'
import { notices, type Attachment, type NoticeColumn, type NoticeRow, type Notarization, type PrivacyAssessment, type Retention } from './tables.js'

export const noticeKinds = ['eligible_list', 'lottery_result', 'relief_recipients', 'poor_students', 'decision', 'announcement', 'procurement_result', 'other'] as const
export type NoticeKind = (typeof noticeKinds)[number]

/** Each kind's default retention of its list (DESIGN.md "Personal information"). */
export const defaultRetention: Record<NoticeKind, Retention> = {
  eligible_list: { type: 'period_end' },
  lottery_result: { type: 'decision_final', days: 30 },
  relief_recipients: { type: 'period_end' },
  poor_students: { type: 'period_end' },
  decision: { type: 'decision_final', days: 180 },
  announcement: { type: 'period_end' },
  procurement_result: { type: 'long_term', columns: [] },
  other: { type: 'period_end' },
}

// Regulations on Open Government Information art. 26: within 20 working days of being formed or
// changed, unless the item's own time limit says otherwise. The plan's rental subsidy: a decision
// within 15 days of receiving the materials.
export const DEFAULT_DISCLOSURE_RULE = 'DISCLOSE_20WD'
export const REVIEW_RULE = 'REVIEW_15D'

export const noticeEtag = (n: { id: string; version: number }) => etagOf('notice', n.id, n.version)

export interface NoticeInput {
  departmentCode: string
  domainCode: string
  itemKey?: string | null | undefined
  kind: NoticeKind
  title: string
  body?: string | undefined
  attachments?: Attachment[] | undefined
  ruleCode: string
  channels: string[]
  notarization?: Notarization | null | undefined
  columns?: NoticeColumn[] | undefined
  retention?: Retention | undefined
  privacyAssessment?: PrivacyAssessment | null | undefined
  formedAt?: string | null | undefined
  materialsReceivedAt?: string | null | undefined
  requestedStartAt?: string | null | undefined
}

const searchTextOf = (n: { title: string; body: string }) => `${n.title}\n${n.body}`.toLowerCase()

/**
 * When the information must be public: the catalog item's own time limit when it is "within N
 * (working) days" of the event, otherwise the default of the Regulations (20 working days).
 * "Realtime" and "promptly" have no computable deadline beyond that default.
 */
async function publishDueAt(db: Db, regionCode: string, formedAt: Date, itemKey: string | null | undefined): Promise<Date> {
  const rule = itemKey ? (await getItem(db, regionCode, itemKey)).timeLimit.rule : null
  const period =
    rule?.type === 'within'
      ? await computeForRule(db, regionCode, { start: formedAt, unit: rule.unit, length: rule.length })
      : await computeForRule(db, regionCode, { start: formedAt, rule: DEFAULT_DISCLOSURE_RULE })
  return new Date(period.endsAt)
}

async function dueDates(db: Db, regionCode: string, formedAt: Date | null, materialsReceivedAt: Date | null, itemKey: string | null | undefined) {
  const publishDue = formedAt ? await publishDueAt(db, regionCode, formedAt, itemKey) : null
  const decisionDueAt = materialsReceivedAt ? new Date((await computeForRule(db, regionCode, { start: materialsReceivedAt, rule: REVIEW_RULE })).endsAt) : null
  return { publishDueAt: publishDue, decisionDueAt }
}

async function validate(db: Db, regionCode: string, input: Partial<NoticeInput>) {
  const errors: FieldError[] = []
  if (input.departmentCode) await catchNotFound(getDepartment(db, regionCode, input.departmentCode), () => errors.push({ pointer: '/body/departmentCode', message: `no department ${input.departmentCode}` }))
  if (input.domainCode) await catchNotFound(getDomain(db, input.domainCode), () => errors.push({ pointer: '/body/domainCode', message: `no domain ${input.domainCode}` }))
  if (input.itemKey) await catchNotFound(getItem(db, regionCode, input.itemKey), () => errors.push({ pointer: '/body/itemKey', message: `no catalog item ${input.itemKey}` }))
  if (input.ruleCode) await catchNotFound(getPeriodRule(db, regionCode, input.ruleCode), () => errors.push({ pointer: '/body/ruleCode', message: `no period rule ${input.ruleCode}` }))
  if (input.columns) errors.push(...columnProblems(input.columns, '/body/columns'))
  // Personal data belongs in the list's personal columns, where it is masked — not in the public text.
  for (const field of ['title', 'body'] as const) {
    const found = input[field] ? findUnmasked(input[field], ['idNumber', 'mobile']) : null
    if (found) errors.push({ pointer: `/body/${field}`, message: `holds ${found.kind === 'idNumber' ? 'an ID number' : 'a mobile phone number'}, which would be published unmasked: put people in the list` })
  }
  if (input.kind === 'lottery_result' && input.notarization === null) errors.push({ pointer: '/body/notarization', message: 'a lottery result needs its notarization' })
  if (errors.length) throw unprocessable('The notice is not valid.', errors)
}

const toDate = (s: string | null | undefined) => (s ? new Date(s) : null)

export async function createNotice(db: Db, ctx: WriteContext, input: NoticeInput): Promise<NoticeRow> {
  await validate(db, ctx.regionCode, input)
  const formedAt = toDate(input.formedAt)
  const materialsReceivedAt = toDate(input.materialsReceivedAt)
  const due = await dueDates(db, ctx.regionCode, formedAt, materialsReceivedAt, input.itemKey)
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(notices)
      .values({
        regionCode: ctx.regionCode,
        departmentCode: input.departmentCode,
        domainCode: input.domainCode,
        itemKey: input.itemKey ?? null,
        kind: input.kind,
        title: input.title,
        body: input.body ?? '',
        attachments: input.attachments ?? [],
        ruleCode: input.ruleCode,
        channels: input.channels,
        notarization: input.notarization ?? null,
        columns: input.columns ?? [],
        retention: input.retention ?? defaultRetention[input.kind],
        privacyAssessment: input.privacyAssessment ?? null,
        formedAt,
        materialsReceivedAt,
        requestedStartAt: toDate(input.requestedStartAt),
        ...due,
        searchText: searchTextOf({ title: input.title, body: input.body ?? '' }),
        authorId: ctx.actor.id ?? 'system',
        authorName: ctx.actor.name,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning()
    await appendAudit(tx, ctx, { action: 'notice.create', targetType: 'notice', targetId: row!.id, details: { title: input.title, department: input.departmentCode } })
    return row!
  })
}

const editable = new Set(['draft', 'rejected'])

// A notice's GET ETag adds what changes with time (status, days remaining, objection counts) to its
// version; If-Match compares the version only, so the tag a client just read is accepted.
const versionOfTag = (tag: string) => tag.trim().replace(/^(W\/)?"(notice-[0-9a-f-]{36}-v\d+)(?:-[^"]*)?"$/, '"$2"')

export async function lockEditable(tx: Db, id: string, ifMatch: string | null): Promise<NoticeRow> {
  const row = await q.findNotice(tx, id, { forUpdate: true })
  if (!row) throw notFound(`No notice ${id}.`)
  if (ifMatch !== null) checkIfMatch(ifMatch.split(',').map(versionOfTag).join(', '), noticeEtag(row))
  if (!editable.has(row.reviewState)) throw conflict(`The notice is ${row.reviewState}; only drafts (or rejected notices) can be edited. Withdraw it, or publish a revision.`)
  return row
}

export async function updateNotice(db: Db, ctx: WriteContext, id: string, ifMatch: string, patch: Partial<NoticeInput>): Promise<NoticeRow> {
  await validate(db, ctx.regionCode, patch)
  return db.transaction(async (tx) => {
    const row = await lockEditable(tx, id, ifMatch)
    const formedAt = patch.formedAt !== undefined ? toDate(patch.formedAt) : row.formedAt
    const materialsReceivedAt = patch.materialsReceivedAt !== undefined ? toDate(patch.materialsReceivedAt) : row.materialsReceivedAt
    const due = await dueDates(tx, row.regionCode, formedAt, materialsReceivedAt, patch.itemKey !== undefined ? patch.itemKey : row.itemKey)
    const next = { title: patch.title ?? row.title, body: patch.body ?? row.body }
    const [updated] = await tx
      .update(notices)
      .set({
        ...patch,
        formedAt,
        materialsReceivedAt,
        requestedStartAt: patch.requestedStartAt !== undefined ? toDate(patch.requestedStartAt) : row.requestedStartAt,
        ...due,
        searchText: searchTextOf(next),
        version: row.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(notices.id, id))
      .returning()
    await appendAudit(tx, ctx, { action: 'notice.update', targetType: 'notice', targetId: id, details: { fields: Object.keys(patch) } })
    await recordEdit(tx, ctx, { type: 'notice', id }, row.reviewState)
    return updated!
  })
}

async function writeEntries(tx: Db, ctx: WriteContext, row: NoticeRow, rows: Record<string, string | number | null>[], action: string, details: Record<string, unknown>) {
  await q.replaceEntries(tx, row.id, rows)
  const [updated] = await tx.update(notices).set({ entryCount: rows.length, version: row.version + 1, updatedAt: ctx.now }).where(eq(notices.id, row.id)).returning()
  await appendAudit(tx, ctx, { action, targetType: 'notice', targetId: row.id, details: { rows: rows.length, ...details } })
  await recordEdit(tx, ctx, { type: 'notice', id: row.id }, row.reviewState)
  return updated!
}

export async function putEntries(db: Db, ctx: WriteContext, id: string, ifMatch: string | null, rows: Record<string, string | number | null>[]) {
  return db.transaction(async (tx) => {
    const row = await lockEditable(tx, id, ifMatch)
    const problems = entryProblems(row.columns, rows, '/body/entries')
    if (problems.length) throw unprocessable(`${new Set(problems.map((p) => p.pointer.split('/')[3])).size} entries are not valid.`, problems)
    return writeEntries(tx, ctx, row, rows, 'notice.entries.replace', {})
  })
}

/** Most entries one notice's list takes, in any format (413 above it). */
export const maxEntries = 20_000

/**
 * Replaces a draft's list with the rows of a sheet (CSV or XLSX), read against its declared columns.
 * Every problem of the sheet in one 422, nothing written; more than `maxEntries` rows: 413.
 */
export async function uploadEntries(db: Db, ctx: WriteContext, id: string, ifMatch: string | null, table: Table, limit = maxEntries) {
  // Counted before reading cells (an upper bound: header and blank rows included), then exactly.
  if (gridRowCount(table.grid) > limit + 20) throw tooManyEntries(gridRowCount(table.grid), limit)
  return db.transaction(async (tx) => {
    const row = await lockEditable(tx, id, ifMatch)
    const read = readEntriesSheet(table.grid, row.columns)
    if (read.rows.length > limit) throw tooManyEntries(read.rows.length, limit)
    if (read.problems.length) {
      const rowsWithProblems = new Set(read.problems.map((p) => p.pointer.split('/')[2])).size
      throw unprocessable(`The ${table.format.toUpperCase()} file has ${read.problems.length} problem(s) in ${rowsWithProblems} row(s); nothing was written.`, read.problems)
    }
    return writeEntries(tx, ctx, row, read.rows, 'notice.entries.upload', { format: table.format, ...(table.encoding ? { encoding: table.encoding } : {}), ...(table.sheetName ? { sheet: table.sheetName } : {}) })
  })
}

const tooManyEntries = (rows: number, limit: number) => new ProblemError('payload-too-large', `The file has ${rows} rows; a notice's list takes at most ${limit}.`)

/**
 * PIPL art. 47: once a list's retention has ended and no objection is open (rawListExpired), the personal data it published is deleted — each
 * entry keeps only what the public saw (masked values; staff-only columns dropped), so the masked list
 * and the counts remain. Done when it is first asked for raw after that moment (time-based state is
 * derived at read time, not from a timer); idempotent, as masking a masked value changes nothing, so
 * several instances doing it at once agree.
 */
export async function anonymiseExpiredList(db: Db, ctx: WriteContext, row: NoticeRow): Promise<void> {
  await db.transaction(async (tx) => {
    const locked = await q.findNotice(tx, row.id, { forUpdate: true })
    if (!locked || locked.listAnonymisedAt) return
    const entries = await q.entriesOf(tx, row.id)
    const kept = row.columns.filter((c) => c.public)
    await q.replaceEntries(tx, row.id, entries.map((e) => maskEntry(kept, e.data)))
    await tx.update(notices).set({ listAnonymisedAt: ctx.now }).where(eq(notices.id, row.id))
    await appendAudit(tx, ctx, { action: 'notice.entries.anonymise', targetType: 'notice', targetId: row.id, details: { rows: entries.length } })
  })
}

export async function getNotice(db: Db, id: string): Promise<NoticeRow> {
  const row = await q.findNotice(db, id)
  if (!row) throw notFound(`No notice ${id}.`)
  return row
}

/** The department that owns a notice, for the access rule of routes that address it. */
export async function departmentOfNotice(db: Db, id: string): Promise<string | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null
  return (await q.findNotice(db, id))?.departmentCode ?? null
}

export type ListQuery = Omit<q.NoticeFilter, 'after' | 'limit'> & { limit: number; cursor?: string | undefined }

/**
 * A page of notices and the change feed's cursor for it (X-Changes-Cursor): the head read in the list's
 * own statement. An empty page carries no head, so then the head is read first and the page again
 * (events/list-cursor.ts says why that order misses nothing).
 */
export async function listNotices(db: Db, query: ListQuery) {
  const key = readCursor(query.cursor, ['number', 'uuid'])
  const after = key ? { updatedAt: new Date(key[0]), id: key[1] } : undefined
  const filter = { ...query, after, limit: query.limit + 1 }
  let rows = await q.listNotices(db, filter)
  let marks: { feedHead: number | null; epoch: number | null; nextTurn: Date | null } | undefined = rows[0]
  if (!marks) {
    // An empty page carries no marks: read them first, then the page again, so that they are no newer
    // than what it shows (list-cursor.ts).
    marks = await q.snapshotMarks(db, query.regionCode, query.now)
    rows = await q.listNotices(db, filter)
  }
  const items = rows.slice(0, query.limit)
  const last = items[items.length - 1]
  return {
    items,
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.updatedAt.getTime(), last.id]) : null,
    changesCursor: cursorOf(marks.feedHead ?? 0),
    epoch: marks.epoch ?? 0,
    nextTurn: marks.nextTurn,
  }
}
