// Request and response schemas of catalog versions (/v1/catalog/versions), their diff, and the
// region's catalog settings.
import { Type, type Static } from 'typebox'
import { jsonResponse, ListOf, PaginationQuery, ref } from '../../http/schemas.js'
import { ReviewSchema, toReview } from '../review/schemas.js'
import type { CatalogDiff } from './versions.js'
import type { CatalogSettings } from './settings.js'
import type { CatalogVersionRow } from './tables.js'
import { CatalogEntrySchema, entryExample, EntryFilterQuery, FieldChangeSchema, LevelSchema, RegionQuery } from './schemas.js'

export const CatalogVersionSchema = Type.Object(
  {
    number: Type.Integer({ minimum: 1, description: 'Version number, 1, 2, … within the region.' }),
    changeNote: Type.String({ description: 'What changed and why.' }),
    itemCount: Type.Integer({ description: 'How many items the version froze.' }),
    createdAt: Type.String({ format: 'date-time' }),
    review: ref(ReviewSchema),
  },
  { $id: 'CatalogVersion', description: 'A frozen snapshot of the catalog; published versions never change.', additionalProperties: false },
)

export const CatalogDiffSchema = Type.Object(
  {
    from: Type.Integer(),
    to: Type.Integer(),
    added: Type.Array(ref(CatalogEntrySchema), { description: 'Items in `to` that `from` did not have.' }),
    retired: Type.Array(ref(CatalogEntrySchema), { description: 'Items of `from` that `to` no longer has (as they were in `from`).' }),
    changed: Type.Array(
      Type.Object({ key: Type.String(), changes: Type.Array(ref(FieldChangeSchema)) }, { additionalProperties: false }),
      { description: 'Items in both whose elements differ, field by field.' },
    ),
  },
  { $id: 'CatalogDiff', description: 'What changed from one catalog version to another, item by item and field by field.', additionalProperties: false },
)

export const CatalogSettingsSchema = Type.Object(
  {
    regionCode: Type.String(),
    levels: Type.Array(LevelSchema, { description: "The levels (公开层级) this region's items may use." }),
    updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'null while the region uses the defaults.' }),
  },
  { $id: 'CatalogSettings', description: "A region's catalog settings.", additionalProperties: false },
)

export const versionSchemas = [CatalogVersionSchema, CatalogDiffSchema, CatalogSettingsSchema]
export type CatalogVersionDto = Static<typeof CatalogVersionSchema>
export type CatalogDiffDto = Static<typeof CatalogDiffSchema>

export function toCatalogVersion(row: CatalogVersionRow): CatalogVersionDto {
  return { number: row.number, changeNote: row.changeNote, itemCount: row.itemCount, createdAt: row.createdAt.toISOString(), review: toReview(row) }
}
export const toCatalogDiff = (from: number, to: number, d: CatalogDiff): CatalogDiffDto => ({ from, to, ...d }) as CatalogDiffDto
export const toCatalogSettings = (s: CatalogSettings) => ({ regionCode: s.regionCode, levels: s.levels, updatedAt: s.updatedAt ? s.updatedAt.toISOString() : null })

// ---- requests

const versionNumber = Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'The version number.' })
/** Reads take a number or `current`. */
export const VersionRefParams = Type.Object(
  { version: Type.String({ pattern: '^(current|[1-9][0-9]{0,8})$', description: 'A version number, or `current` for the latest published version.', examples: ['current', '3'] }) },
  { additionalProperties: false },
)
export const VersionParams = Type.Object({ version: versionNumber }, { additionalProperties: false })
export const DiffParams = Type.Object(
  { version: VersionRefParams.properties.version, other: VersionRefParams.properties.version },
  { additionalProperties: false },
)
export const VersionReadQuery = Type.Object(RegionQuery, { additionalProperties: false })
export const VersionListQuery = Type.Object({ ...RegionQuery, ...PaginationQuery }, { additionalProperties: false })
export const VersionItemsQuery = Type.Object(EntryFilterQuery, { additionalProperties: false })
export const CreateVersionRequest = Type.Object({ changeNote: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S', examples: ['新增道路破道审批结果；调整实物配租抽签结果的公开渠道。'] }) }, { additionalProperties: false })
export const UpdateVersionRequest = CreateVersionRequest
export const SettingsRequest = Type.Object({ levels: Type.Array(LevelSchema, { minItems: 1, uniqueItems: true }) }, { additionalProperties: false })

// ---- responses

const reviewExample = {
  state: 'published' as const,
  author: 'li.na',
  submittedAt: '2026-03-02T02:10:00.000Z',
  reviewer: 'zhao.lei',
  reviewedAt: '2026-03-02T03:00:00.000Z',
  comment: '同意发布。',
  approvedAt: '2026-03-02T03:00:00.000Z',
  publishedAt: '2026-03-02T03:05:00.000Z',
  withdrawnAt: null,
  withdrawnReason: null,
}
const versionExample: CatalogVersionDto = { number: 2, changeNote: '新增道路破道审批结果；调整实物配租抽签结果的公开渠道。', itemCount: 46, createdAt: '2026-03-02T02:00:00.000Z', review: reviewExample }

export const VersionResponse = jsonResponse(ref(CatalogVersionSchema), versionExample, 'The version and its review record.')
export const VersionListResponse = jsonResponse(ListOf(ref(CatalogVersionSchema)), { items: [versionExample], nextCursor: null }, 'Versions, newest first.')
export const VersionItemsResponse = jsonResponse(ListOf(ref(CatalogEntrySchema)), { items: [entryExample], nextCursor: null }, "A page of the version's items, by key.")
export const DiffResponse = jsonResponse(
  ref(CatalogDiffSchema),
  {
    from: 1,
    to: 2,
    added: [],
    retired: [],
    changed: [{ key: entryExample.key, changes: [{ field: 'channels', old: ['government_website', 'bulletin_board'], new: ['government_website', 'door_to_door_or_on_site', 'bulletin_board'] }] }],
  },
  'The differences.',
)
export const SettingsResponse = jsonResponse(ref(CatalogSettingsSchema), { regionCode: '230202', levels: ['county', 'township'], updatedAt: null }, "The region's catalog settings.")
export const NotModified = { description: 'Not modified: the copy named in If-None-Match is current.', type: 'null' } as const
