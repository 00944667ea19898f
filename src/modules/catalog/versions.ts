// Catalog versions: a version freezes the active working set with a change note, goes through the
// review workflow (the district office owns the catalog: an admin creates it, another admin approves
// it), and once published never changes. `current` is the highest published number, looked up on
// every request, so a publish on any instance takes effect everywhere at once.
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import type { Principal } from '../../http/access.js'
import { checkIfMatch, etagOf } from '../../http/preconditions.js'
import { encodeCursor, readCursor } from '../../lib/cursor.js'
import { conflict, notFound, ProblemError } from '../../lib/problems.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { appendEvent } from '../events/outbox.js'
import { departmentsSeenUnpublished } from '../auth/guard.js'
import { planReview, recordEdit, recordTransition, type ReviewAction } from '../review/workflow.js'
import type { CurrentVersionPointer } from './current-pointer.js'
import { diffElements, elementFields, normalizeElements, type CatalogEntry, type FieldChange } from './elements.js'
import { entryOf } from './items.js'
import * as q from './queries.js'
import { catalogVersionItems, catalogVersions, type CatalogVersionRow } from './tables.js'

export type { CatalogVersionRow }
export const versionEtag = (v: { number: number; version: number }) => etagOf('catalog-version', String(v.number), v.version)
export const isPublished = (v: { reviewState: string }) => v.reviewState === 'published'

/** Staff of the region with a scope for the catalog see versions still in review; everyone else only published ones. */
export function seesUnpublished(principal: Principal | null, regionCode: string): boolean {
  const departments = departmentsSeenUnpublished(principal, 'items:write')
  return Boolean(principal && principal.regionCode === regionCode && (departments === null || departments.length))
}

// Not-found answers about versions must not be cached: the version may be published a minute later.
const noVersion = (detail: string) => new ProblemError('not-found', detail, { headers: { 'Cache-Control': 'no-store' } })
const immutable = (n: number) => conflict(`Version ${n} is published; published versions never change. Create a new version instead.`)

/** The number `ref` names: a number, or `current` (the latest published version). */
/** A number, or `current` (through this instance's pointer, when given: no query on most requests). */
export async function resolveVersionNumber(db: Db, regionCode: string, ref: string, pointer?: CurrentVersionPointer): Promise<number> {
  if (ref !== 'current') return Number(ref)
  const n = pointer ? await pointer.resolve(regionCode, () => q.currentNumber(db, regionCode)) : await q.currentNumber(db, regionCode)
  if (n === null) throw noVersion('No catalog version has been published yet.')
  return n
}

/** The version, if the caller may see it (a version in review is 404 to the public). */
export async function getVersion(db: Db, regionCode: string, number: number, principal: Principal | null): Promise<CatalogVersionRow> {
  const row = await q.findVersion(db, regionCode, number)
  if (!row || (!isPublished(row) && !seesUnpublished(principal, regionCode))) {
    throw noVersion(`No catalog version ${number}.`)
  }
  return row
}

export async function listVersions(db: Db, regionCode: string, principal: Principal | null, page: { limit: number; cursor?: string | undefined }) {
  const [beforeNumber] = readCursor(page.cursor, ['number']) ?? []
  const rows = await q.listVersions(db, { regionCode, publishedOnly: !seesUnpublished(principal, regionCode), beforeNumber, limit: page.limit + 1 })
  const items = rows.slice(0, page.limit)
  return { items, nextCursor: rows.length > page.limit ? encodeCursor([items[items.length - 1]!.number]) : null }
}

const BATCH = 500

