// drizzle queries for notices, entries and objections. Handle first; services own transactions.
import { and, asc, desc, eq, gt, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { noticeEntries, notices, noticesEpoch, objections, type NoticeRow } from './tables.js'

export async function findNotice(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<NoticeRow | null> {
  const query = db.select().from(notices).where(eq(notices.id, id))
  const [row] = options.forUpdate ? await query.for('update') : await query
  return row ?? null
}

export function entriesOf(db: Db, noticeId: string, page?: { afterRow: number; limit: number }) {
  const where = page ? and(eq(noticeEntries.noticeId, noticeId), gt(noticeEntries.rowNo, page.afterRow)) : eq(noticeEntries.noticeId, noticeId)
  const q = db.select({ rowNo: noticeEntries.rowNo, data: noticeEntries.data }).from(noticeEntries).where(where).orderBy(asc(noticeEntries.rowNo))
  return page ? q.limit(page.limit) : q
}

export async function replaceEntries(db: Db, noticeId: string, rows: Record<string, string | number | null>[]) {
  await db.delete(noticeEntries).where(eq(noticeEntries.noticeId, noticeId))
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000).map((data, j) => ({ noticeId, rowNo: i + j + 1, data }))
    await db.insert(noticeEntries).values(chunk)
  }
}

export interface NoticeFilter {
  regionCode: string
  /** Only published notices (public reads); otherwise `departments` limits what staff see (null: all). */
  publicOnly: boolean
  departments: string[] | null
  now: Date
  status?: string | undefined
  endingWithinDays?: number | undefined
  concludedWithinDays?: number | undefined
  domain?: string | undefined
  department?: string | undefined
  kind?: string | undefined
  updatedSince?: Date | undefined
  after?: { updatedAt: Date; id: string } | undefined
  limit: number
}

// A value of a list query: bound directly, or (in a prepared statement) as a named placeholder.
type Bind = <T>(name: string, value: T) => T

// Published and not concluded, written as the partial indexes' predicate (tables.ts) with literals, not
// parameters: a prepared statement's generic plan can use those indexes only if it can prove it.
const open = sql`${notices.reviewState} = 'published' and ${notices.conclusion} is null`
const published = sql`${notices.reviewState} = 'published'`

/** Status conditions in SQL, mirroring status.ts for the states a list can ask for. */
function statusCondition(status: string, now: Date): SQL | undefined {
  switch (status) {
    case 'scheduled':
      return and(open, gt(notices.startsAt, now))
    case 'in_publicity':
      return and(open, lte(notices.startsAt, now), gt(notices.endsAt, now))
    case 'period_ended':
      return and(open, lte(notices.endsAt, now))
    case 'concluded':
      return and(published, sql`${notices.conclusion} is not null`, sql`${notices.conclusion} <> 'revised'`)
    case 'revised':
      return and(published, eq(notices.conclusion, 'revised'))
    default:
      return eq(notices.reviewState, status)
  }
}

/**
 * What a list shows of a notice (the summary): everything but the body, the declared columns, the
 * attachments and other large jsonb, and the search text, which only the detail needs. Reading those
 * for every row of every list page cost the database and the driver more than the rest together.
 */
