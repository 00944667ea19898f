// An item's history (GET /v1/items/{key}/history): one row per change, each with its changed fields'
// old and new values. A creation's row is stored without its values (`changes: []`, see
// creationRecord): they are every element of the item at its first version, which the item's row and
// the later changes' old values already hold, so they are derived when the history is read rather
// than written a second time with every new item (issue 12: a 10,000-item import wrote each item's
// elements twice). The answer is the same, byte for byte, as when the creation row held them.
import type { Db } from '../../db/client.js'
import { encodeCursor, readCursor } from '../../lib/cursor.js'
import { notFound } from '../../lib/problems.js'
import { elementFields, type FieldChange } from './elements.js'
import * as q from './queries.js'
import type { CatalogItemChangeRow, CatalogItemRow } from './tables.js'

/** The fields a creation lists, in the order it lists them (as diffElements compares them). */
const createdFields = [...elementFields, 'status'] as const

/**
 * What the history row of a creation stores: nothing of the item's values (they are derived when
 * read, see creationChanges). `action: 'create'` with no changes means exactly this: a creation
 * always has values (a domain, names, a department…), so a creation row that lists none cannot be
 * anything else. Creation rows written before this kept their values and are answered as stored.
 */
export const creationRecord = (): FieldChange[] => []

const derivedCreation = (row: Pick<CatalogItemChangeRow, 'action' | 'changes'>) => row.action === 'create' && row.changes.length === 0

/**
 * The item's element values as its row holds them, in the form a stored change holds them: what a
 * jsonb column gives back. Only `mode` is built here, so its keys are put in jsonb's order (shorter
 * keys first, then bytewise: onRequest before proactive), the order a stored change returns them in.
 */
function storedValues(item: CatalogItemRow): Record<(typeof createdFields)[number], unknown> {
  return {
    domain: item.domain,
    firstLevel: item.firstLevel,
    secondLevel: item.secondLevel,
    thirdLevel: item.thirdLevel,
    content: item.content,
    basis: item.basis,
    timeLimit: item.timeLimit,
    department: item.departmentCode,
    departments: item.departmentCodes,
    channels: item.channels,
    channelsOther: item.channelsOther,
    audience: item.audience,
    mode: { onRequest: item.onRequest, proactive: item.proactive },
    levels: item.levels,
    status: item.status,
  }
}

/**
 * A creation's changes (every field with a value: old null, new the value at creation), derived from
 * the item as it is now, walked back through the changes after the creation, newest first: each one
 * puts back its fields' old values. Exact because every change of an item's row is written by
 * writeItems together with its history row, listing each field it changed with the old value; a
 * migration that rewrites item columns must keep this so (or store the creation's values).
 */
function creationChanges(item: CatalogItemRow, later: Pick<CatalogItemChangeRow, 'changes'>[]): FieldChange[] {
  const values: Record<string, unknown> = storedValues(item)
  for (let i = later.length - 1; i >= 0; i--) for (const change of later[i]!.changes) values[change.field] = change.old
  // As diffElements(null, state) lists them: a field left null at creation is not a change.
  return createdFields.filter((field) => (values[field] ?? null) !== null).map((field) => ({ field, old: null, new: values[field] }))
}

/** The changes of an item, oldest first. */
export async function itemHistory(db: Db, regionCode: string, key: string, page: { limit: number; cursor?: string | undefined }) {
  const item = await q.findItem(db, regionCode, key)
  if (!item) throw notFound(`No item with the key ${key}.`)
  const [after = 0] = readCursor(page.cursor, ['number']) ?? []
  const rows = await q.itemChanges(db, item.id, after, page.limit + 1)
  const items = rows.slice(0, page.limit)
  const creation = items.find(derivedCreation)
  if (creation) {
    // The page may end before the item's last change: the walk back needs all of them.
    const later = rows.length > page.limit ? await q.itemChangesAfter(db, item.id, creation.version) : rows.filter((r) => r.version > creation.version)
    creation.changes = creationChanges(item, later)
  }
  return { items, nextCursor: rows.length > page.limit ? encodeCursor([items[items.length - 1]!.version]) : null }
}
