// Request and response schemas of bulk import (POST /v1/items/bulk) and of the exports.
import { Type, type Static } from 'typebox'
import { ref } from '../../http/schemas.js'
import { xlsxMediaType } from '../../lib/spreadsheet/read.js'
import { bulkLimits } from './bulk.js'
import { BulkItemSchema } from './bulk-rows.js'
import { CatalogEntrySchema, entryExample, FieldChangeSchema, RegionQuery } from './schemas.js'
import { VersionRefParams } from './version-schemas.js'

const Code = (description: string) => Type.String({ pattern: '^[a-z][a-z0-9_]{1,63}$', description })

export const BulkImportQuery = Type.Object(
  {
    mode: Type.Optional(
      Type.Enum(['upsert', 'replace'], {
        default: 'upsert',
        description: '`upsert`: add new keys, change existing ones. `replace`: also retire the active items of `department` (and `domain`, when given) that the upload does not list. Items of other departments are never retired.',
      }),
    ),
    dryRun: Type.Optional(Type.Boolean({ default: false, description: 'Say what would happen (added, changed with field diffs, retired, unchanged) and write nothing.' })),
    department: Type.Optional(
      Type.String({
        maxLength: 64,
        description: "The department the upload is for (code). Required for editors (their own department) and for `replace`; blank department cells take it, and every row must be of it. Admins and region-wide clients may leave it out and import any department's items.",
        examples: ['civil_affairs'],
      }),
    ),
    domain: Type.Optional(Code('Fills blank domain cells (a sheet for one domain); with `replace`, only items of this domain are retired.')),
  },
  { additionalProperties: false },
)

const ItemRefProperties = {
  key: Type.String(),
  firstLevel: Type.String(),
  secondLevel: Type.String(),
}
const row = Type.Integer({ description: 'Where the item is in the upload: the row number a spreadsheet shows (CSV, XLSX), or the array index (JSON).' })

export const BulkImportResultSchema = Type.Object(
  {
    dryRun: Type.Boolean({ description: 'true: nothing was written; a real run of the same upload does exactly this.' }),
    mode: Type.Enum(['upsert', 'replace']),
    department: Type.Union([Type.String(), Type.Null()]),
    domain: Type.Union([Type.String(), Type.Null()]),
    format: Type.Enum(['json', 'csv', 'xlsx']),
    layout: Type.Enum(['json', 'published', 'chinese', 'fields'], { description: 'How the sheet was read: the published two-row header, Chinese headers in one row, or English field names.' }),
    rows: Type.Integer({ description: 'Items in the upload.' }),
    counts: Type.Object({ added: Type.Integer(), changed: Type.Integer(), retired: Type.Integer(), unchanged: Type.Integer() }, { additionalProperties: false }),
    added: Type.Array(Type.Object({ ...ItemRefProperties, row }, { additionalProperties: false }), { description: 'New items, in upload order.' }),
    changed: Type.Array(Type.Object({ ...ItemRefProperties, row, changes: Type.Array(ref(FieldChangeSchema)) }, { additionalProperties: false }), {
      description: 'Items whose elements change (or that are reinstated: a `status` change), each changed field with its old and new value.',
    }),
    retired: Type.Array(Type.Object(ItemRefProperties, { additionalProperties: false }), { description: 'Items the upload leaves out (mode replace), by key.' }),
    unchanged: Type.Array(Type.Object({ key: Type.String(), row }, { additionalProperties: false })),
    warnings: Type.Array(Type.String(), { description: 'Columns that were not read, rows read as notes.' }),
  },
  { $id: 'BulkImportResult', description: 'What a bulk import did (or, in a dry run, would do).', additionalProperties: false },
)
export type BulkImportResultDto = Static<typeof BulkImportResultSchema>

export const bulkSchemas = [BulkItemSchema, BulkImportResultSchema]

