// The working set of disclosure items: created and edited by their department's editors, retired
// (never deleted), each change kept with who made it, when, and each field's old and new value.
// `writeItem` is the one write path — single edits here, bulk imports later — so every write is
// validated, versioned, recorded in the item's history and audited in the same transaction.
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { checkIfMatch, etagOf } from '../../http/preconditions.js'
import { encodeCursor, readCursor } from '../../lib/cursor.js'
import { conflict, notFound, unprocessable, type FieldError } from '../../lib/problems.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { listDepartmentsTree, listDomains, type DepartmentNode } from '../reference/service.js'
import { defaultLevels, diffElements, elementFields, elementProblems, normalizeElements, searchTextOf, type CatalogElements, type CatalogEntry, type FieldChange, type Level } from './elements.js'
import * as q from './queries.js'
import { catalogItemChanges, catalogItems, type CatalogItemRow } from './tables.js'

export type { CatalogItemRow }
export type ItemAction = 'create' | 'update' | 'retire' | 'reinstate'

/** Elements as a request gives them: optional fields may be left out. */
export type ElementsInput = Omit<CatalogElements, 'thirdLevel' | 'channelsOther'> & { thirdLevel?: string | null | undefined; channelsOther?: string | null | undefined }
export type ItemInput = ElementsInput & { key: string }
export type ItemPatch = Partial<ElementsInput>

export const itemEtag = (row: { key: string; version: number }) => etagOf('item', row.key, row.version)

export function elementsOf(row: CatalogItemRow): CatalogElements {
  return normalizeElements({
    domain: row.domain,
    firstLevel: row.firstLevel,
    secondLevel: row.secondLevel,
    thirdLevel: row.thirdLevel,
    content: row.content,
    basis: row.basis,
    timeLimit: row.timeLimit,
    department: row.departmentCode,
    channels: row.channels as CatalogElements['channels'],
    channelsOther: row.channelsOther,
    audience: row.audience,
    mode: { proactive: row.proactive, onRequest: row.onRequest },
    levels: row.levels as Level[],
  })
}

export const entryOf = (row: CatalogItemRow): CatalogEntry => ({ key: row.key, ...elementsOf(row) })

// ---- what an item may refer to

/** The domains, departments (code → name) and levels of a region: what items are checked against. */
export interface CatalogVocabulary {
  domains: Set<string>
  departments: Map<string, string>
  levels: Level[]
}

export async function regionLevels(db: Db, regionCode: string): Promise<Level[]> {
  const row = await q.findSettings(db, regionCode)
  return row ? (row.levels as Level[]) : defaultLevels
}

export async function catalogVocabulary(db: Db, regionCode: string): Promise<CatalogVocabulary> {
  const departments = new Map<string, string>()
  const walk = (nodes: DepartmentNode[]) =>
    nodes.forEach((n) => {
      departments.set(n.code, n.nameZh)
      walk(n.children)
    })
  walk(await listDepartmentsTree(db, { regionCode }))
  return { domains: new Set((await listDomains(db)).map((d) => d.code)), departments, levels: await regionLevels(db, regionCode) }
}

/** Every problem with these elements, each with a pointer under `pointer` (empty when valid). */
export function itemProblems(vocab: CatalogVocabulary, e: CatalogElements, pointer: string): FieldError[] {
  const errors: FieldError[] = []
  if (!vocab.domains.has(e.domain)) errors.push({ pointer: `${pointer}/domain`, message: `no domain ${e.domain}` })
  if (!vocab.departments.has(e.department)) errors.push({ pointer: `${pointer}/department`, message: `no department ${e.department} in this region` })
  return [...errors, ...elementProblems(e, vocab.levels, pointer)]
}

/** A request's elements in canonical form, optional ones null when left out. */
export const completeElements = (e: ElementsInput): CatalogElements => normalizeElements({ ...e, thirdLevel: e.thirdLevel ?? null, channelsOther: e.channelsOther ?? null })

// ---- the one write path

/**
 * Writes `elements` (and `status`) to the item `key`: inserts it when `existing` is null, otherwise
 * updates it when anything differs (an unchanged write is a no-op and keeps the ETag). Records the
 * change and its audit row. Call inside a transaction, with `existing` locked (FOR UPDATE).
 */
export async function writeItem(
  tx: Db,
  ctx: WriteContext,
  vocab: CatalogVocabulary,
  existing: CatalogItemRow | null,
  next: { key: string; elements: CatalogElements; status: 'active' | 'retired'; action: ItemAction },
): Promise<{ row: CatalogItemRow; changes: FieldChange[] }> {
  const elements = normalizeElements(next.elements)
  const before = existing ? { ...elementsOf(existing), status: existing.status } : null
  const changes = diffElements(before, { ...elements, status: next.status }, [...elementFields, 'status'])
  if (existing && !changes.length) return { row: existing, changes }
  const values = {
    domain: elements.domain,
    firstLevel: elements.firstLevel,
    secondLevel: elements.secondLevel,
    thirdLevel: elements.thirdLevel,
    content: elements.content,
    basis: elements.basis,
    timeLimit: elements.timeLimit,
    departmentCode: elements.department,
    channels: elements.channels,
    channelsOther: elements.channelsOther,
    audience: elements.audience,
    proactive: elements.mode.proactive,
    onRequest: elements.mode.onRequest,
    levels: elements.levels,
    status: next.status,
    searchText: searchTextOf(next.key, elements, vocab.departments.get(elements.department) ?? ''),
    updatedAt: ctx.now,
  }
  const [row] = existing
    ? await tx
        .update(catalogItems)
        .set({ ...values, version: existing.version + 1 })
        .where(eq(catalogItems.id, existing.id))
        .returning()
    : await tx
        .insert(catalogItems)
        .values({ ...values, regionCode: ctx.regionCode, key: next.key, version: 1, createdAt: ctx.now })
        .returning()
  await tx.insert(catalogItemChanges).values({
    itemId: row!.id,
    version: row!.version,
    action: next.action,
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    actorName: ctx.actor.name,
    requestId: ctx.requestId,
    at: ctx.now,
    changes,
  })
  await appendAudit(tx, ctx, { action: `item.${next.action}`, targetType: 'item', targetId: row!.id, details: { key: next.key, fields: changes.map((c) => c.field) } })
  return { row: row!, changes }
}

