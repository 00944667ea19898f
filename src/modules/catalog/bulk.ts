// Bulk import of the working set: a whole spreadsheet (or JSON array) as one safe, previewable,
// atomic update. The upload is read and every row checked first (any bad row: 422 listing all of them,
// nothing written); then a plan is made against the stored items — added, changed (field by field),
// retired (mode replace: the department's items missing from the upload), unchanged — and a dry run
// returns it while a real run carries it out through `writeItems`, the one write path, in the caller's
// transaction. Both make the plan with the same code from the same rows, so a dry run says exactly
// what the real run then does.
import type { Db } from '../../db/client.js'
import type { FieldError } from '../../lib/problems.js'
import { ProblemError, unprocessable } from '../../lib/problems.js'
import { normalizeLabel } from '../../lib/spreadsheet/grid.js'
import type { Table } from '../../lib/spreadsheet/read.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { loadDepartmentDirectory } from '../reference/resolve.js'
import { listDomains } from '../reference/service.js'
import * as bq from './bulk-queries.js'
import { checkRows, jsonRow, sheetRow, type CheckedRow, type UploadRow } from './bulk-rows.js'
import type { FieldChange } from './elements.js'
import { catalogVocabulary, elementsOf, planItemWrite, writeItems, type CatalogItemRow, type CatalogVocabulary, type ItemAction, type PlannedItemWrite } from './items.js'
import { readCatalogSheet, type SheetNames } from './layout-read.js'

export const bulkLimits = { rows: 20_000, bytes: 20 * 1024 * 1024 }

export type BulkMode = 'upsert' | 'replace'

export type BulkUpload = { format: 'json'; items: unknown[] } | { format: 'csv' | 'xlsx'; table: Table }

export interface BulkRequest {
  mode: BulkMode
  dryRun: boolean
  /** The department the upload is for: fills blank department cells, and every row must be of it. */
  department?: string | undefined
  /** Fills blank domain cells; with `replace`, only this domain's items are retired. */
  domain?: string | undefined
  upload: BulkUpload
  /** May the caller edit items of this department? (Taking over another department's item needs it.) */
  mayEdit(department: string): boolean
  maxRows?: number
}

interface ItemRef {
  key: string
  firstLevel: string
  secondLevel: string
}
export interface BulkResult {
  dryRun: boolean
  mode: BulkMode
  department: string | null
  domain: string | null
  format: 'json' | 'csv' | 'xlsx'
  /** How a sheet was read: the published two-row header, Chinese headers in one row, or English field names. */
  layout: 'json' | 'published' | 'chinese' | 'fields'
  rows: number
  counts: { added: number; changed: number; retired: number; unchanged: number }
  added: (ItemRef & { row: number })[]
  changed: (ItemRef & { row: number; changes: FieldChange[] })[]
  retired: ItemRef[]
  unchanged: { key: string; row: number }[]
  warnings: string[]
}

/** A planned item write, with the upload row it comes from (null: an item a replace retires). */
type PlannedWrite = PlannedItemWrite & { row: CheckedRow | null }

/** Looks up domains and departments by code or Chinese name, as sheets write them. */
async function sheetNames(db: Db, vocab: CatalogVocabulary, regionCode: string): Promise<SheetNames> {
  const domains = (await listDomains(db)).map((d) => ({ code: d.code, nameZh: d.nameZh }))
  const domainByName = new Map<string, string>()
  for (const d of domains) {
    domainByName.set(normalizeLabel(d.code), d.code)
    domainByName.set(normalizeLabel(d.nameZh), d.code)
  }
  const departmentByName = new Map<string, string>()
  for (const [code, name] of vocab.departments) {
    departmentByName.set(normalizeLabel(code), code)
    departmentByName.set(normalizeLabel(name), code)
  }
  // Aliases and place-prefix variants through the reference resolver (issue 12); an ambiguous text stays unresolved.
  const directory = await loadDepartmentDirectory(db, regionCode)
  const viaResolver = (t: string) => {
    const r = directory.resolve(t)
    return r.status === 'resolved' ? r.code : undefined
  }
  return { domains, domainNamed: (t) => domainByName.get(normalizeLabel(t)), departmentNamed: (t) => departmentByName.get(normalizeLabel(t)) ?? viaResolver(t) }
}

const tooMany = (rows: number, max: number) => new ProblemError('payload-too-large', `The upload has ${rows} rows; at most ${max} are taken in one request. Split it by department or domain.`)

