// The elements of a disclosure item (DESIGN.md, "The standard catalog") as plain values: their
// vocabularies, one canonical form (so that stored jsonb, snapshots and requests compare equal), the
// field-by-field diff that history, version diffs and bulk dry runs share, and the cross-field rules
// a schema cannot say. Pure code: no database, no Fastify.
import { canonicalJson } from '../../lib/hashing.js'
import type { FieldError } from '../../lib/problems.js'

export const basisKinds = ['law', 'administrative_regulation', 'departmental_rule', 'normative_document', 'local_regulation', 'other'] as const
export const periodUnits = ['working_day', 'calendar_day'] as const
/** The checklist of the standard (公开渠道和载体), in the order published catalogs print it. */
export const channels = [
  'government_website', // 政府网站
  'government_gazette', // 政府公报
  'social_media_and_app', // 两微一端 (WeChat, Weibo, the E网通 app)
  'press_conference_or_hearing', // 发布会/听证会
  'radio_tv', // 广播电视
  'print_media', // 纸质媒体
  'public_reading_point', // 公开查阅点
  'service_centre', // 政务服务中心
  'convenience_station', // 便民服务站
  'door_to_door_or_on_site', // 入户/现场
  'bulletin_board', // 社区/企事业单位/村公示栏(电子屏)
  'targeted_push', // 精准推送
  'hotline_12345', // 12345政务服务热线
  'other', // 其他 (with channelsOther)
] as const
/** Every level a region may use (公开层级); each region picks its set (default county and township). */
export const levels = ['city', 'district', 'county', 'town_subdistrict', 'township', 'village'] as const
export const defaultLevels: Level[] = ['county', 'township']
export const itemStatuses = ['active', 'retired'] as const

export type BasisKind = (typeof basisKinds)[number]
export type PeriodUnit = (typeof periodUnits)[number]
export type Channel = (typeof channels)[number]
export type Level = (typeof levels)[number]
export type ItemStatus = (typeof itemStatuses)[number]

export interface ContentElement {
  name: string
  required: boolean
}
export interface LegalBasis {
  kind: BasisKind
  title: string
  documentNumber?: string
  articles?: string
}
export interface Publicity {
  unit: PeriodUnit
  length: number
}
export type TimeRule =
  | { type: 'within'; unit: PeriodUnit; length: number; event: string; publicity?: Publicity }
  | { type: 'before'; unit: PeriodUnit; length: number; event: string; publicity?: Publicity }
  | { type: 'realtime' }
  | { type: 'promptly'; publicity?: Publicity }
  | { type: 'permanent' }
  | { type: 'fixed_date'; monthDay: string }
  | { type: 'other' }
export interface TimeLimit {
  text: string
  rule: TimeRule
}
export interface Audience {
  public: boolean
  specificGroups: boolean
  groupDescription?: string
}
export interface Mode {
  proactive: boolean
  onRequest: boolean
}

/** Everything an item says, apart from its key: what a version freezes and a diff compares. */
export interface CatalogElements {
  domain: string
  firstLevel: string
  secondLevel: string
  thirdLevel: string | null
  content: ContentElement[]
  basis: LegalBasis[]
  timeLimit: TimeLimit
  /** The lead department (公开主体); the first of `departments`. */
  department: string
  /** Every responsible department, the lead first, then the co-responsible ones (区民政局、各街道办事处). */
  departments: string[]
  channels: Channel[]
  channelsOther: string | null
  audience: Audience
  mode: Mode
  levels: Level[]
}
export type ElementField = keyof CatalogElements
export const elementFields: readonly ElementField[] = [
  'domain',
  'firstLevel',
  'secondLevel',
  'thirdLevel',
  'content',
  'basis',
  'timeLimit',
  'department',
  'departments',
  'channels',
  'channelsOther',
  'audience',
  'mode',
  'levels',
]

/** An item as a version freezes it. */
export interface CatalogEntry extends CatalogElements {
  key: string
}

function normalizeRule(r: TimeRule): TimeRule {
  const publicity = (p: Publicity | undefined) => (p ? { publicity: { unit: p.unit, length: p.length } } : {})
  switch (r.type) {
    case 'within':
    case 'before':
      return { type: r.type, unit: r.unit, length: r.length, event: r.event.trim(), ...publicity(r.publicity) }
    case 'promptly':
      return { type: r.type, ...publicity(r.publicity) }
    case 'fixed_date':
      return { type: r.type, monthDay: r.monthDay }
    default:
      return { type: r.type }
  }
}

const trimOrNull = (s: string | null | undefined) => (s === null || s === undefined || s.trim() === '' ? null : s.trim())

/**
 * The canonical form: texts trimmed, optional fields omitted when empty, object keys in schema order,
 * channels and levels in checklist order without repeats. Stored jsonb comes back with its keys
 * reordered, so everything read is passed through here too.
 */
