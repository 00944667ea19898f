// Request and response schemas of the reference endpoints.
import { Type, type Static } from 'typebox'
import { jsonResponse, ListOf, PaginationQuery, ref, UpdatedSinceQuery } from '../../http/schemas.js'
import type { DomainRow } from './tables.js'
import type { DepartmentNode, DepartmentRecord } from './service.js'
import { departmentKinds, type DepartmentKind } from './seed-data.js'

export const DomainSchema = Type.Object(
  {
    code: Type.String({ description: 'Stable code of the domain.', examples: ['affordable_housing'] }),
    nameZh: Type.String({ examples: ['保障性住房'] }),
    nameEn: Type.String({ examples: ['Affordable housing'] }),
    description: Type.String(),
    sortOrder: Type.Integer(),
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
  updatedAt: '2026-11-01T00:00:00.000Z',
}

export const DepartmentKindSchema = Type.Enum(departmentKinds, { description: 'What kind of unit this is.' })

const departmentProperties = {
  code: Type.String({ description: 'Stable code, unique within the region.' }),
  regionCode: Type.String({ description: 'Administrative division code of the region (行政区划代码).' }),
  nameZh: Type.String(),
  nameEn: Type.String(),
  kind: DepartmentKindSchema,
  parentCode: Type.Union([Type.String(), Type.Null()]),
  pilot: Type.Boolean({ description: 'A pilot unit of the programme (试点单位).' }),
  updatedAt: Type.String({ format: 'date-time' }),
}

export const DepartmentSchema = Type.Object(departmentProperties, {
  $id: 'Department',
  description: 'A responsible unit (责任单位): bureau, office, subdistrict, community, village or school.',
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
    parent: Type.Optional(Type.String({ maxLength: 64, description: 'Only the direct sub-units (flat) or the subtree (tree) of this department.' })),
    view: Type.Optional(Type.Enum(['flat', 'tree'], { default: 'flat', description: '`flat` pages through departments by code; `tree` returns the hierarchy in one page.' })),
    ...PaginationQuery,
    ...UpdatedSinceQuery,
  },
  { additionalProperties: false },
)

export const DepartmentListResponse = jsonResponse(
  ListOf(Type.Union([ref(DepartmentSchema), ref(DepartmentNodeSchema)])),
  { items: [departmentExample], nextCursor: 'WyJjaXZpbF9hZmZhaXJzIl0' },
  'Departments (`Department`), or with `view=tree` the roots of the hierarchy (`DepartmentNode`).',
)

export const DepartmentParams = Type.Object({ code: Type.String({ maxLength: 64 }) }, { additionalProperties: false })
export const DepartmentDetailQuery = Type.Object(RegionQuery, { additionalProperties: false })
export const DepartmentResponse = jsonResponse(ref(DepartmentSchema), departmentExample, 'The department.')

export const referenceSchemas = [DomainSchema, DepartmentSchema, DepartmentNodeSchema]

export type Domain = Static<typeof DomainSchema>
export type Department = Static<typeof DepartmentSchema>
export interface DepartmentTree extends Department {
  children: DepartmentTree[]
}

export function toDomain(row: DomainRow): Domain {
  return { code: row.code, nameZh: row.nameZh, nameEn: row.nameEn, description: row.description, sortOrder: row.sortOrder, updatedAt: row.updatedAt.toISOString() }
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
    updatedAt: r.updatedAt.toISOString(),
  }
}

export function toDepartmentTree(n: DepartmentNode): DepartmentTree {
  return { ...toDepartment(n), children: n.children.map(toDepartmentTree) }
}
