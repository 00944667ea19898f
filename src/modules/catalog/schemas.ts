// Request and response schemas of the working set (/v1/items): the elements of a disclosure item as
// named components, the item, its history, and the list filters shared with catalog versions.
import { Type, type Static } from 'typebox'
import { jsonResponse, ListOf, PaginationQuery, ref, UpdatedSinceQuery } from '../../http/schemas.js'
import { basisKinds, channels, itemStatuses, levels, periodUnits } from './elements.js'
import { elementsOf, itemEtag, type ItemReadRow } from './items.js'
import type { CatalogItemChangeRow } from './tables.js'

const Text = (maxLength: number, options: { description?: string; examples?: string[] } = {}) => Type.String({ minLength: 1, maxLength, pattern: '\\S', ...options })
export const ItemKey = Type.String({
  pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$',
  maxLength: 128,
  description: 'Stable identifier across versions: lower-case, dotted, usually the domain first.',
  examples: ['affordable_housing.in_kind_rental.lottery_result'],
})
const Code = (description: string) => Type.String({ pattern: '^[a-z][a-z0-9_]{1,63}$', description })
const Unit = Type.Enum(periodUnits, { description: '`working_day` (工作日) or `calendar_day` (日/天).' })
export const ChannelSchema = Type.Enum(channels, {
  description:
    'The checklist of the standard (公开渠道和载体): 政府网站, 政府公报, 两微一端 (WeChat, Weibo, the E网通 app), 发布会/听证会, 广播电视, 纸质媒体, 公开查阅点, 政务服务中心, 便民服务站, 入户/现场, 公示栏(电子屏), 精准推送, 12345热线, 其他 (name it in `channelsOther`).',
})
export const LevelSchema = Type.Enum(levels, { description: 'A disclosure level (公开层级); each region allows its own set (GET /v1/catalog/settings), by default county and township (县级/乡级).' })

export const ContentElementSchema = Type.Object(
  {
    name: Text(200, { examples: ['抽签结果'] }),
    required: Type.Boolean({ description: 'Mandatory (●) or optional (〇) where the guide says so.' }),
  },
  { $id: 'ContentElement', description: 'One element of what is disclosed (公开内容要素).', additionalProperties: false },
)

export const LegalBasisSchema = Type.Object(
  {
    kind: Type.Enum(basisKinds, { description: '法律, 行政法规, 部门规章, 规范性文件, 地方性法规, or other.' }),
    title: Text(300, { examples: ['中华人民共和国政府信息公开条例'] }),
    documentNumber: Type.Optional(Text(100, { description: '文号', examples: ['国务院令第711号'] })),
    articles: Type.Optional(Text(300, { examples: ['第二十条、第二十六条'] })),
  },
  { $id: 'LegalBasis', description: 'A legal reference (公开依据).', additionalProperties: false },
)

const Publicity = Type.Object(
  { unit: Unit, length: Type.Integer({ minimum: 1, maximum: 365 }) },
  { additionalProperties: false, description: 'A publicity period that follows (…公示7个工作日).' },
)
const counted = (type: 'within' | 'before', description: string) =>
  Type.Object(
    {
      type: Type.Literal(type),
      unit: Unit,
      length: Type.Integer({ minimum: 1, maximum: 3650 }),
      event: Text(200, { description: 'The triggering event, as worded (信息形成或者变更之日).' }),
      publicity: Type.Optional(Publicity),
    },
    { additionalProperties: false, description },
  )
export const TimeRuleSchema = Type.Union(
  [
    counted('within', 'Within `length` units after `event` (…之日起20个工作日内).'),
    counted('before', 'At least `length` units before `event` (在组织听证7个工作日前).'),
    Type.Object({ type: Type.Literal('realtime') }, { additionalProperties: false, description: '实时公开' }),
    Type.Object({ type: Type.Literal('promptly'), publicity: Type.Optional(Publicity) }, { additionalProperties: false, description: '及时公开, optionally followed by a publicity period (公示期不少于7天).' }),
    Type.Object({ type: Type.Literal('permanent') }, { additionalProperties: false, description: '长期/永久公开' }),
    Type.Object(
      { type: Type.Literal('fixed_date'), monthDay: Type.String({ pattern: '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$', description: 'MM-DD, each year (每年4月1日之前: 04-01).' }) },
      { additionalProperties: false, description: 'By a day of each year.' },
    ),
    Type.Object({ type: Type.Literal('other') }, { additionalProperties: false, description: 'Only the wording says it.' }),
  ],
  { $id: 'TimeRule', description: 'The structured form of a time limit, from which due dates are computed.' },
)

export const TimeLimitSchema = Type.Object(
  {
    text: Text(500, { description: 'The wording as published.', examples: ['信息形成或者变更之日起20个工作日内'] }),
    rule: ref(TimeRuleSchema),
  },
  { $id: 'TimeLimit', description: 'The time limit (公开时限): wording and structured rule.', additionalProperties: false },
)

