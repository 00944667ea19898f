// Bulk import of the working set: a whole spreadsheet (or JSON array) as one safe, previewable,
// atomic update, in stages with data flowing one way: find the table(s) (lib/spreadsheet/tables.ts) →
// map the columns (sheet-columns.ts) → read the rows (sheet-rows.ts) → resolve names (sheet-names.ts) →
// check (bulk-check.ts; any bad row: 422 listing all of them, nothing written) → plan (bulk-plan.ts).
// A dry run returns the plan with how the sheet was read (warnings per row, skipped rows, what each
// 公开主体 text resolved to); a real run carries it out through `writeItems`, the one write path, in the
// caller's transaction. Both make the plan with the same code from the same rows.
import type { Db } from '../../db/client.js'
import type { FieldError } from '../../lib/problems.js'
import { ProblemError, unprocessable } from '../../lib/problems.js'
import type { Table } from '../../lib/spreadsheet/read.js'
import { findTables } from '../../lib/spreadsheet/tables.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { loadDepartmentDirectory, loadDomainDirectory } from '../reference/resolve.js'
import * as bq from './bulk-queries.js'
import { checkRows, jsonRow, sheetRow, type UploadRow } from './bulk-check.js'
import { planImport, summarizePlan, type BulkMode, type PlanRequest, type PlanSummary } from './bulk-plan.js'
import { catalogVocabulary, writeItems, type CatalogVocabulary } from './items.js'
import { isColumnLabel, isGroupLabel } from './layout-columns.js'
import { mapColumns } from './sheet-columns.js'
import { resolveRowNames, type BodySummary, type NameDirectories } from './sheet-names.js'
import { isNoteText, readTableRows, type ReadRow, type SkippedRow } from './sheet-rows.js'

export type { BulkMode }
export const bulkLimits = { rows: 20_000, bytes: 20 * 1024 * 1024 }

export type BulkUpload = { format: 'json'; items: unknown[] } | { format: 'csv' | 'xlsx'; table: Table }

export interface BulkRequest extends PlanRequest {
  dryRun: boolean
  upload: BulkUpload
  maxRows?: number
  /** Bench only: false writes no change events (see WriteItemsOptions). */
  changeEvents?: boolean
}

export interface BulkResult extends PlanSummary {
  dryRun: boolean
  mode: BulkMode
  department: string | null
  domain: string | null
  format: 'json' | 'csv' | 'xlsx'
  /** How a sheet was read: the published two-row header, Chinese headers in one row, or English field names. */
  layout: 'json' | 'published' | 'chinese' | 'fields'
  rows: number
  /** Every assumption made reading a row, by row (rows without any are left out). */
  rowWarnings: { row: number; warnings: string[] }[]
  /** Rows that are not items (notes, prose, section headings, repeated headers), with why. */
  skipped: SkippedRow[]
  /** Each distinct 公开主体 text of a sheet and the departments it resolved to, lead first. */
  bodies: BodySummary[]
  warnings: string[]
}

const tooMany = (rows: number, max: number) => new ProblemError('payload-too-large', `The upload has ${rows} rows; at most ${max} are taken in one request. Split it by department or domain.`)

interface UploadReading {
  rows: UploadRow[]
  layout: BulkResult['layout']
  warnings: string[]
  skipped: SkippedRow[]
  bodies: BodySummary[]
}