export function normalizeElements(e: CatalogElements): CatalogElements {
  const basis = e.basis.map((b) => {
    const documentNumber = trimOrNull(b.documentNumber)
    const articles = trimOrNull(b.articles)
    return { kind: b.kind, title: b.title.trim(), ...(documentNumber ? { documentNumber } : {}), ...(articles ? { articles } : {}) }
  })
  const groupDescription = trimOrNull(e.audience.groupDescription)
  return {
    domain: e.domain,
    firstLevel: e.firstLevel.trim(),
    secondLevel: e.secondLevel.trim(),
    thirdLevel: trimOrNull(e.thirdLevel),
    content: e.content.map((c) => ({ name: c.name.trim(), required: c.required })),
    basis,
    timeLimit: { text: e.timeLimit.text.trim(), rule: normalizeRule(e.timeLimit.rule) },
    department: e.department,
    // The lead first, whatever a request listed; snapshots made before co-responsible departments have none.
    departments: [...new Set([e.department, ...(e.departments ?? [])])],
    channels: channels.filter((c) => e.channels.includes(c)),
    channelsOther: trimOrNull(e.channelsOther),
    audience: { public: e.audience.public, specificGroups: e.audience.specificGroups, ...(groupDescription ? { groupDescription } : {}) },
    mode: { proactive: e.mode.proactive, onRequest: e.mode.onRequest },
    levels: levels.filter((l) => e.levels.includes(l)),
  }
}

export interface FieldChange {
  field: string
  old: unknown
  new: unknown
}

/** The fields whose values differ, each with its old and new value (lists and objects whole). */
export function diffElements(before: Partial<Record<string, unknown>> | null, after: Partial<Record<string, unknown>>, fields: readonly string[] = elementFields): FieldChange[] {
  const changes: FieldChange[] = []
  for (const field of fields) {
    const old = before ? (before[field] ?? null) : null
    const now = after[field] ?? null
    // Null against a value differs without writing the value out (a new item: every field of it).
    const differs = old === null || now === null ? old !== now : canonicalJson(old) !== canonicalJson(now)
    if (differs) changes.push({ field, old, new: now })
  }
  return changes
}

const daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/**
 * Rules between fields that a JSON schema cannot express. `pointer` prefixes each error
 * (`/body`, or `/body/items/12` for a row of a bulk upload).
 */
export function elementProblems(e: CatalogElements, allowedLevels: readonly Level[], pointer: string): FieldError[] {
  const errors: FieldError[] = []
  const at = (path: string, message: string) => errors.push({ pointer: `${pointer}${path}`, message })
  if (e.channels.includes('other') && !e.channelsOther) at('/channelsOther', 'is required when channels include other')
  if (!e.channels.includes('other') && e.channelsOther) at('/channelsOther', 'is only allowed when channels include other')
  if (!e.audience.public && !e.audience.specificGroups) at('/audience', 'must include the public, specific groups, or both')
  // A ticked 特定群体 without the group named is accepted: the published layout has no place for the name.
  if (!e.audience.specificGroups && e.audience.groupDescription) at('/audience/groupDescription', 'is only allowed when the item is for specific groups')
  if (!e.mode.proactive && !e.mode.onRequest) at('/mode', 'must be proactive, on request, or both')
  e.levels.forEach((l, i) => {
    if (!allowedLevels.includes(l)) at(`/levels/${i}`, `is not a level of this region (${allowedLevels.join(', ')})`)
  })
  const names = new Set<string>()
  e.content.forEach((c, i) => {
    if (names.has(c.name)) at(`/content/${i}/name`, 'is listed twice')
    names.add(c.name)
  })
  const rule = e.timeLimit.rule
  if (rule.type === 'fixed_date') {
    const [month, day] = rule.monthDay.split('-').map(Number)
    if (!month || !day || month > 12 || day > daysInMonth[month - 1]!) at('/timeLimit/rule/monthDay', 'is not a day of the year')
  }
  return errors
}

/** Lower-cased text a `q` search matches by substring (so Chinese words match inside longer names). */
export function searchTextOf(key: string, e: CatalogElements, departmentName: string): string {
  const rule = e.timeLimit.rule
  return [
    key,
    e.firstLevel,
    e.secondLevel,
    e.thirdLevel ?? '',
    ...e.content.map((c) => c.name),
    ...e.basis.flatMap((b) => [b.title, b.documentNumber ?? '', b.articles ?? '']),
    e.timeLimit.text,
    'event' in rule ? rule.event : '',
    e.audience.groupDescription ?? '',
    e.channelsOther ?? '',
    e.department,
    departmentName,
  ]
    .filter(Boolean)
    .join('\n')
    .toLowerCase()
}

/** A `q` as an ILIKE pattern: its own % and _ are literal. */
export function likePattern(q: string): string {
  return `%${q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}
