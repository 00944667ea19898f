// Request and response schemas of bulk import (POST /v1/items/bulk) and of the exports.
import { Type, type Static } from 'typebox'
import { ref } from '../../http/schemas.js'
import { xlsxMediaType } from '../../lib/spreadsheet/read.js'
import { bulkLimits } from './bulk.js'
import { bodyCellDescription } from '../reference/resolve.js'
import { BulkItemSchema } from './bulk-check.js'
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
    rowWarnings: Type.Array(Type.Object({ row, warnings: Type.Array(Type.String()) }, { additionalProperties: false }), {
      description: 'How each row was read, where anything was assumed: an alias or place-prefix variant of a department, the domain taken from the title or a section heading, 同上 or a blank cell continuing the row above, a dash for no second level, a channel not on the checklist kept as other, a derived time rule.',
    }),
    skipped: Type.Array(
      Type.Object(
        { row: Type.Integer(), reason: Type.Enum(['note', 'text', 'heading', 'repeated header']), text: Type.String({ description: 'The start of the row\'s text.' }) },
        { additionalProperties: false },
      ),
      { description: 'Rows of the sheet that are not items and were not read: notes (注：…), prose, section headings, headers repeated after a page break.' },
    ),
    bodies: Type.Array(Type.Object({ text: Type.String({ description: 'A 公开主体 cell as written.' }), departments: Type.Array(Type.String(), { description: 'The department codes it resolved to, the lead first.' }) }, { additionalProperties: false }), {
      description: 'Each distinct 公开主体 text of the sheet and the departments it was read as: check these before the real run.',
    }),
    warnings: Type.Array(Type.String(), { description: 'About the sheet as a whole: columns that were not read, level columns mapped to the region\'s levels.' }),
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
  rowWarnings: [{ row: 5, warnings: ['column G (公开主体): "区民政局" read as civil_affairs (龙沙区民政局), by a place-prefix variant', 'domain disaster_relief taken from the sheet\'s title'] }],
  skipped: [{ row: 7, reason: 'note', text: '注：本目录由区民政局负责解释。' }],
  bodies: [{ text: '区民政局、各街道办事处', departments: ['civil_affairs', 'subdistricts'] }],
  warnings: [],
}

export const BulkImportResponse = {
  description: 'The import: what was added, changed (field by field), retired and left unchanged. A retry with the same Idempotency-Key gets this same response.',
  content: { 'application/json': { schema: ref(BulkImportResultSchema), example: resultExample } },
}

const sheetDescription =
  'The sheet as districts publish it: title and metadata lines above the header, legends and line breaks inside header cells, several tables under section headings (（二）救灾领域基层政务公开标准目录) each with its header repeated; notes (注：…), prose and repeated headers are skipped and listed in `skipped`. One header row of English field names (key, domain, firstLevel, secondLevel, thirdLevel, content, basis, timeLimit, timeRule, department, channels, channelsOther, public, specificGroups, groupDescription, proactive, onRequest, levels) or Chinese headers, or the published two-row header (公开事项 over 一级事项/二级事项, 公开对象 over 全社会/特定群体, 公开方式 over 主动/依申请, 公开层级 over the levels), under any title lines. √ marks ticks; channels are a checklist (■政府网站 □政府公报 …); content elements are marked ● (mandatory) or 〇 (optional); several references in one 公开依据 cell, one per line (《title》（document number）articles). 公开时限 is read into its rule where the wording says one (信息形成或者变更之日起20个工作日内, 20工作日, 实时公开, 及时公开, 永久公开, 公示7天); a 时限规则 column may give it explicitly. A blank (or merged) 公开领域, 一级事项, 公开依据, 公开时限, 公开主体 or 公开渠道 cell continues the one above, as does 同上; a dash (—) in 二级事项 means the first-level item has none. Channels as the full ■/□ checklist, only the chosen ■ items, or free text (政府网站、政务服务中心; 口 read as □; usual synonyms such as 政务新媒体 → 两微一端); a channel not on the checklist is kept as `other` with its text in `channelsOther`. 公开对象, 公开方式 and 公开层级 as √/✓ columns or as text in one column (全社会, 主动公开, 区级); level columns (区级, 镇街、村级) are mapped to the region\'s levels. The domain comes from the 公开领域 (or 类别) column, else the `domain` parameter, else the title, else the section heading.'

export const BulkImportBody = {
  content: {
    'application/json': { schema: Type.Array(ref(BulkItemSchema), { maxItems: bulkLimits.rows, description: 'The items, each as POST /v1/items takes it (`key` optional).', examples: [[entryExample]] }) },
    'text/csv': {
      schema: Type.String({
        description: `CSV in UTF-8 (with or without BOM), or GBK/GB18030 as Excel in China saves it: by the charset parameter (text/csv; charset=gbk) or detected. ${sheetDescription}\n\n**公开主体 cells** — ${bodyCellDescription}`,
      }),
    },
    [xlsxMediaType]: { schema: Type.String({ format: 'binary', description: `An XLSX workbook; its first worksheet is read, merged cells as their top-left value. ${sheetDescription}\n\n**公开主体 cells** — ${bodyCellDescription}` }) },
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