export const summaryColumns = {
  id: notices.id,
  regionCode: notices.regionCode,
  departmentCode: notices.departmentCode,
  domainCode: notices.domainCode,
  itemKey: notices.itemKey,
  kind: notices.kind,
  title: notices.title,
  ruleCode: notices.ruleCode,
  channels: notices.channels,
  entryCount: notices.entryCount,
  formedAt: notices.formedAt,
  publishDueAt: notices.publishDueAt,
  materialsReceivedAt: notices.materialsReceivedAt,
  decisionDueAt: notices.decisionDueAt,
  decidedAt: notices.decidedAt,
  decisionRecordedAt: notices.decisionRecordedAt,
  startsAt: notices.startsAt,
  firstDay: notices.firstDay,
  lastDay: notices.lastDay,
  endsAt: notices.endsAt,
  calendarStatus: notices.calendarStatus,
  conclusion: notices.conclusion,
  concludedAt: notices.concludedAt,
  revisionOf: notices.revisionOf,
  revisedBy: notices.revisedBy,
  revision: notices.revision,
  reviewState: notices.reviewState,
  authorName: notices.authorName,
  submittedAt: notices.submittedAt,
  reviewerName: notices.reviewerName,
  reviewedAt: notices.reviewedAt,
  reviewComment: notices.reviewComment,
  approvedAt: notices.approvedAt,
  publishedAt: notices.publishedAt,
  withdrawnAt: notices.withdrawnAt,
  withdrawnReason: notices.withdrawnReason,
  updatedAt: notices.updatedAt,
}
export type NoticeSummaryRow = Pick<NoticeRow, keyof typeof summaryColumns>

/**
 * A notice's objections counted in the list's own query ([total, open, upheld, rejected]) instead of
 * a second round trip. Raw SQL: drizzle has no correlated subquery with FILTER, and it writes a select
 * list's columns unqualified — "id" inside the subquery would be the objection's, not the notice's — so
 * the names here are spelled out. Postgres evaluates it only for the rows the LIMIT returns (an index
 * probe each).
 */
const objectionCountsOfNotice = sql<[number, number, number, number]>`(select array[count(*), count(*) filter (where o.status in ('open', 'assigned')),
  count(*) filter (where o.status = 'upheld'), count(*) filter (where o.status = 'rejected')]::int[]
  from objections o where o.notice_id = "notices"."id")`

/**
 * The change feed's head in the list's own snapshot (one statement sees one snapshot), for its
 * X-Changes-Cursor (events/list-cursor.ts) without a second round trip. Raw SQL: a scalar subquery in a
 * select list; Postgres runs it once per statement (an InitPlan). bigint arrives as text: mapped.
 */
const feedHeadOfSnapshot = sql<number>`(select position from event_head where id = 1)`.mapWith(Number)

/** The notices epoch (tables.ts) in the same snapshot, so that a kept page knows what it shows. Raw as above. */
const epochOfSnapshot = sql<number>`(select position from notices_epoch where id = 1)`.mapWith(Number)

/**
 * The next moment a published, not yet concluded notice of the region starts or ends its period: until
 * then the clock alone moves nothing between the lists' states (page-validity.ts). Raw SQL: least() of
 * two scalar subqueries, each a probe of a partial index (tables.ts); least ignores a null.
 */
function nextTurnOfRegion(region: string, now: Date) {
  const openOf = sql`n.region_code = ${region} and n.review_state = 'published' and n.conclusion is null`
  return sql<Date | null>`least((select min(n.starts_at) from notices n where ${openOf} and n.starts_at > ${now}::timestamptz),
  (select min(n.ends_at) from notices n where ${openOf} and n.ends_at > ${now}::timestamptz))`.mapWith(notices.startsAt)
}

/** What a page records of its snapshot: the feed head (X-Changes-Cursor), the epoch and the next turn. */
function marksOfSnapshot(region: string, now: Date) {
  return { feedHead: feedHeadOfSnapshot, epoch: epochOfSnapshot, nextTurn: nextTurnOfRegion(region, now) }
}

/** The marks alone, for an empty page (its query returned no row to carry them). */
export async function snapshotMarks(db: Db, region: string, now: Date) {
  const [row] = await db.select(marksOfSnapshot(region, now)).from(noticesEpoch).where(eq(noticesEpoch.id, 1))
  return row ?? { feedHead: 0, epoch: 0, nextTurn: null }
}

/**
 * A page of notices, newest change first. The filters and the order meet indexes of the same shape
 * (tables.ts): (region, [department | domain,] updated_at, id), and for the states of a published,
 * not yet concluded notice the partial "open" indexes that also carry the period, so that a page of
 * notices in publicity reads about as many index entries as it returns.
 */
