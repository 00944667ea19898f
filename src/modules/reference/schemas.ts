// Request and response schemas of the reference endpoints.
import { Type, type Static } from 'typebox'
import { jsonResponse, ListOf, PaginationQuery, ref, UpdatedSinceQuery } from '../../http/schemas.js'
import type { DepartmentChange } from './department-writes.js'
import { bodyCellDescription } from './resolve.js'
import type { DepartmentNode, DepartmentRecord, DomainRecord } from './service.js'
import { departmentKinds, type DepartmentKind } from './seed-data.js'
import type { Resolution } from '../../lib/body-names.js'

const aliasesRule = 'Unique (once widths and spaces are folded) among every code, name and alias of the region (domains: of all domains); a clash is a 409 naming the holder.'
const aliasList = (description: string) => Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50, description: `${description} ${aliasesRule}` })
const Aliases = aliasList('Other names: short forms, former names, national names.')

export const DomainSchema = Type.Object(
  {
    code: Type.String({ description: 'Stable code of the domain.', examples: ['affordable_housing'] }),
    nameZh: Type.String({ examples: ['保障性住房'] }),
    nameEn: Type.String({ examples: ['Affordable housing'] }),
    description: Type.String(),
    sortOrder: Type.Integer(),
    aliases: Type.Array(Type.String(), { description: 'Other names the domain is written by (its national name: 国有土地上房屋征收与补偿 for 拆迁安置).' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Domain', description: 'An area of disclosure (公开领域).', additionalProperties: false },
)

const domainExample: Static<typeof DomainSchema> = {
  code: 'affordable_housing',
  nameZh: '保障性住房',
  nameEn: 'Affordable housing',
  description: '实物配租、住房租赁补贴',
  sortOrder: 3,
  aliases: ['住房保障'],
  updatedAt: '2026-11-01T00:00:00.000Z',
}

export const DepartmentKindSchema = Type.Enum(departmentKinds, {
  description:
    'What kind of body this is. `government`: a people\'s government itself; `enterprise`, `organisation`: a non-government body catalogs name (a water-supply company, a tendering agent); `level`: a generic body standing for all bodies of a level (`各街道办事处`, `村（居）民委员会`).',
})

const departmentProperties = {
  code: Type.String({ description: 'Stable code, unique within the region.' }),
  regionCode: Type.String({ description: 'Administrative division code of the region (行政区划代码).' }),
  nameZh: Type.String(),
  nameEn: Type.String(),
  kind: DepartmentKindSchema,
  parentCode: Type.Union([Type.String(), Type.Null()]),
  pilot: Type.Boolean({ description: 'A pilot unit of the programme (试点单位).' }),
  aliases: Type.Array(Type.String(), { description: 'Other names it is written by: short forms (区住建局), former names (区国土局), the plan\'s abbreviations.' }),
  retiredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When it was retired (dissolved or merged); its items and notices stay readable. Null while current.' }),
  mergedInto: Type.Union([Type.String(), Type.Null()], { description: 'The department it was merged into, whose aliases now include its names.' }),
  updatedAt: Type.String({ format: 'date-time' }),
}

export const DepartmentSchema = Type.Object(departmentProperties, {
  $id: 'Department',
  description: 'A responsible unit (责任单位 / 公开主体): bureau, office, subdistrict, community, village, school, the district government, a non-government body, or a generic body of a level. Its `code` never changes; names and aliases may.',
  additionalProperties: false,
})

export const DepartmentNodeSchema = Type.Object(
  { ...departmentProperties, children: Type.Array(Type.Ref('DepartmentNode')) },
  { $id: 'DepartmentNode', description: 'A department with its sub-units.', additionalProperties: false },
)

const departmentExample: Static<typeof DepartmentSchema> = {
  code: 'civil_affairs',
  regionCode: '230202',
  nameZh: '龙沙区民政局',
  nameEn: 'Civil Affairs Bureau',
  kind: 'bureau',
  parentCode: null,
  pilot: false,
  aliases: ['区民政局'],
  retiredAt: null,
  mergedInto: null,
  updatedAt: '2026-11-01T00:00:00.000Z',
}

export const DomainListResponse = jsonResponse(ListOf(ref(DomainSchema)), { items: [domainExample], nextCursor: null }, 'The domains, in display order.')
export const DomainParams = Type.Object({ code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,63}$' }) }, { additionalProperties: false })
export const DomainResponse = jsonResponse(ref(DomainSchema), domainExample, 'The domain.')

const RegionQuery = {
  region: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'Region code; the deployment default when omitted.' })),
}

export const DepartmentListQuery = Type.Object(
  {
    ...RegionQuery,
    kind: Type.Optional(DepartmentKindSchema),
    name: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Any text naming a department, resolved as a 公开主体 cell is (see the operation): the department it names, or the candidates when it is ambiguous. Other filters and paging do not apply with it.',
        examples: ['区住建局'],
      }),
    ),
    status: Type.Optional(Type.Enum(['active', 'retired', 'all'], { default: 'active', description: 'Current departments (default), retired ones, or all. Incremental sync should ask for `all` to see retirements.' })),
    parent: Type.Optional(Type.String({ maxLength: 64, description: 'Only the direct sub-units (flat) or the subtree (tree) of this department.' })),
    view: Type.Optional(Type.Enum(['flat', 'tree'], { default: 'flat', description: '`flat` pages through departments by code; `tree` returns the hierarchy in one page.' })),
    ...PaginationQuery,
    ...UpdatedSinceQuery,
  },
  { additionalProperties: false },
)