/** Inserts version `number+1` in draft with a snapshot of the active items (inside `tx`). */
async function freezeWorkingSet(tx: Db, ctx: WriteContext, changeNote: string): Promise<CatalogVersionRow> {
  const open = await q.openVersion(tx, ctx.regionCode)
  if (open) throw conflict(`Version ${open.number} is still ${open.reviewState}; publish or withdraw it before creating another.`)
  const items = await q.activeItems(tx, ctx.regionCode)
  if (!items.length) throw conflict('The working set has no active items to freeze.')
  const [version] = await tx
    .insert(catalogVersions)
    .values({
      regionCode: ctx.regionCode,
      number: (await q.highestNumber(tx, ctx.regionCode)) + 1,
      changeNote,
      itemCount: items.length,
      authorId: ctx.actor.id ?? ctx.actor.type,
      authorName: ctx.actor.name,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning()
  for (let i = 0; i < items.length; i += BATCH) {
    await tx.insert(catalogVersionItems).values(
      items.slice(i, i + BATCH).map((row) => ({
        versionId: version!.id,
        key: row.key,
        domain: row.domain,
        departmentCode: row.departmentCode,
        levels: row.levels,
        proactive: row.proactive,
        onRequest: row.onRequest,
        searchText: row.searchText,
        data: entryOf(row),
      })),
    )
  }
  await appendAudit(tx, ctx, { action: 'catalog_version.create', targetType: 'catalog_version', targetId: version!.id, details: { number: version!.number, items: items.length } })
  return version!
}

export function createVersion(db: Db, ctx: WriteContext, input: { changeNote: string }): Promise<CatalogVersionRow> {
  return db.transaction((tx) => freezeWorkingSet(tx, ctx, input.changeNote))
}

/** Edits the change note of a draft or rejected version (If-Match). */
export async function updateVersion(db: Db, ctx: WriteContext, number: number, ifMatch: string, patch: { changeNote: string }) {
  return db.transaction(async (tx) => {
    const row = await q.lockVersion(tx, ctx.regionCode, number)
    if (!row) throw notFound(`No catalog version ${number}.`)
    if (isPublished(row)) throw immutable(number)
    checkIfMatch(ifMatch, versionEtag(row))
    if (row.reviewState !== 'draft' && row.reviewState !== 'rejected') throw conflict(`Version ${number} is ${row.reviewState}; only a draft or rejected version can be edited.`)
    const [updated] = await tx
      .update(catalogVersions)
      .set({ changeNote: patch.changeNote, version: row.version + 1, updatedAt: ctx.now })
      .where(eq(catalogVersions.id, row.id))
      .returning()
    await appendAudit(tx, ctx, { action: 'catalog_version.update', targetType: 'catalog_version', targetId: row.id, details: { number } })
    await recordEdit(tx, ctx, { type: 'catalog_version', id: row.id }, row.reviewState)
    return updated!
  })
}

/**
 * One step of the review workflow. The catalog belongs to the region, so the reviewer must be an
 * admin (a region-wide grant: departmentCode null) other than the author.
 */
export async function transitionVersion(
  db: Db,
  ctx: WriteContext,
  principal: Principal,
  number: number,
  action: ReviewAction,
  input: { comment?: string | undefined; reason?: string | undefined } = {},
): Promise<CatalogVersionRow> {
  return db.transaction(async (tx) => {
    const row = await q.lockVersion(tx, ctx.regionCode, number)
    if (!row) throw notFound(`No catalog version ${number}.`)
    // The workflow would let a published item be withdrawn; a published catalog version is
    // superseded by the next one instead, so that every published number stays citable.
    if (isPublished(row)) throw immutable(number)
    const request = { action, departmentCode: null, comment: input.comment, reason: input.reason }
    // Four eyes over the content: the version's own edits and whoever changed the items it froze.
    const reviewing = action === 'approve' || action === 'reject'
    const itemEditors = reviewing ? await q.workingSetEditors(tx, ctx.regionCode, row) : []
    const plan = await planReview(tx, { type: 'catalog_version', id: row.id }, row, request, principal, ctx.now, itemEditors)
    const [updated] = await tx
      .update(catalogVersions)
      .set({ ...(plan.columns as Partial<CatalogVersionRow>), version: row.version + 1, updatedAt: ctx.now })
      .where(eq(catalogVersions.id, row.id))
      .returning()
    await recordTransition(tx, ctx, { type: 'catalog_version', id: row.id }, plan, request)
    if (action === 'publish') await appendEvent(tx, ctx, versionPublished(updated!))
    return updated!
  })
}

/**
 * Publishes a freshly frozen version on the system's authority (demo data only): its review record
 * says the system, not a person, authored and approved it.
 */
export async function publishAsSystem(tx: Db, ctx: WriteContext, changeNote: string, comment: string): Promise<CatalogVersionRow> {
  const version = await freezeWorkingSet(tx, ctx, changeNote)
  const steps = [
    ['submit', 'draft', 'submitted'],
    ['approve', 'submitted', 'approved'],
    ['publish', 'approved', 'published'],
  ] as const
  for (const [action, from, to] of steps) {
    await recordTransition(tx, ctx, { type: 'catalog_version', id: version.id }, { from, to }, { action, departmentCode: null, ...(action === 'approve' ? { comment } : {}) })
  }
  const [published] = await tx
    .update(catalogVersions)
    .set({
      reviewState: 'published',
      submittedAt: ctx.now,
      reviewerId: ctx.actor.id ?? ctx.actor.type,
      reviewerName: ctx.actor.name,
      reviewedAt: ctx.now,
      reviewComment: comment,
      approvedAt: ctx.now,
      publishedAt: ctx.now,
      publisherName: ctx.actor.name,
      version: version.version + 1,
    })
    .where(eq(catalogVersions.id, version.id))
    .returning()
  await appendEvent(tx, ctx, versionPublished(published!))
  return published!
}

/** The catalog.version.published event of a version (in its publishing transaction). */
const versionPublished = (v: CatalogVersionRow) => ({ type: 'catalog.version.published' as const, data: { id: String(v.number), version: v.version, url: `/v1/catalog/versions/${v.number}` } })

// ---- reading frozen items

function entryFrom(data: CatalogEntry): CatalogEntry {
  return { key: data.key, ...normalizeElements(data) }
}

export interface EntryQuery extends Omit<q.EntryFilter, 'afterKey'> {
  cursor?: string | undefined
}

export async function versionItems(db: Db, version: CatalogVersionRow, query: EntryQuery) {
  const [afterKey] = readCursor(query.cursor, ['string']) ?? []
  const rows = await q.listVersionItems(db, version.id, { ...query, afterKey, limit: query.limit + 1 })
  const items = rows.slice(0, query.limit).map((r) => entryFrom(r.data))
  return { items, nextCursor: rows.length > query.limit ? encodeCursor([items[items.length - 1]!.key]) : null }
}

export interface CatalogDiff {
  added: CatalogEntry[]
  retired: CatalogEntry[]
  changed: { key: string; changes: FieldChange[] }[]
}

/** Item by item, field by field: what `to` adds, drops (retired) and changes relative to `from`. */
export function diffEntries(from: CatalogEntry[], to: CatalogEntry[]): CatalogDiff {
  const before = new Map(from.map((e) => [e.key, e]))
  const after = new Map(to.map((e) => [e.key, e]))
  const diff: CatalogDiff = { added: [], retired: [], changed: [] }
  for (const [key, entry] of after) {
    const old = before.get(key)
    if (!old) diff.added.push(entry)
    else {
      const changes = diffElements(old as unknown as Record<string, unknown>, entry as unknown as Record<string, unknown>, elementFields)
      if (changes.length) diff.changed.push({ key, changes })
    }
  }
  for (const [key, entry] of before) if (!after.has(key)) diff.retired.push(entry)
  const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  diff.added.sort(byKey)
  diff.retired.sort(byKey)
  diff.changed.sort(byKey)
  return diff
}

/** Every item of a version, by key (diffs, exports). */
export async function versionEntries(db: Db, version: CatalogVersionRow): Promise<CatalogEntry[]> {
  return (await q.allVersionItems(db, version.id)).map((r) => entryFrom(r.data))
}

export async function diffVersions(db: Db, from: CatalogVersionRow, to: CatalogVersionRow): Promise<CatalogDiff> {
  const [a, b] = await Promise.all([versionEntries(db, from), versionEntries(db, to)])
  return diffEntries(a, b)
}