export function listNoticesQuery(db: Db, f: NoticeFilter, bind: Bind = (_name, value) => value) {
  const now = bind('now', f.now)
  const where: SQL[] = [eq(notices.regionCode, bind('region', f.regionCode))]
  if (f.publicOnly) where.push(published)
  else if (f.departments) where.push(or(published, f.departments.length ? inArray(notices.departmentCode, f.departments) : sql`false`)!)
  if (f.status) where.push(statusCondition(f.status, now)!)
  if (f.endingWithinDays !== undefined) where.push(and(gt(notices.endsAt, now), lte(notices.endsAt, bind('endingBy', new Date(f.now.getTime() + f.endingWithinDays * 86_400_000))))!)
  if (f.concludedWithinDays !== undefined) where.push(gte(notices.concludedAt, bind('concludedSince', new Date(f.now.getTime() - f.concludedWithinDays * 86_400_000))))
  if (f.domain) where.push(eq(notices.domainCode, bind('domain', f.domain)))
  if (f.department) where.push(eq(notices.departmentCode, bind('department', f.department)))
  if (f.kind) where.push(eq(notices.kind, bind('kind', f.kind)))
  if (f.updatedSince) where.push(gte(notices.updatedAt, bind('updatedSince', f.updatedSince)))
  // The keyset as one row comparison (raw SQL: drizzle has no row constructor), which Postgres uses as
  // the index condition that starts the scan after the cursor; "a < x or (a = x and b < y)" is only a
  // filter, read from the top of the index on every page. Descending on both, as the ORDER BY.
  if (f.after) where.push(sql`(${notices.updatedAt}, ${notices.id}) < (${bind('afterAt', f.after.updatedAt.toISOString())}::timestamptz, ${bind('afterId', f.after.id)}::uuid)`)
  return db
    .select({ ...summaryColumns, objectionCounts: objectionCountsOfNotice, ...marksOfSnapshot(bind('region', f.regionCode), now) })
    .from(notices)
    .where(and(...where))
    .orderBy(desc(notices.updatedAt), desc(notices.id))
    .limit(limitLiteral(f.limit))
}

/**
 * The page size written into the SQL, not bound: with "limit $n" a prepared statement's generic plan
 * assumes a tenth of the matching rows are wanted, costs itself far above a custom plan, and Postgres
 * plans every execution again. drizzle binds a number, so this passes SQL (raw, an integer checked here).
 */
function limitLiteral(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new Error(`bad limit ${limit}`)
  return sql.raw(String(limit)) as unknown as number
}

type ListQuery = ReturnType<typeof listNoticesQuery>
type PreparedList = ReturnType<ListQuery['prepare']>
const preparedLists = new WeakMap<Db, Map<string, PreparedList>>()
const MAX_PREPARED_SHAPES = 200
let preparedCount = 0

/**
 * Runs a list query as a prepared statement, one per shape (which filters, which status, page size): building
 * the query with drizzle and having Postgres parse and plan it cost more than running it. Staff lists
 * limited to some departments (a list of codes) are built each time.
 */