export const NameResolutionSchema = Type.Object(
  {
    status: Type.Enum(['resolved', 'ambiguous', 'unknown']),
    via: Type.Optional(Type.Enum(['code', 'name', 'alias', 'prefix', 'normalised'], { description: 'The step that resolved it.' })),
    matched: Type.Optional(Type.String({ description: 'The text as matched (trimmed).' })),
    code: Type.Optional(Type.String({ description: 'The department it names.' })),
    candidates: Type.Optional(Type.Array(Type.String(), { description: 'When ambiguous: the codes of every department it fits.' })),
    retired: Type.Optional(Type.Boolean({ description: 'It resolved to a retired department (no current one fits).' })),
  },
  { $id: 'NameResolution', description: 'How a name was read by the resolver.', additionalProperties: false },
)

const DepartmentList = Type.Object(
  {
    items: Type.Array(Type.Union([ref(DepartmentSchema), ref(DepartmentNodeSchema)])),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last page.' }),
    resolution: Type.Optional(ref(NameResolutionSchema)),
  },
  { additionalProperties: false },
)

export const DepartmentListResponse = jsonResponse(
  DepartmentList,
  { items: [departmentExample], nextCursor: 'WyJjaXZpbF9hZmZhaXJzIl0' },
  'Departments (`Department`), or with `view=tree` the roots of the hierarchy (`DepartmentNode`); with `name`, the department it names (or the candidates) and `resolution`.',
)

export const departmentListDescription = [
  'Flat lists page by code with `limit` and `cursor`. `view=tree` returns the whole hierarchy (or the subtree under `parent`) in one page. Current departments only, unless `status` says otherwise.',
  '',
  '**`name`: how a text resolves.** With `name`, the answer is the one department the text names (with `resolution.status` `resolved` and the step in `via`), every candidate when it is ambiguous (`ambiguous`; nothing is picked), or no item (`unknown`). Bulk imports, notices and reports resolve 公开主体 text the same way:',
  '',
  bodyCellDescription,
].join('\n')

export const DepartmentParams = Type.Object({ code: Type.String({ maxLength: 64 }) }, { additionalProperties: false })
export const DepartmentDetailQuery = Type.Object(RegionQuery, { additionalProperties: false })
export const DepartmentResponse = jsonResponse(ref(DepartmentSchema), departmentExample, 'The department.')

export const CreateDepartmentRequest = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,63}$', description: 'Stable code, unique within the region; never changes.' }),
    nameZh: Type.String({ minLength: 1, maxLength: 100 }),
    nameEn: Type.String({ minLength: 1, maxLength: 200 }),
    kind: DepartmentKindSchema,
    parentCode: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    pilot: Type.Optional(Type.Boolean({ default: false })),
    aliases: Type.Optional(Aliases),
  },
  { additionalProperties: false, examples: [{ code: 'water_supply', nameZh: '龙沙区供水有限公司', nameEn: 'Longsha Water Supply Co.', kind: 'enterprise', aliases: ['供水公司'] }] },
)

export const UpdateDepartmentRequest = Type.Object(
  {
    nameZh: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'A rename keeps the former name as an alias unless `aliases` is sent too.' })),
    nameEn: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    kind: Type.Optional(DepartmentKindSchema),
    parentCode: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()], { description: 'The new parent; null makes it a top-level department.' })),
    pilot: Type.Optional(Type.Boolean()),
    aliases: Type.Optional(aliasList('The complete list of aliases (replaces the current one).')),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ nameZh: '齐齐哈尔市自然资源局龙沙分局', nameEn: 'Natural Resources Branch Bureau' }] },
)

export const RetireDepartmentRequest = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 500, description: 'Why (an institutional reform, a dissolution); kept in the audit log.' })) },
  { additionalProperties: false, examples: [{ reason: '机构改革撤销' }] },
)

export const MergeDepartmentRequest = Type.Object(
  { into: Type.String({ maxLength: 64, description: 'Code of the current department that takes over.' }) },
  { additionalProperties: false, examples: [{ into: 'housing' }] },
)