const resultExample: BulkImportResultDto = {
  dryRun: true,
  mode: 'replace',
  department: 'civil_affairs',
  domain: null,
  format: 'xlsx',
  layout: 'published',
  rows: 3,
  counts: { added: 1, changed: 1, retired: 1, unchanged: 1 },
  added: [{ key: 'disaster_relief.item_3f9a2c41d0e7', firstLevel: '受灾人员冬春生活救助', secondLevel: '救助资金发放情况', row: 5 }],
  changed: [
    {
      key: 'disaster_relief.recipients',
      firstLevel: '受灾人员冬春生活救助',
      secondLevel: '救助对象名单',
      row: 4,
      changes: [{ field: 'channels', old: ['government_website'], new: ['government_website', 'bulletin_board'] }],
    },
  ],
  retired: [{ key: 'disaster_relief.old_notice', firstLevel: '受灾人员冬春生活救助', secondLevel: '救助标准' }],
  unchanged: [{ key: 'disaster_relief.policy', row: 6 }],
  warnings: [],
}

export const BulkImportResponse = {
  description: 'The import: what was added, changed (field by field), retired and left unchanged. A retry with the same Idempotency-Key gets this same response.',
  content: { 'application/json': { schema: ref(BulkImportResultSchema), example: resultExample } },
}

const sheetDescription =
  'One header row of English field names (key, domain, firstLevel, secondLevel, thirdLevel, content, basis, timeLimit, timeRule, department, channels, channelsOther, public, specificGroups, groupDescription, proactive, onRequest, levels) or Chinese headers, or the published two-row header (公开事项 over 一级事项/二级事项, 公开对象 over 全社会/特定群体, 公开方式 over 主动/依申请, 公开层级 over the levels), under any title lines. √ marks ticks; channels are a checklist (■政府网站 □政府公报 …); content elements are marked ● (mandatory) or 〇 (optional); several references in one 公开依据 cell, one per line (《title》（document number）articles). 公开时限 is read into its rule where the wording says one (信息形成或者变更之日起20个工作日内, 20工作日, 实时公开, 及时公开, 永久公开, 公示7天); a 时限规则 column may give it explicitly. A blank 公开领域 or 一级事项 cell continues the one above (as a merged cell does). Domains and departments by code or Chinese name.'

export const BulkImportBody = {
  content: {
    'application/json': { schema: Type.Array(ref(BulkItemSchema), { maxItems: bulkLimits.rows, description: 'The items, each as POST /v1/items takes it (`key` optional).', examples: [[entryExample]] }) },
    'text/csv': {
      schema: Type.String({
        description: `CSV in UTF-8 (with or without BOM), or GBK/GB18030 as Excel in China saves it: by the charset parameter (text/csv; charset=gbk) or detected. ${sheetDescription}`,
      }),
    },
    [xlsxMediaType]: { schema: Type.String({ format: 'binary', description: `An XLSX workbook; its first worksheet is read, merged cells as their top-left value. ${sheetDescription}` }) },
  },
}

// ---- exports

export const ExportQuery = Type.Object(
  {
    ...RegionQuery,
    format: Type.Optional(Type.Enum(['json', 'csv', 'xlsx'], { default: 'json', description: 'json: the items (as POST /v1/items/bulk takes them); csv: UTF-8 with BOM; xlsx: for print.' })),
    layout: Type.Optional(
      Type.Enum(['published', 'fields'], {
        default: 'published',
        description: 'CSV and XLSX: `published`, the two-row header districts print (√ marks, channel checklists, merged first-level cells); `fields`, one row of English field names.',
      }),
    ),
    department: Type.Optional(Type.String({ maxLength: 64, description: 'Only items of this department (code).' })),
    domain: Type.Optional(Code('Only items of this domain.')),
  },
  { additionalProperties: false },
)

export const VersionExportParams = VersionRefParams

export const ExportResponse = {
  description: 'The catalog as a file (Content-Disposition names it). Reads back through POST /v1/items/bulk as exactly these items.',
  content: {
    'application/json': { schema: Type.Array(ref(CatalogEntrySchema)), example: [entryExample] },
    'text/csv': { schema: Type.String({ description: 'UTF-8 with a BOM, CRLF line ends.' }) },
    [xlsxMediaType]: { schema: Type.String({ format: 'binary' }) },
  },
}
