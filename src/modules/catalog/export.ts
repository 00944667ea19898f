// Exports of the working set and of catalog versions: JSON (the items as POST /v1/items/bulk takes
// them), CSV (UTF-8 with a BOM, which Excel opens correctly) and XLSX in the layout districts print.
// Every export reads back through the bulk import as exactly the items it was made from.
import type { Db } from '../../db/client.js'
import { csvBytes } from '../../lib/spreadsheet/csv.js'
import { xlsxMediaType } from '../../lib/spreadsheet/read.js'
import { writeSheet } from '../../lib/spreadsheet/xlsx.js'
import { listDomains } from '../reference/service.js'
import * as bq from './bulk-queries.js'
import type { CatalogEntry } from './elements.js'
import { catalogVocabulary, entryOf } from './items.js'
import { catalogSheet, type SheetLayout } from './layout-write.js'
import { versionEntries, type CatalogVersionRow } from './versions.js'

export type ExportFormat = 'json' | 'csv' | 'xlsx'

export interface ExportFilter {
  department?: string | undefined
  domain?: string | undefined
}

export interface ExportFile {
  body: Buffer
  contentType: string
  filename: string
}

export const exportMediaTypes: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: xlsxMediaType,
}

/** The active items of the working set, by key. */
export async function workingSetEntries(db: Db, regionCode: string, filter: ExportFilter): Promise<CatalogEntry[]> {
  return (await bq.activeItemsOf(db, { regionCode, ...filter })).map(entryOf)
}

/** The items a version froze, by key. */
export async function versionExportEntries(db: Db, version: CatalogVersionRow, filter: ExportFilter): Promise<CatalogEntry[]> {
  return (await versionEntries(db, version)).filter((e) => (!filter.department || e.department === filter.department) && (!filter.domain || e.domain === filter.domain))
}

/**
 * Renders `entries` as a file. `what` names the catalog in the title line and the file name
 * (`第3版` / `v3`, or the working set).
 */
export async function renderExport(
  db: Db,
  regionCode: string,
  entries: CatalogEntry[],
  options: { format: ExportFormat; layout: SheetLayout; version: number | null; filter: ExportFilter },
): Promise<ExportFile> {
  const parts = ['catalog', options.version === null ? 'working-set' : `v${options.version}`, options.filter.domain, options.filter.department].filter(Boolean)
  const filename = `${parts.join('-')}.${options.format}`
  if (options.format === 'json') return { body: Buffer.from(JSON.stringify(entries)), contentType: exportMediaTypes.json, filename }
  const vocab = await catalogVocabulary(db, regionCode)
  const domains = (await listDomains(db)).map((d) => ({ code: d.code, nameZh: d.nameZh }))
  const domainName = options.filter.domain ? (domains.find((d) => d.code === options.filter.domain)?.nameZh ?? '') : ''
  const departmentName = options.filter.department ? (vocab.departments.get(options.filter.department) ?? '') : ''
  const title = `${departmentName}${domainName ? `${domainName}领域` : ''}公开事项标准目录（${options.version === null ? '工作稿' : `第${options.version}版`}）`
  const sheet = catalogSheet(entries, { title, levels: vocab.levels, domains, departmentName: (code) => vocab.departments.get(code) ?? code }, options.layout, options.format === 'xlsx')
  if (options.format === 'csv') return { body: csvBytes([...sheet.header, ...sheet.rows]), contentType: exportMediaTypes.csv, filename }
  const body = await writeSheet({
    name: options.version === null ? '公开事项标准目录' : `第${options.version}版`,
    title: sheet.title,
    header: sheet.header,
    rows: sheet.rows,
    merges: sheet.merges,
    widths: sheet.widths,
    centred: sheet.tickColumns,
  })
  return { body, contentType: exportMediaTypes.xlsx, filename }
}