export const MergeDepartmentResponse = jsonResponse(
  Type.Object({ source: ref(DepartmentSchema), target: ref(DepartmentSchema) }, { additionalProperties: false }),
  {
    source: { ...departmentExample, code: 'expropriation_office', nameZh: '龙沙区房屋征收办公室', nameEn: 'Housing Expropriation Office', kind: 'office', aliases: [], retiredAt: '2026-11-02T00:00:00.000Z', mergedInto: 'housing' },
    target: { ...departmentExample, code: 'housing', nameZh: '龙沙区住房和城乡建设局', nameEn: 'Housing and Construction Bureau', aliases: ['区住建局', '区征收办', '龙沙区房屋征收办公室'] },
  },
  'The merged department (retired, `mergedInto` set) and the department that took it over (with the new aliases). Send the target\'s ETag for its next change: it is in neither response header.',
)

export const DepartmentChangeSchema = Type.Object(
  {
    version: Type.Integer({ description: 'The department\'s version after this change.' }),
    action: Type.Enum(['create', 'update', 'retire', 'merge', 'merged_into'], { description: '`merge`: another department was merged into this one; `merged_into`: this one was merged into another.' }),
    at: Type.String({ format: 'date-time' }),
    actor: Type.Object({ id: Type.Union([Type.String(), Type.Null()]), name: Type.String() }, { additionalProperties: false }),
    state: Type.Record(Type.String(), Type.Unknown(), { description: 'The department after the change: code, names, kind, parent, pilot, aliases, retirement.' }),
  },
  { $id: 'DepartmentChange', description: 'One recorded change of a department.', additionalProperties: false },
)

export const DepartmentHistoryResponse = jsonResponse(
  ListOf(ref(DepartmentChangeSchema)),
  {
    items: [
      {
        version: 2,
        action: 'update',
        at: '2026-11-02T08:00:00.000Z',
        actor: { id: '0b5c7d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e', name: '区政府办 管理员' },
        state: { code: 'land_branch', nameZh: '齐齐哈尔市自然资源局龙沙分局', aliases: ['区国土局', '齐齐哈尔市国土资源局龙沙分局'], retiredAt: null },
      },
    ],
    nextCursor: null,
  },
  'Every recorded change, newest first (changes since the department was first managed through the API; seeded departments start with their first change).',
)

export const CreateDomainRequest = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,63}$' }),
    nameZh: Type.String({ minLength: 1, maxLength: 100 }),
    nameEn: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, description: 'Display order; after the last domain when omitted.' })),
    aliases: Type.Optional(Aliases),
  },
  { additionalProperties: false, examples: [{ code: 'social_assistance', nameZh: '社会救助', nameEn: 'Social assistance', description: '最低生活保障、特困人员救助供养、临时救助', aliases: ['社会救助领域'] }] },
)

export const UpdateDomainRequest = Type.Object(
  {
    nameZh: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'A rename keeps the former name as an alias unless `aliases` is sent too.' })),
    nameEn: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
    aliases: Type.Optional(aliasList('The complete list of aliases (replaces the current one).')),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ aliases: ['国有土地上房屋征收与补偿', '房屋征收与补偿'] }] },
)

export const referenceSchemas = [DomainSchema, DepartmentSchema, DepartmentNodeSchema, NameResolutionSchema, DepartmentChangeSchema]

export type Domain = Static<typeof DomainSchema>
export type Department = Static<typeof DepartmentSchema>
export interface DepartmentTree extends Department {
  children: DepartmentTree[]
}

export function toDomain(row: DomainRecord): Domain {
  return { code: row.code, nameZh: row.nameZh, nameEn: row.nameEn, description: row.description, sortOrder: row.sortOrder, aliases: row.aliases, updatedAt: row.updatedAt.toISOString() }
}

export function toResolution(r: Resolution): Static<typeof NameResolutionSchema> {
  return { ...r }
}

export function toDepartmentChange(c: DepartmentChange): Static<typeof DepartmentChangeSchema> {
  return { version: c.version, action: c.action as Static<typeof DepartmentChangeSchema>['action'], at: c.at.toISOString(), actor: { id: c.actorId, name: c.actorName }, state: c.state }
}

export function toDepartment(r: DepartmentRecord): Department {
  return {
    code: r.code,
    regionCode: r.regionCode,
    nameZh: r.nameZh,
    nameEn: r.nameEn,
    kind: r.kind as DepartmentKind,
    parentCode: r.parentCode,
    pilot: r.pilot,
    aliases: r.aliases,
    retiredAt: r.retiredAt?.toISOString() ?? null,
    mergedInto: r.mergedIntoCode,
    updatedAt: r.updatedAt.toISOString(),
  }
}

export function toDepartmentTree(n: DepartmentNode): DepartmentTree {
  return { ...toDepartment(n), children: n.children.map(toDepartmentTree) }
}