export async function listNotices(db: Db, f: NoticeFilter) {
  if (f.departments?.length) return listNoticesQuery(db, f)
  // Who sees what is part of the shape: a caller limited to no department sees what the public sees. Left
  // out, its statement (published only) served the admins' lists of the same filters, and the reverse.
  const publishedOnly = f.publicOnly || f.departments !== null
  // A filter is in the shape exactly when listNoticesQuery binds it (an empty text filters nothing):
  // `?domain=` after `?domain=x` once ran x's statement without its value (a 500 the fuzzer found).
  const shape = [publishedOnly ? 'public' : 'all', f.status ?? '', f.limit, ...(['endingWithinDays', 'concludedWithinDays', 'domain', 'department', 'kind', 'updatedSince', 'after'] as const).map((k) => (f[k] === undefined || f[k] === '' ? '' : k))].join('|')
  let byShape = preparedLists.get(db)
  if (!byShape) preparedLists.set(db, (byShape = new Map()))
  let prepared = byShape.get(shape)
  // Each prepared statement lives on every pooled connection: past a bound on the shapes seen (filters
  // × page sizes a client can vary), further ones are built and planned each time instead.
  if (!prepared && byShape.size >= MAX_PREPARED_SHAPES) return listNoticesQuery(db, f)
  const values: Record<string, unknown> = {}
  const bind: Bind = (name, value) => {
    values[name] = value
    return sql.placeholder(name) as never
  }
  const query = listNoticesQuery(db, f, bind)
  if (!prepared) {
    prepared = query.prepare(`notices_list_${++preparedCount}`)
    byShape.set(shape, prepared)
  }
  return prepared.execute(values)
}

export function objectionsOf(db: Db, noticeId: string) {
  return db.select().from(objections).where(eq(objections.noticeId, noticeId)).orderBy(asc(objections.createdAt), asc(objections.receipt))
}

export async function objectionCounts(db: Db, noticeIds: string[]) {
  if (!noticeIds.length) return new Map<string, { total: number; open: number; upheld: number; rejected: number }>()
  const rows = await db
    .select({ noticeId: objections.noticeId, status: objections.status, n: sql<number>`count(*)::int` })
    .from(objections)
    .where(inArray(objections.noticeId, noticeIds))
    .groupBy(objections.noticeId, objections.status)
  const counts = new Map<string, { total: number; open: number; upheld: number; rejected: number }>()
  for (const r of rows) {
    const c = counts.get(r.noticeId) ?? { total: 0, open: 0, upheld: 0, rejected: 0 }
    c.total += r.n
    if (r.status === 'open' || r.status === 'assigned') c.open += r.n
    if (r.status === 'upheld') c.upheld += r.n
    if (r.status === 'rejected') c.rejected += r.n
    counts.set(r.noticeId, c)
  }
  return counts
}

export async function recentObjectionsFor(db: Db, noticeId: string, since: Date, addressHash?: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(objections)
    .where(and(eq(objections.noticeId, noticeId), gte(objections.createdAt, since), addressHash ? eq(objections.clientAddressHash, addressHash) : undefined))
  return row?.n ?? 0
}

/** The open (or assigned) objections of a notice among `receipts` or from one address hash, locked. */
export function openObjectionsMatching(tx: Db, noticeId: string, match: { receipts?: string[] | undefined; addressHash?: string | undefined }) {
  const conditions = [eq(objections.noticeId, noticeId), inArray(objections.status, ['open', 'assigned'])]
  if (match.receipts) conditions.push(inArray(objections.receipt, match.receipts))
  if (match.addressHash) conditions.push(eq(objections.clientAddressHash, match.addressHash))
  return tx.select().from(objections).where(and(...conditions)).for('update')
}

export async function findObjection(db: Db, receipt: string, options: { forUpdate?: boolean } = {}) {
  const q = db.select().from(objections).where(eq(objections.receipt, receipt))
  const [row] = options.forUpdate ? await q.for('update') : await q
  return row ?? null
}

export function deadlines(db: Db, f: { regionCode: string; department?: string | undefined; departments: string[] | null; until: Date }) {
  const where: SQL[] = [eq(notices.regionCode, f.regionCode), sql`${notices.decisionDueAt} is not null`, lte(notices.decisionDueAt, f.until), sql`${notices.reviewState} <> 'withdrawn'`]
  if (f.department) where.push(eq(notices.departmentCode, f.department))
  if (f.departments) where.push(f.departments.length ? inArray(notices.departmentCode, f.departments) : sql`false`)
  return db.select().from(notices).where(and(...where)).orderBy(asc(notices.decisionDueAt))
}