/** The upload's rows, ready to check; throws 422 when a sheet cannot be read as a catalog at all, 413 when it is too long. */
function uploadRows(request: BulkRequest, names: SheetNames, max: number): { rows: UploadRow[]; layout: BulkResult['layout']; warnings: string[] } {
  const upload = request.upload
  if (upload.format === 'json') {
    if (upload.items.length > max) throw tooMany(upload.items.length, max)
    return { rows: upload.items.map((item, i) => jsonRow(i, item)), layout: 'json', warnings: [] }
  }
  // Counted before reading cells: a sheet far over the limit is refused without the work.
  const dataRows = upload.table.grid.rows.length
  if (dataRows > max + 20) throw tooMany(dataRows, max)
  const read = readCatalogSheet(upload.table.grid, names, { department: request.department, domain: request.domain })
  if (read.sheetProblems.length) {
    throw unprocessable('The sheet cannot be read as a catalog.', read.sheetProblems.map((message) => ({ pointer: '/body', message })))
  }
  if (read.rows.length > max) throw tooMany(read.rows.length, max)
  return { rows: read.rows.map(sheetRow), layout: read.layout, warnings: read.warnings }
}

const refOf = (key: string, e: { firstLevel: string; secondLevel: string }): ItemRef => ({ key, firstLevel: e.firstLevel, secondLevel: e.secondLevel })

/**
 * Imports an upload into the working set of `ctx.regionCode`, inside `tx`. A dry run reads only; a
 * real run locks the region's bulk imports and the rows it touches, and writes the changes through
 * `writeItems` (versioned, with history and audit; a few statements for the whole upload).
 */
export async function importItems(tx: Db, ctx: WriteContext, request: BulkRequest): Promise<BulkResult> {
  const vocab = await catalogVocabulary(tx, ctx.regionCode)
  const names = await sheetNames(tx, vocab, ctx.regionCode)
  const queryErrors: FieldError[] = []
  if (request.department && !vocab.departments.has(request.department)) queryErrors.push({ pointer: '/query/department', message: `no department ${request.department} in this region` })
  if (request.domain && !vocab.domains.has(request.domain)) queryErrors.push({ pointer: '/query/domain', message: `no domain ${request.domain}` })
  if (request.mode === 'replace' && !request.department) {
    queryErrors.push({ pointer: '/query/department', message: 'is required with mode=replace (the department whose items missing from the upload are retired)' })
  }
  if (queryErrors.length) throw unprocessable('The import cannot be done as asked.', queryErrors)

  const { rows, layout, warnings } = uploadRows(request, names, request.maxRows ?? bulkLimits.rows)
  const checked = checkRows(rows, vocab, { department: request.department, domain: request.domain })
  if (checked.errors.length) throw invalidRows(checked.errors)

  if (!request.dryRun) await bq.lockBulkImports(tx, ctx.regionCode)
  const stored = await bq.itemsForImport(tx, {
    regionCode: ctx.regionCode,
    keys: checked.valid.map((r) => r.key),
    replace: request.mode === 'replace' ? { department: request.department!, domain: request.domain } : undefined,
    lock: !request.dryRun,
  })
  const plan = planImport(checked.valid, stored, request)

  // The plan's changes are what gets written, so a real run does exactly what its dry run announced.
  if (!request.dryRun) await writeItems(tx, ctx, vocab, plan)
  const result = resultOf(plan, request, layout, rows.length, warnings)
  if (!request.dryRun && result.counts.added + result.counts.changed + result.counts.retired > 0) {
    await appendAudit(tx, ctx, {
      action: 'item.bulk_import',
      targetType: 'region',
      targetId: ctx.regionCode,
      details: { mode: request.mode, department: request.department ?? null, domain: request.domain ?? null, format: request.upload.format, rows: rows.length, ...result.counts },
    })
  }
  return result
}

function invalidRows(errors: FieldError[]): ProblemError {
  const rows = new Set(errors.map((e) => e.pointer.split('/')[2]))
  return unprocessable(`${rows.size} row${rows.size === 1 ? ' is' : 's are'} not valid (${errors.length} problem${errors.length === 1 ? '' : 's'}); nothing was written.`, errors)
}

/** What each row does to the stored items (and, for replace, which stored items are retired). */
function planImport(rows: CheckedRow[], stored: CatalogItemRow[], request: BulkRequest): PlannedWrite[] {
  const byKey = new Map(stored.map((r) => [r.key, r]))
  const ownership: FieldError[] = []
  const plan: PlannedWrite[] = []
  for (const row of rows) {
    const existing = byKey.get(row.key) ?? null
    if (existing && existing.departmentCode !== row.elements.department && !request.mayEdit(existing.departmentCode)) {
      ownership.push(row.locate('/key', `the item ${row.key} belongs to department ${existing.departmentCode}; only its editors can move it to ${row.elements.department}`))
      continue
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

function resultOf(plan: PlannedWrite[], request: BulkRequest, layout: BulkResult['layout'], rows: number, warnings: string[]): BulkResult {
  const result: BulkResult = {
    dryRun: request.dryRun,
    mode: request.mode,
    department: request.department ?? null,
    domain: request.domain ?? null,
    format: request.upload.format,
    layout,
    rows,
    counts: { added: 0, changed: 0, retired: 0, unchanged: 0 },
    added: [],
    changed: [],
    retired: [],
    unchanged: [],
    warnings,
  }
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
