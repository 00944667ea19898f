// The working set of disclosure items: created and edited by their department's editors, retired
// (never deleted), each change kept with who made it, when, and each field's old and new value.
// `writeItems` is the one write path — single edits here (one item), bulk imports (many) — so every
// write is validated, versioned, recorded in the item's history and audited in the same transaction.
import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/client.js'
import { RowWriter, ROWS_PER_STATEMENT } from '../../db/many-rows.js'
import { checkIfMatch, etagOf } from '../../http/preconditions.js'
import { encodeCursor, readCursor } from '../../lib/cursor.js'
import { conflict, notFound, unprocessable, type FieldError } from '../../lib/problems.js'
import { openAuditChain, type OpenAuditChain, type WriteContext } from '../audit/service.js'
import { reserveEvents, type ReservedEvents } from '../events/outbox.js'
import { listDepartmentsTree, listDomains, type DepartmentNode } from '../reference/service.js'
import { defaultLevels, diffElements, elementFields, elementProblems, normalizeElements, searchTextOf, type CatalogElements, type CatalogEntry, type FieldChange, type Level } from './elements.js'
import { creationRecord } from './item-history.js'
import * as q from './queries.js'
import { catalogItemChanges, catalogItems, type CatalogItemRow } from './tables.js'

export type { CatalogItemRow }
export type ItemAction = 'create' | 'update' | 'retire' | 'reinstate'

/** Elements as a request gives them: optional fields may be left out. */
export type ElementsInput = Omit<CatalogElements, 'thirdLevel' | 'channelsOther' | 'departments'> & { thirdLevel?: string | null | undefined; channelsOther?: string | null | undefined; departments?: string[] | undefined }
export type ItemInput = ElementsInput & { key: string }
export type ItemPatch = Partial<ElementsInput>

export const itemEtag = (row: { key: string; version: number }) => etagOf('item', row.key, row.version)