export const AudienceSchema = Type.Object(
  {
    public: Type.Boolean({ description: '全社会' }),
    specificGroups: Type.Boolean({ description: '特定群体' }),
    groupDescription: Type.Optional(Text(300, { description: 'The group, when `specificGroups` (面向拟征收土地所在地的村集体成员).' })),
  },
  { $id: 'Audience', description: 'Who the item is disclosed to (公开对象).', additionalProperties: false },
)

export const DisclosureModeSchema = Type.Object(
  { proactive: Type.Boolean({ description: '主动公开' }), onRequest: Type.Boolean({ description: '依申请公开' }) },
  { $id: 'DisclosureMode', description: 'How the item is disclosed (公开方式).', additionalProperties: false },
)

const thirdLevel = Type.Union([Text(200), Type.Null()], { description: '三级事项, where the catalog has one.' })
const channelsOther = Type.Union([Text(500), Type.Null()], { description: 'The other channels, when `channels` includes `other`.' })
// In the order of elements.ts's canonical form, so cached and freshly serialized bodies read alike.
const elementProperties = {
  domain: Code('The domain code (公开领域).'),
  firstLevel: Text(200, { description: '一级事项' }),
  secondLevel: Text(200, { description: '二级事项' }),
  thirdLevel,
  content: Type.Array(ref(ContentElementSchema), { minItems: 1, maxItems: 100 }),
  basis: Type.Array(ref(LegalBasisSchema), { minItems: 1, maxItems: 50 }),
  timeLimit: ref(TimeLimitSchema),
  department: Type.String({ maxLength: 64, description: 'Code of the lead responsible department (公开主体); the first of `departments`.' }),
  departments: Type.Array(Type.String({ maxLength: 64 }), {
    minItems: 1,
    maxItems: 50,
    uniqueItems: true,
    description: 'Codes of every responsible department, the lead (`department`) first, then the co-responsible ones. An editor of any of them may edit the item.',
    examples: [['civil_affairs', 'wulong_subdistrict']],
  }),
  channels: Type.Array(ChannelSchema, { minItems: 1, uniqueItems: true }),
  channelsOther,
  audience: ref(AudienceSchema),
  mode: ref(DisclosureModeSchema),
  levels: Type.Array(LevelSchema, { minItems: 1, uniqueItems: true }),
}

export const CatalogEntrySchema = Type.Object(
  { key: ItemKey, ...elementProperties },
  { $id: 'CatalogEntry', description: 'A disclosure item as a catalog version froze it.', additionalProperties: false },
)

export const ItemSchema = Type.Object(
  {
    key: ItemKey,
    ...elementProperties,
    status: Type.Enum(itemStatuses, { description: '`retired` items stay readable but leave the next version.' }),
    updatedAt: Type.String({ format: 'date-time' }),
    etag: Type.String({ description: 'The ETag of this state; send it as If-Match to change the item.' }),
  },
  { $id: 'Item', description: 'A disclosure item (公开事项) of the working set.', additionalProperties: false },
)

export const FieldChangeSchema = Type.Object(
  {
    field: Type.String({ description: 'The element that changed (lists and objects are given whole).', examples: ['channels'] }),
    old: Type.Unknown({ description: 'null when the item was created.' }),
    new: Type.Unknown(),
  },
  { $id: 'FieldChange', additionalProperties: false },
)

export const ItemChangeSchema = Type.Object(
  {
    version: Type.Integer({ description: "The item's version after the change." }),
    action: Type.Enum(['create', 'update', 'retire', 'reinstate']),
    at: Type.String({ format: 'date-time' }),
    actor: Type.Object({ type: Type.Enum(['user', 'client', 'system', 'public']), name: Type.String() }, { additionalProperties: false }),
    changes: Type.Array(ref(FieldChangeSchema)),
  },
  { $id: 'ItemChange', description: 'One change of an item: who, when, and each field before and after.', additionalProperties: false },
)

export type ItemDto = Static<typeof ItemSchema>
export type CatalogEntryDto = Static<typeof CatalogEntrySchema>
export type ItemChangeDto = Static<typeof ItemChangeSchema>

export const itemSchemas = [
  ContentElementSchema,
  LegalBasisSchema,
  TimeRuleSchema,
  TimeLimitSchema,
  AudienceSchema,
  DisclosureModeSchema,
  CatalogEntrySchema,
  ItemSchema,
  FieldChangeSchema,
  ItemChangeSchema,
]

// ---- requests

