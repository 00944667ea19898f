// Stage 6 of an import: the plan. What each checked row does to the stored items — added, changed
// (field by field), reinstated, unchanged — and, for mode replace, which stored items of the department
// are retired (only items it leads: a co-responsible department's upload never retires another's
// item). A dry run returns the plan; a real run writes exactly it.
import { unprocessable, type FieldError } from '../../lib/problems.js'
import type { CheckedRow } from './bulk-check.js'
import type { FieldChange } from './elements.js'
import { elementsOf, planItemWrite, type CatalogItemRow, type ItemAction, type PlannedItemWrite } from './items.js'

export type BulkMode = 'upsert' | 'replace'

export interface PlanRequest {
  mode: BulkMode
  department?: string | undefined
  domain?: string | undefined
  /** May the caller edit items of this department? (Taking over another department's item needs it.) */
  mayEdit(department: string): boolean
}

/** A planned item write, with the upload row it comes from (null: an item a replace retires). */
export type PlannedWrite = PlannedItemWrite & { row: CheckedRow | null }

interface ItemRef {
  key: string
  firstLevel: string
  secondLevel: string
}
export interface PlanSummary {
  counts: { added: number; changed: number; retired: number; unchanged: number }
  added: (ItemRef & { row: number })[]
  changed: (ItemRef & { row: number; changes: FieldChange[] })[]
  retired: ItemRef[]
  unchanged: { key: string; row: number }[]
}

/** What each row does to the stored items (and, for replace, which stored items are retired). */
export function planImport(rows: CheckedRow[], stored: CatalogItemRow[], request: PlanRequest): PlannedWrite[] {
  const byKey = new Map(stored.map((r) => [r.key, r]))
  const ownership: FieldError[] = []
  const plan: PlannedWrite[] = []
  for (const row of rows) {
    const existing = byKey.get(row.key) ?? null
    if (existing) {
      // An editor of any of the item's departments may edit it; changing its departments needs that too.
      const current = elementsOf(existing).departments
      const moves = current.join() !== row.elements.departments.join()
      if (moves && !current.some((code) => request.mayEdit(code))) {
        ownership.push(row.locate('/key', `the item ${row.key} belongs to department ${current.join(', ')}; only their editors can change its departments to ${row.elements.departments.join(', ')}`))
        continue
      }
    }
    const action: ItemAction = !existing ? 'create' : existing.status === 'retired' ? 'reinstate' : 'update'
    plan.push({ ...planItemWrite({ existing, key: row.key, elements: row.elements, status: 'active', action }), row })
  }
  if (ownership.length) throw unprocessable(`${ownership.length} row(s) name items of another department; nothing was written.`, ownership)
  if (request.mode === 'replace') {
    const uploaded = new Set(rows.map((r) => r.key))
    for (const item of stored) {
      if (item.status !== 'active' || item.departmentCode !== request.department || uploaded.has(item.key)) continue
      if (request.domain && item.domain !== request.domain) continue
      plan.push({ ...planItemWrite({ existing: item, key: item.key, elements: elementsOf(item), status: 'retired', action: 'retire' }), row: null })
    }
  }
  return plan
}

const refOf = (key: string, e: { firstLevel: string; secondLevel: string }): ItemRef => ({ key, firstLevel: e.firstLevel, secondLevel: e.secondLevel })

/** The plan as the response lists it. */
export function summarizePlan(plan: PlannedWrite[]): PlanSummary {
  const result: PlanSummary = { counts: { added: 0, changed: 0, retired: 0, unchanged: 0 }, added: [], changed: [], retired: [], unchanged: [] }
  for (const w of plan) {
    if (!w.row) result.retired.push(refOf(w.key, w.elements))
    else if (!w.existing) result.added.push({ ...refOf(w.key, w.elements), row: w.row.row })
    else if (w.changes.length) result.changed.push({ ...refOf(w.key, w.elements), row: w.row.row, changes: w.changes })
    else result.unchanged.push({ key: w.key, row: w.row.row })
  }
  result.retired.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  result.counts = { added: result.added.length, changed: result.changed.length, retired: result.retired.length, unchanged: result.unchanged.length }
  return result
}
