// The columns of a catalog sheet and the header labels that name them: the English field names of the
// flat layout, the Chinese headers of published catalogs (with the variants districts use), the group
// labels of the two-row header, and level columns (县级, 乡级, 镇街、村级 …). Header cells are compared
// without spaces, line breaks and legends (公开渠道和载体（"■"表示必选项，"□"表示可选项）).
import { LONGEST_LABEL, normalizeLabel } from '../../lib/spreadsheet/grid.js'
import type { Level } from './elements.js'
import { levelNamed } from './layout.js'

/** What a column holds. `levelTick` is a √ column of one or more levels (区级, 镇街、村级). */
export type ColumnField =
  | 'key'
  | 'domain'
  | 'firstLevel'
  | 'secondLevel'
  | 'thirdLevel'
  | 'content'
  | 'basis'
  | 'timeLimit'
  | 'timeRule'
  | 'department'
  | 'channels'
  | 'channelsOther'
  | 'public'
  | 'specificGroups'
  | 'groupDescription'
  | 'audience'
  | 'proactive'
  | 'onRequest'
  | 'mode'
  | 'levels'
  | 'levelTick'
  | 'ignore'

export type PlainField = Exclude<ColumnField, 'levelTick' | 'ignore'>

/** The English name (flat layout) and the Chinese header (published layout) of each column. */
export const columnNames: Record<PlainField, { en: string; zh: string; aliases?: string[] }> = {
  key: { en: 'key', zh: '事项编码', aliases: ['事项代码', '编码'] },
  domain: { en: 'domain', zh: '公开领域', aliases: ['领域', '类别', '事项类别', '所属领域'] },
  firstLevel: { en: 'firstLevel', zh: '一级事项', aliases: ['一级事项名称'] },
  secondLevel: { en: 'secondLevel', zh: '二级事项', aliases: ['二级事项名称'] },
  thirdLevel: { en: 'thirdLevel', zh: '三级事项', aliases: ['三级事项名称'] },
  content: { en: 'content', zh: '公开内容（要素）', aliases: ['公开内容', '公开内容要素', '公开要素'] },
  basis: { en: 'basis', zh: '公开依据' },
  timeLimit: { en: 'timeLimit', zh: '公开时限', aliases: ['时限'] },
  timeRule: { en: 'timeRule', zh: '时限规则' },
  department: { en: 'department', zh: '公开主体', aliases: ['责任单位', '责任主体', '责任部门', '公开主体（责任单位）', '公开责任主体', '责任主体单位'] },
  channels: { en: 'channels', zh: '公开渠道和载体', aliases: ['公开渠道', '公开载体', '公开渠道及载体', '公开渠道与载体', '公开渠道和方式'] },
  channelsOther: { en: 'channelsOther', zh: '其他渠道' },
  public: { en: 'public', zh: '全社会', aliases: ['全社会公开'] },
  specificGroups: { en: 'specificGroups', zh: '特定群体', aliases: ['特定群体公开', '特定群众', '特定对象'] },
  groupDescription: { en: 'groupDescription', zh: '特定群体说明' },
  audience: { en: 'audience', zh: '公开对象' },
  proactive: { en: 'proactive', zh: '主动', aliases: ['主动公开'] },
  onRequest: { en: 'onRequest', zh: '依申请', aliases: ['依申请公开'] },
  mode: { en: 'mode', zh: '公开方式' },
  levels: { en: 'levels', zh: '公开层级' },
}

/** Upper labels of the published two-row header. */
export const groupNames = { matter: '公开事项', audience: '公开对象', mode: '公开方式', level: '公开层级' } as const

const ignored = ['序号', '编号', '备注', '说明', 'no', 'no.', '#', 'notes', 'remarks']

const byLabel = new Map<string, ColumnField>()
const english = new Set<string>()
for (const [field, names] of Object.entries(columnNames) as [PlainField, (typeof columnNames)[PlainField]][]) {
  byLabel.set(normalizeLabel(names.en), field)
  english.add(normalizeLabel(names.en))
  for (const zh of [names.zh, ...(names.aliases ?? [])]) byLabel.set(normalizeLabel(zh), field)
}
for (const label of ignored) byLabel.set(normalizeLabel(label), 'ignore')
const groups = new Set(Object.values(groupNames).map(normalizeLabel))

// A legend or remark in brackets inside a header cell: （“■”表示必选项，“□”表示可选项）, (单位).
const BRACKETED = /[（(][^（）()]*[）)]/g

/** The levels a level column's label names: 县级; 区级; 镇街、村级; 乡、村级 (each part a level). */
export function levelsOfLabel(label: string): Level[] | undefined {
  const parts = label.normalize('NFKC').replace(/\s+/g, '').split(/[、,，/]/).filter(Boolean)
  const found = parts.map((p) => levelNamed(p))
  if (!found.length || found.some((l) => !l)) return undefined
  return [...new Set(found as Level[])]
}

// Finding headers asks about every cell of every row: each text is looked up once (bounded), and long
// texts (content, basis) are never labels.
const labelCache = new Map<string, { field: ColumnField; levels?: Level[] } | undefined>()

/** The column a header label names (with its levels for a level column), if any. */
export function columnOfLabel(label: string): { field: ColumnField; levels?: Level[] } | undefined {
  if (label.length > LONGEST_LABEL) return undefined
  if (labelCache.has(label)) return labelCache.get(label)
  const column = lookUpLabel(label)
  if (labelCache.size < 10_000) labelCache.set(label, column)
  return column
}

function lookUpLabel(label: string): { field: ColumnField; levels?: Level[] } | undefined {
  for (const text of [label, label.replace(BRACKETED, '')]) {
    const normalized = normalizeLabel(text)
    if (normalized === '') continue
    const field = byLabel.get(normalized)
    if (field) return { field }
    if (english.has(normalized)) continue
    const levels = levelsOfLabel(text)
    if (levels) return { field: 'levelTick', levels }
  }
  return undefined
}

export const isEnglishLabel = (label: string) => english.has(normalizeLabel(label))
export const isGroupLabel = (normalized: string) => groups.has(normalized) || groups.has(normalized.replace(BRACKETED, ''))
export const isColumnLabel = (normalized: string) => {
  const column = columnOfLabel(normalized)
  return column !== undefined && column.field !== 'ignore'
}