export const CreateItemRequest = Type.Object(
  {
    key: ItemKey,
    ...elementProperties,
    thirdLevel: Type.Optional(thirdLevel),
    departments: Type.Optional({ ...elementProperties.departments, description: 'Co-responsible departments too (codes); `department` leads and is put first. Without it, `department` alone.' }),
    channelsOther: Type.Optional(channelsOther),
  },
  { additionalProperties: false },
)
const e = elementProperties
export const UpdateItemRequest = Type.Object(
  {
    domain: Type.Optional(e.domain),
    firstLevel: Type.Optional(e.firstLevel),
    secondLevel: Type.Optional(e.secondLevel),
    thirdLevel: Type.Optional(e.thirdLevel),
    content: Type.Optional(e.content),
    basis: Type.Optional(e.basis),
    timeLimit: Type.Optional(e.timeLimit),
    department: Type.Optional(e.department),
    departments: Type.Optional({ ...e.departments, description: 'Every responsible department; `department` (the one sent, else the stored lead) is put first.' }),
    channels: Type.Optional(e.channels),
    channelsOther: Type.Optional(e.channelsOther),
    audience: Type.Optional(e.audience),
    mode: Type.Optional(e.mode),
    levels: Type.Optional(e.levels),
  },
  { additionalProperties: false, minProperties: 1, description: 'The elements to change; the others keep their values (null clears an optional one).' },
)

export const RegionQuery = {
  region: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'Region code; the deployment default when omitted.' })),
}
export const EntryFilterQuery = {
  ...RegionQuery,
  domain: Type.Optional(Code('Only this domain.')),
  department: Type.Optional(Type.String({ maxLength: 64, description: 'Only items this department (code) is responsible for: as lead or as one of `departments`.' })),
  level: Type.Optional(LevelSchema),
  mode: Type.Optional(Type.Enum(['proactive', 'on_request'], { description: 'Only items disclosed proactively (主动) or on request (依申请).' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Text search: a substring of the names, content, basis, time limit or department (Chinese matches inside words: 抽签 finds 实物配租抽签结果).' })),
  ...PaginationQuery,
}
export const ItemListQuery = Type.Object(
  { ...EntryFilterQuery, status: Type.Optional(Type.Enum(itemStatuses, { description: 'Only active or only retired items (default: both, so that a sync sees retirements).' })), ...UpdatedSinceQuery },
  { additionalProperties: false },
)
export const ItemParams = Type.Object({ key: ItemKey }, { additionalProperties: false })
export const ItemReadQuery = Type.Object(RegionQuery, { additionalProperties: false })
export const HistoryQuery = Type.Object({ ...RegionQuery, ...PaginationQuery }, { additionalProperties: false })

// ---- mappers and examples

export function toItem(row: ItemReadRow): ItemDto {
  return { key: row.key, ...(elementsOf(row) as Omit<CatalogEntryDto, 'key'>), status: row.status as ItemDto['status'], updatedAt: row.updatedAt.toISOString(), etag: itemEtag(row) }
}

export function toItemChange(row: CatalogItemChangeRow): ItemChangeDto {
  return { version: row.version, action: row.action as ItemChangeDto['action'], at: row.at.toISOString(), actor: { type: row.actorType as ItemChangeDto['actor']['type'], name: row.actorName }, changes: row.changes }
}

export const entryExample: CatalogEntryDto = {
  key: 'affordable_housing.in_kind_rental.lottery_result',
  domain: 'affordable_housing',
  firstLevel: '实物配租',
  secondLevel: '实物配租抽签结果',
  thirdLevel: null,
  content: [
    { name: '抽签家庭', required: true },
    { name: '所配房源', required: true },
    { name: '公证书编号', required: false },
  ],
  basis: [
    { kind: 'departmental_rule', title: '公共租赁住房管理办法', documentNumber: '住房和城乡建设部令第11号' },
    { kind: 'normative_document', title: '龙沙区开展基层政务公开标准化规范化试点实施方案' },
  ],
  timeLimit: {
    text: '抽签结果经公证处当场公证后公示，公示期不少于7天',
    rule: { type: 'within', unit: 'working_day', length: 1, event: '抽签结果公证之日', publicity: { unit: 'calendar_day', length: 7 } },
  },
  department: 'housing',
  departments: ['housing'],
  channels: ['government_website', 'door_to_door_or_on_site', 'bulletin_board'],
  channelsOther: null,
  audience: { public: true, specificGroups: false },
  mode: { proactive: true, onRequest: false },
  levels: ['county', 'township'],
}
const itemExample: ItemDto = { ...entryExample, status: 'active', updatedAt: '2026-03-02T02:00:00.000Z', etag: '"item-affordable_housing.in_kind_rental.lottery_result-v3"' }

export const ItemResponse = jsonResponse(ref(ItemSchema), itemExample, 'The item; its ETag is in the ETag header and the `etag` field.')
export const ItemListResponse = jsonResponse(ListOf(ref(ItemSchema)), { items: [itemExample], nextCursor: 'WyJhZmZvcmRhYmxlX2hvdXNpbmcuaW5fa2luZF9yZW50YWwubG90dGVyeV9yZXN1bHQiXQ' }, 'A page of the working set, by key.')
export const ItemHistoryResponse = jsonResponse(
  ListOf(ref(ItemChangeSchema)),
  {
    items: [
      {
        version: 2,
        action: 'update',
        at: '2026-03-03T01:30:00.000Z',
        actor: { type: 'user', name: 'wang.fang' },
        changes: [{ field: 'channels', old: ['government_website'], new: ['government_website', 'bulletin_board'] }],
      },
    ],
    nextCursor: null,
  },
  'The changes of the item, oldest first.',
)