// ---- single-item operations

export async function createItem(db: Db, ctx: WriteContext, input: ItemInput): Promise<CatalogItemRow> {
  const vocab = await catalogVocabulary(db, ctx.regionCode)
  const elements = completeElements(input)
  const problems = itemProblems(vocab, elements, '/body')
  if (problems.length) throw unprocessable('The item is not valid.', problems)
  return db.transaction(async (tx) => {
    const existing = await q.lockItem(tx, ctx.regionCode, input.key)
    if (existing) {
      const hint = existing.status === 'retired' ? ' It is retired: reinstate it (POST /v1/items/{key}/reinstate) instead.' : ''
      throw conflict(`An item with the key ${input.key} exists.${hint}`)
    }
    return (await writeItem(tx, ctx, vocab, null, { key: input.key, elements, status: 'active', action: 'create' })).row
  })
}

export async function getItem(db: Db, regionCode: string, key: string): Promise<CatalogItemRow> {
  const row = await q.findItem(db, regionCode, key)
  if (!row) throw notFound(`No item with the key ${key}.`)
  return row
}

async function lockForChange(tx: Db, ctx: WriteContext, key: string, ifMatch: string) {
  const row = await q.lockItem(tx, ctx.regionCode, key)
  if (!row) throw notFound(`No item with the key ${key}.`)
  checkIfMatch(ifMatch, itemEtag(row))
  return row
}

/** Changes some elements of an active item (If-Match); an unchanged PATCH keeps the version. */
export async function updateItem(db: Db, ctx: WriteContext, key: string, ifMatch: string, patch: ItemPatch): Promise<CatalogItemRow> {
  const vocab = await catalogVocabulary(db, ctx.regionCode)
  return db.transaction(async (tx) => {
    const row = await lockForChange(tx, ctx, key, ifMatch)
    if (row.status === 'retired') throw conflict(`The item ${key} is retired; reinstate it before editing.`)
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as ItemPatch
    const elements = completeElements({ ...elementsOf(row), ...defined })
    const problems = itemProblems(vocab, elements, '/body')
    if (problems.length) throw unprocessable('The item is not valid after this change.', problems)
    return (await writeItem(tx, ctx, vocab, row, { key, elements, status: 'active', action: 'update' })).row
  })
}

async function setStatus(db: Db, ctx: WriteContext, key: string, ifMatch: string, status: 'active' | 'retired') {
  const vocab = await catalogVocabulary(db, ctx.regionCode)
  return db.transaction(async (tx) => {
    const row = await lockForChange(tx, ctx, key, ifMatch)
    if (row.status === status) throw conflict(`The item ${key} is already ${status}.`)
    const action = status === 'retired' ? 'retire' : 'reinstate'
    return (await writeItem(tx, ctx, vocab, row, { key, elements: elementsOf(row), status, action })).row
  })
}

/** Soft delete: the item leaves the next version but keeps its key, history and ETag chain. */
export const retireItem = (db: Db, ctx: WriteContext, key: string, ifMatch: string) => setStatus(db, ctx, key, ifMatch, 'retired')
export const reinstateItem = (db: Db, ctx: WriteContext, key: string, ifMatch: string) => setStatus(db, ctx, key, ifMatch, 'active')

function keyAfter(cursor: string | undefined): string | undefined {
  return readCursor(cursor, ['string'])?.[0]
}

export interface ItemQuery extends Omit<q.ItemFilter, 'afterKey'> {
  cursor?: string | undefined
}

/** A page of the working set, by key. */
export async function listItems(db: Db, query: ItemQuery) {
  const rows = await q.listItems(db, { ...query, afterKey: keyAfter(query.cursor), limit: query.limit + 1 })
  const items = rows.slice(0, query.limit)
  return { items, nextCursor: rows.length > query.limit ? encodeCursor([items[items.length - 1]!.key]) : null }
}

/** The changes of an item, oldest first. */
export async function itemHistory(db: Db, regionCode: string, key: string, page: { limit: number; cursor?: string | undefined }) {
  const item = await getItem(db, regionCode, key)
  const [after = 0] = readCursor(page.cursor, ['number']) ?? []
  const rows = await q.itemChanges(db, item.id, after, page.limit + 1)
  const items = rows.slice(0, page.limit)
  return { items, nextCursor: rows.length > page.limit ? encodeCursor([items[items.length - 1]!.version]) : null }
}