/** The sheet's rows read and their names resolved (stages 1 to 4); 422 when it cannot be read as a catalog. */
function readSheet(table: Table, vocab: CatalogVocabulary, directories: NameDirectories, request: BulkRequest, max: number): UploadReading {
  const grid = table.grid
  const tables = findTables(grid, { isColumn: isColumnLabel, isGroup: isGroupLabel, minColumns: 2 })
  if (!tables.length) {
    throw unprocessable('The sheet cannot be read as a catalog.', [{ pointer: '/body', message: 'no header row found in the first 10 rows (expected columns such as 一级事项, 二级事项, 公开内容 or firstLevel, secondLevel, content)' }])
  }
  const rows: ReadRow[] = []
  const skipped: SkippedRow[] = []
  const warnings: string[] = []
  const problems: string[] = []
  let layout: BulkResult['layout'] = 'fields'
  let heading: string[] = []
  tables.forEach((found, i) => {
    const map = mapColumns(found.header, vocab.levels)
    if (i === 0) layout = map.layout
    // A later table's heading lines and repeated header are rows of the sheet that are not items.
    if (i > 0) {
      for (let r = found.startRow; r < found.header.firstDataRow; r++) {
        const text = (grid.rows[r] ?? []).map((c) => c.trim()).filter(Boolean)
        if (text.length) skipped.push({ row: r + 1, reason: r >= found.header.row ? 'repeated header' : isNoteText(text[0]!) ? 'note' : 'heading', text: [...new Set(text)].join(' ').slice(0, 80) })
      }
    }
    for (const w of map.warnings) if (!warnings.includes(w)) warnings.push(w)
    problems.push(...map.problems.map((p) => (tables.length > 1 ? `table at row ${found.header.row + 1}: ${p}` : p)))
    if (map.problems.length) return
    const read = readTableRows(grid, found, map, vocab.levels, i === 0 ? [] : heading)
    heading = read.heading
    rows.push(...read.rows)
    skipped.push(...read.skipped)
  })
  if (problems.length) throw unprocessable('The sheet cannot be read as a catalog.', problems.map((message) => ({ pointer: '/body', message })))
  if (rows.length > max) throw tooMany(rows.length, max)
  const bodies = resolveRowNames(rows, tables[0]!.header.title, directories, { department: request.department, domain: request.domain })
  skipped.sort((a, b) => a.row - b.row)
  return { rows: rows.map(sheetRow), layout, warnings, skipped, bodies }
}

/** The upload's rows, ready to check; throws 422 when a sheet cannot be read as a catalog at all, 413 when it is too long. */
async function uploadRows(tx: Db, ctx: WriteContext, request: BulkRequest, vocab: CatalogVocabulary, max: number): Promise<UploadReading> {
  const upload = request.upload
  if (upload.format === 'json') {
    if (upload.items.length > max) throw tooMany(upload.items.length, max)
    return { rows: upload.items.map((item, i) => jsonRow(i, item)), layout: 'json', warnings: [], skipped: [], bodies: [] }
  }
  // Counted before reading cells: a sheet far over the limit is refused without the work.
  const dataRows = upload.table.grid.rows.length
  if (dataRows > max + 20) throw tooMany(dataRows, max)
  const directories = { departments: await loadDepartmentDirectory(tx, ctx.regionCode), domains: await loadDomainDirectory(tx) }
  return readSheet(upload.table, vocab, directories, request, max)
}

/**
 * Imports an upload into the working set of `ctx.regionCode`, inside `tx`. A dry run reads only; a
 * real run locks the region's bulk imports and the rows it touches, and writes the changes through
 * `writeItems` (versioned, with history and audit; a few statements for the whole upload).
 */
export async function importItems(tx: Db, ctx: WriteContext, request: BulkRequest): Promise<BulkResult> {
  const vocab = await catalogVocabulary(tx, ctx.regionCode)
  const queryErrors: FieldError[] = []
  if (request.department && !vocab.departments.has(request.department)) queryErrors.push({ pointer: '/query/department', message: `no department ${request.department} in this region` })
  if (request.domain && !vocab.domains.has(request.domain)) queryErrors.push({ pointer: '/query/domain', message: `no domain ${request.domain}` })
  if (request.mode === 'replace' && !request.department) {
    queryErrors.push({ pointer: '/query/department', message: 'is required with mode=replace (the department whose items missing from the upload are retired)' })
  }
  if (queryErrors.length) throw unprocessable('The import cannot be done as asked.', queryErrors)

  const reading = await uploadRows(tx, ctx, request, vocab, request.maxRows ?? bulkLimits.rows)
  const rows = reading.rows
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
  if (!request.dryRun) await writeItems(tx, ctx, vocab, plan, { changeEvents: request.changeEvents !== false })
  const result: BulkResult = {
    dryRun: request.dryRun,
    mode: request.mode,
    department: request.department ?? null,
    domain: request.domain ?? null,
    format: request.upload.format,
    layout: reading.layout,
    rows: rows.length,
    ...summarizePlan(plan),
    rowWarnings: checked.valid.filter((r) => r.warnings.length).map((r) => ({ row: r.row, warnings: r.warnings })),
    skipped: reading.skipped,
    bodies: reading.bodies,
    warnings: reading.warnings,
  }
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