export function elementsOf(row: q.ItemReadRow): CatalogElements {
  return normalizeElements({
    domain: row.domain,
    firstLevel: row.firstLevel,
    secondLevel: row.secondLevel,
    thirdLevel: row.thirdLevel,
    content: row.content,
    basis: row.basis,
    timeLimit: row.timeLimit,
    department: row.departmentCode,
    departments: row.departmentCodes,
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
  e.departments.forEach((code, i) => {
    if (i > 0 && !vocab.departments.has(code)) errors.push({ pointer: `${pointer}/departments/${i}`, message: `no department ${code} in this region` })
  })
  return [...errors, ...elementProblems(e, vocab.levels, pointer)]
}

/** A request's elements in canonical form, optional ones null when left out. */
export const completeElements = (e: ElementsInput): CatalogElements => normalizeElements({ ...e, thirdLevel: e.thirdLevel ?? null, channelsOther: e.channelsOther ?? null, departments: e.departments ?? [e.department] })

// ---- the one write path

export interface ItemWrite {
  /** The stored item (locked FOR UPDATE by a real write), or null to create `key`. */
  existing: CatalogItemRow | null
  key: string
  elements: CatalogElements
  status: 'active' | 'retired'
  action: ItemAction
}

/** A write compared with its stored item: the changes it makes (none: a no-op that keeps the ETag). */
export interface PlannedItemWrite extends ItemWrite {
  changes: FieldChange[]
}

/**
 * Compares a write with the stored item, field by field, in canonical form. The one comparison: a
 * bulk import's plan (dry run or real) and every write use it, so what a dry run announces is what
 * writeItems then writes.
 */
export function planItemWrite(write: ItemWrite): PlannedItemWrite {
  const elements = normalizeElements(write.elements)
  const { existing } = write
  const before = existing ? { ...elementsOf(existing), status: existing.status } : null
  const changes = diffElements(before, { ...elements, status: write.status }, [...elementFields, 'status'])
  return { ...write, elements, changes }
}

/** The stored row a planned write leads to (the stored one when it changes nothing). */
function rowAfter(ctx: WriteContext, vocab: CatalogVocabulary, write: PlannedItemWrite): CatalogItemRow {
  const { existing, elements } = write
  if (existing && !write.changes.length) return existing
  return {
    id: existing?.id ?? randomUUID(),
    regionCode: ctx.regionCode,
    key: write.key,
    domain: elements.domain,
    firstLevel: elements.firstLevel,
    secondLevel: elements.secondLevel,
    thirdLevel: elements.thirdLevel,
    content: elements.content,
    basis: elements.basis,
    timeLimit: elements.timeLimit,
    departmentCode: elements.department,
    departmentCodes: elements.departments,
    channels: elements.channels,
    channelsOther: elements.channelsOther,
    audience: elements.audience,
    proactive: elements.mode.proactive,
    onRequest: elements.mode.onRequest,
    levels: elements.levels,
    status: write.status,
    searchText: searchTextOf(write.key, elements, vocab.departments.get(elements.department) ?? ''),
    version: existing ? existing.version + 1 : 1,
    createdAt: existing?.createdAt ?? ctx.now,
    updatedAt: ctx.now,
  }
}

/**
 * Carries out planned writes: inserts each item without `existing`, updates each whose plan has
 * changes (one without is a no-op), and records every change in the item's history and in the audit
 * log, in the order given. Set-based: one statement per 2,000 items (items, history, audit rows and
 * events together), each batch's rows built while the database writes the previous one. Call inside a transaction, with every `existing` locked (FOR
 * UPDATE). Returns each item's row after the write.
 */
const itemEventType = { create: 'catalog.item.created', update: 'catalog.item.updated', retire: 'catalog.item.retired', reinstate: 'catalog.item.reinstated' } as const

export interface WriteItemsOptions {
  /**
   * Bench only (scripts/bench/catalog-bulk.ts times the bulk upsert with and without its change
   * events, issue 15): false leaves out the change-feed events. Never turned off by the product: an
   * item change without its event would be a change the feed never announces.
   */
  changeEvents?: boolean
}

export async function writeItems(tx: Db, ctx: WriteContext, vocab: CatalogVocabulary, writes: PlannedItemWrite[], options: WriteItemsOptions = {}): Promise<CatalogItemRow[]> {
  const rows: CatalogItemRow[] = []
  const changes = writes.filter((w) => w.changes.length).length
  // The audit chain and the event positions are taken before the first row (in that order: the lock
  // order), so that each batch's audit rows are linked while the database writes the batch before.
  const audit = changes ? await openAuditChain(tx, ctx) : null
  const outbox = changes && options.changeEvents !== false ? await reserveEvents(tx, ctx, changes) : null
  const writer = new RowWriter(tx)
  for (let i = 0; i < writes.length; i += ROWS_PER_STATEMENT) {
    const batch = writes.slice(i, i + ROWS_PER_STATEMENT).map((write) => ({ write, row: rowAfter(ctx, vocab, write) }))
    rows.push(...batch.map((w) => w.row))
    const changed = batch.filter(({ write }) => write.changes.length)
    if (!changed.length) continue
    // A batch's items, their history, audit rows and events as one statement (see RowWriter.together).
    await writer.together(() => writeBatch(writer, ctx, changed, audit!, outbox))
  }
  await writer.done()
  return rows
}

/** Has `writer` write a batch of changed items: the items (new ones inserted, others updated), their history rows, audit rows and events. */
async function writeBatch(writer: RowWriter, ctx: WriteContext, changed: { write: PlannedItemWrite; row: CatalogItemRow }[], audit: OpenAuditChain, outbox: ReservedEvents | null): Promise<void> {
  // What every new row shares (its region, version 1, created and updated now) is sent once.
  await writer.insert(
    catalogItems,
    changed.filter(({ write }) => !write.existing).map(({ row: { regionCode: _region, version: _version, createdAt: _created, updatedAt: _updated, ...own } }) => own),
    { regionCode: ctx.regionCode, version: 1, createdAt: ctx.now, updatedAt: ctx.now },
  )
  // An update leaves the identity (id, region, key) and createdAt as they are.
  await writer.update(
    catalogItems,
    'id',
    changed.filter(({ write }) => write.existing).map(({ row: { regionCode: _region, key: _key, createdAt: _created, ...rest } }) => rest),
  )
  await writer.insert(
    catalogItemChanges,
    // A creation's values are the item's own (derived when the history is read, item-history.ts): not stored twice.
    changed.map(({ write, row }) => ({ itemId: row.id, version: row.version, action: write.action, changes: write.action === 'create' ? creationRecord() : write.changes })),
    { actorType: ctx.actor.type, actorId: ctx.actor.id, actorName: ctx.actor.name, requestId: ctx.requestId, at: ctx.now },
  )
  await audit.append(
    writer,
    changed.map(({ write, row }) => ({ action: `item.${write.action}`, targetType: 'item', targetId: row.id, details: { key: write.key, fields: write.changes.map((c) => c.field) } })),
  )
  await outbox?.append(
    writer,
    changed.map(({ write, row }) => ({
      type: itemEventType[write.action],
      data: { id: row.key, version: row.version, url: `/v1/items/${encodeURIComponent(row.key)}`, department: row.departmentCode, domain: row.domain },
    })),
  )
}

/** Writes one item (see writeItems); returns its row after the write. */
export async function writeItem(tx: Db, ctx: WriteContext, vocab: CatalogVocabulary, existing: CatalogItemRow | null, next: Omit<ItemWrite, 'existing'>): Promise<CatalogItemRow> {
  const [row] = await writeItems(tx, ctx, vocab, [planItemWrite({ existing, ...next })])
  return row!
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
    return writeItem(tx, ctx, vocab, null, { key: input.key, elements, status: 'active', action: 'create' })
  })
}

export async function getItem(db: Db, regionCode: string, key: string): Promise<CatalogItemRow> {
  const row = await q.findItem(db, regionCode, key)
  if (!row) throw notFound(`No item with the key ${key}.`)
  return row
}

export type ItemReadRow = q.ItemReadRow

/** An item as a read answers it (only the columns the answer needs). */
export async function readItem(db: Db, regionCode: string, key: string): Promise<ItemReadRow> {
  const row = await q.readItem(db, regionCode, key)
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
    const stored = elementsOf(row)
    // A new lead replaces the old one; the co-responsible departments stay unless the patch lists them.
    if (defined.department && !defined.departments) defined.departments = [defined.department, ...stored.departments.slice(1)]
    const elements = completeElements({ ...stored, ...defined })
    const problems = itemProblems(vocab, elements, '/body')
    if (problems.length) throw unprocessable('The item is not valid after this change.', problems)
    return writeItem(tx, ctx, vocab, row, { key, elements, status: 'active', action: 'update' })
  })
}

async function setStatus(db: Db, ctx: WriteContext, key: string, ifMatch: string, status: 'active' | 'retired') {
  const vocab = await catalogVocabulary(db, ctx.regionCode)
  return db.transaction(async (tx) => {
    const row = await lockForChange(tx, ctx, key, ifMatch)
    if (row.status === status) throw conflict(`The item ${key} is already ${status}.`)
    const action = status === 'retired' ? 'retire' : 'reinstate'
    return writeItem(tx, ctx, vocab, row, { key, elements: elementsOf(row), status, action })
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
