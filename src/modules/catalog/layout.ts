// The cells of a published catalog (DESIGN.md, "The standard catalog"), element by element, both ways:
// content elements with ● (mandatory) and 〇 (optional), legal references several to a cell
// (《title》（document number）articles), the channel checklist (■政府网站 □政府公报 ■两微一端 …),
// √ tick columns, and the Chinese names of channels, levels and basis kinds. Pure code.
import { normalizeLabel } from '../../lib/spreadsheet/grid.js'
import { basisKinds, channels as allChannels, levels as allLevels, type BasisKind, type Channel, type ContentElement, type LegalBasis, type Level } from './elements.js'

/** The checklist labels, in the standard's order. */
export const channelLabels: Record<Channel, string> = {
  government_website: '政府网站',
  government_gazette: '政府公报',
  social_media_and_app: '两微一端',
  press_conference_or_hearing: '发布会/听证会',
  radio_tv: '广播电视',
  print_media: '纸质媒体',
  public_reading_point: '公开查阅点',
  service_centre: '政务服务中心',
  convenience_station: '便民服务站',
  door_to_door_or_on_site: '入户/现场',
  bulletin_board: '社区/企事业单位/村公示栏(电子屏)',
  targeted_push: '精准推送',
  hotline_12345: '12345政务服务热线',
  other: '其他',
}

// Other ways catalogs name the same channels.
const channelAliases: Record<string, Channel> = {
  门户网站: 'government_website',
  政府门户网站: 'government_website',
  网站: 'government_website',
  公报: 'government_gazette',
  两微一端: 'social_media_and_app',
  政务新媒体: 'social_media_and_app',
  微信: 'social_media_and_app',
  微博: 'social_media_and_app',
  e网通: 'social_media_and_app',
  新闻发布会: 'press_conference_or_hearing',
  发布会: 'press_conference_or_hearing',
  听证会: 'press_conference_or_hearing',
  广播: 'radio_tv',
  电视: 'radio_tv',
  报刊: 'print_media',
  查阅点: 'public_reading_point',
  政务服务大厅: 'service_centre',
  便民服务点: 'convenience_station',
  入户: 'door_to_door_or_on_site',
  现场: 'door_to_door_or_on_site',
  公示栏: 'bulletin_board',
  公开栏: 'bulletin_board',
  电子屏: 'bulletin_board',
  '12345热线': 'hotline_12345',
  '12345': 'hotline_12345',
  政务服务热线: 'hotline_12345',
  一微一端: 'social_media_and_app',
  微信公众号: 'social_media_and_app',
  政务微博: 'social_media_and_app',
  政务微信: 'social_media_and_app',
  客户端: 'social_media_and_app',
  报纸: 'print_media',
  纸质媒体: 'print_media',
  行政服务中心: 'service_centre',
  政务大厅: 'service_centre',
  便民服务中心: 'convenience_station',
  '社区(村)公示栏': 'bulletin_board',
  村居公示栏: 'bulletin_board',
  '村(居)公示栏': 'bulletin_board',
  村务公开栏: 'bulletin_board',
  社区公示栏: 'bulletin_board',
  电子显示屏: 'bulletin_board',
  '社区/企事业单位/村公示栏(电子屏)': 'bulletin_board',
  '社区/企事业单位/村公示栏': 'bulletin_board',
}

export const levelLabels: Record<Level, string> = {
  city: '市级',
  district: '区级',
  county: '县级',
  town_subdistrict: '镇街',
  township: '乡级',
  village: '村级',
}
const levelAliases: Record<string, Level> = {
  市: 'city',
  区: 'district',
  县: 'county',
  '县(区)级': 'county',
  镇街级: 'town_subdistrict',
  '镇(街道)级': 'town_subdistrict',
  镇级: 'town_subdistrict',
  街道级: 'town_subdistrict',
  乡: 'township',
  乡镇级: 'township',
  '乡(镇)级': 'township',
  村: 'village',
  '村(社区)级': 'village',
  '村(居)级': 'village',
  社区级: 'village',
  镇: 'town_subdistrict',
  街道: 'town_subdistrict',
  '镇(街)级': 'town_subdistrict',
  乡镇: 'township',
  '乡镇(街道)级': 'township',
  '县(市、区)级': 'county',
}

export const basisKindLabels: Record<BasisKind, string> = {
  law: '法律',
  administrative_regulation: '行政法规',
  departmental_rule: '部门规章',
  normative_document: '规范性文件',
  local_regulation: '地方性法规',
  other: '其他',
}

function lookup<T extends string>(codes: readonly T[], labels: Record<T, string>, aliases: Record<string, T>) {
  const map = new Map<string, T>()
  for (const code of codes) {
    map.set(normalizeLabel(code), code)
    map.set(normalizeLabel(labels[code]), code)
  }
  for (const [alias, code] of Object.entries(aliases)) map.set(normalizeLabel(alias), code)
  // Sheets repeat the same few labels on every row: remember each text as written.
  const seen = new Map<string, T | undefined>()
  return (text: string): T | undefined => {
    if (seen.has(text)) return seen.get(text)
    const code = map.get(normalizeLabel(text))
    if (seen.size < 10_000) seen.set(text, code)
    return code
  }
}

export const channelNamed = lookup(allChannels, channelLabels, channelAliases)
export const levelNamed = lookup(allLevels, levelLabels, levelAliases)
export const basisKindNamed = lookup(basisKinds, basisKindLabels, { 行政规章: 'departmental_rule', 规章: 'departmental_rule', 地方性法规规章: 'local_regulation' })

/** A cell's value, or a message saying why the cell cannot be read. */
export type CellResult<T> = { ok: true; value: T } | { ok: false; message: string }
const ok = <T>(value: T): CellResult<T> => ({ ok: true, value })
const bad = <T>(message: string): CellResult<T> => ({ ok: false, message })

// ---- √ tick columns (全社会, 特定群体, 主动, 依申请, 县级, 乡级)

const TICKS = /[√✓✔☑■●]/g
const negatives = new Set(['', '×', '✗', '✘', '□', '☐', '否', '无', '-', '—', '/', 'n', 'no', 'false', '0', 'f'])
const positives = new Set(['√', '✓', '✔', '☑', '■', '●', 'y', 'yes', 'true', '1', 't', '是', '有'])

/** A tick cell as true/false; any other text in it (特定群体: √（面向…）) comes back as `note`. */
export function readTick(cell: string): { ticked: boolean; note: string | null } {
  const lower = cell.normalize('NFKC').trim().toLowerCase()
  if (negatives.has(lower)) return { ticked: false, note: null }
  if (positives.has(lower)) return { ticked: true, note: null }
  // The note is kept as written (no width folding): it is the group's description.
  const note = cell.replace(TICKS, '').trim().replace(/^[（(](.*)[）)]$/s, '$1').trim()
  return { ticked: true, note: note || null }
}

export const tickCell = (ticked: boolean, note?: string | null) => (ticked ? (note ? `√（${note}）` : '√') : '')

/** A true/false column of the English layout (true/false, yes/no, 1/0, √ or blank). */
export function readBoolean(cell: string): CellResult<boolean> {
  const lower = cell.normalize('NFKC').trim().toLowerCase()
  if (negatives.has(lower)) return ok(false)
  if (positives.has(lower)) return ok(true)
  return bad(`"${cell}" is not true or false`)
}

// ---- lists of levels in one cell (县级、乡级 or county;township)

const LIST_SEPARATORS = /[、,，;；\n/\s]+/

export function readLevels(cell: string): CellResult<Level[]> {
  const names = cell.split(LIST_SEPARATORS).filter(Boolean)
  const unknown = names.filter((n) => !levelNamed(n))
  if (unknown.length) return bad(`${unknown.map((n) => `"${n}"`).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not a level (${allLevels.map((l) => levelLabels[l]).join(', ')})`)
  return ok(names.map((n) => levelNamed(n)!))
}

// ---- content elements (公开内容（要素）)

const REQUIRED_MARK = /^[●◉•]/
const OPTIONAL_MARK = /^[〇○◯◦]/

/** ●name lines (mandatory) and 〇name lines (optional); an unmarked name is mandatory. */
export function readContent(cell: string): ContentElement[] {
  return cell
    .split(/[\n;；]+/)
    .flatMap((part) => part.split(/(?=[●◉•〇○◯◦])/))
    .map((token) => token.trim())
    .filter((token) => token !== '' && !/^[●◉•〇○◯◦]$/.test(token))
    .map((token) => {
      if (OPTIONAL_MARK.test(token)) return { name: token.slice(1).trim(), required: false }
      return { name: token.replace(REQUIRED_MARK, '').trim(), required: true }
    })
}

export const contentCell = (content: readonly ContentElement[]) => content.map((c) => `${c.required ? '●' : '〇'}${c.name}`).join('\n')

// ---- legal basis (公开依据): several references in one cell

/**
 * The kind a reference's title and document number say, as catalogs leave it implicit: 中华人民共和国…法
 * is a law, a 国务院令 a State Council regulation, a ministry's 令 a departmental rule, a 〔year〕 number a
 * normative document, a province's or city's 条例 a local regulation.
 */
export function inferBasisKind(title: string, documentNumber?: string | null): BasisKind {
  const doc = documentNumber ?? ''
  if (/法$/.test(title) && !/办法$/.test(title)) return 'law'
  if (doc.includes('国务院令')) return 'administrative_regulation'
  if (/令第?\d+号/.test(doc) || /部令/.test(doc)) return 'departmental_rule'
  if (/[〔[［(（]\d{4}[〕\]］)）]/.test(doc)) return 'normative_document'
  if (/条例$/.test(title) && /^.{2,8}[省市区]/.test(title) && !title.startsWith('中华人民共和国')) return 'local_regulation'
  if (/条例$/.test(title)) return 'administrative_regulation'
  if (/(意见|通知|方案|办法|规定|规程|决定)$/.test(title)) return 'normative_document'
  return 'other'
}

const REFERENCE = /^(?:【([^】]+)】)?\s*《([^》]+)》\s*(?:[（(]([^）)]*)[）)])?\s*(.*)$/s
const PLAIN_REFERENCE = /^(?:【([^】]+)】)?\s*([^（(]+?)\s*(?:[（(]([^）)]*)[）)])?\s*(.*)$/s

/** The references of a basis cell, one per line (or several 《…》 on a line, or separated by ；). */
export function readBasis(cell: string): CellResult<LegalBasis[]> {
  const parts = cell
    .split(/[\n;；]+/)
    .flatMap((line) => line.split(/(?<!】\s*)(?=[【《])/))
    .map((p) => p.trim().replace(/^[、,，]+|[、,，。]+$/g, '').trim())
    .filter(Boolean)
  const references: LegalBasis[] = []
  for (const part of parts) {
    const m = REFERENCE.exec(part) ?? PLAIN_REFERENCE.exec(part)
    if (!m || !m[2]?.trim()) return bad(`"${part}" is not a reference (write 《title》（document number）articles)`)
    const [, kindLabel, title, documentNumber, articles] = m
    let kind: BasisKind
    if (kindLabel) {
      const named = basisKindNamed(kindLabel)
      if (!named) return bad(`【${kindLabel}】 is not a kind of reference (${basisKinds.map((k) => basisKindLabels[k]).join(', ')})`)
      kind = named
    } else kind = inferBasisKind(title!.trim(), documentNumber)
    references.push({ kind, title: title!.trim(), ...(documentNumber?.trim() ? { documentNumber: documentNumber.trim() } : {}), ...(articles?.trim() ? { articles: articles.trim() } : {}) })
  }
  return ok(references)
}

/** One line per reference; the kind is written (【部门规章】) only where the title does not imply it. */
export function basisCell(basis: readonly LegalBasis[]): string {
  return basis
    .map((b) => {
      const kind = inferBasisKind(b.title, b.documentNumber) === b.kind ? '' : `【${basisKindLabels[b.kind]}】`
      return `${kind}《${b.title}》${b.documentNumber ? `（${b.documentNumber}）` : ''}${b.articles ?? ''}`
    })
    .join('\n')
}

// ---- channels (公开渠道和载体): the checklist, the chosen items only, or free text

const CHECKED = '■☑√✓✔'
const UNCHECKED = '□☐'
const OTHER_WITH_TEXT = /^其他\s*[（(](.*)[）)]$/s

/** The channels a cell names, and the texts of channels the checklist does not have (kept as `other`). */
export interface ChannelsRead {
  channels: Channel[]
  other: string | null
  /** Texts no channel of the checklist is named by: kept in `other` (a channel the district uses is information, not an error). */
  kept: string[]
}

const MARK = new RegExp(`[${CHECKED}${UNCHECKED}]`)
const MARKED_TOKEN = new RegExp(`([${CHECKED}${UNCHECKED}])([^${CHECKED}${UNCHECKED}]*)`, 'g')
// Real files carry the character 口 where the box □ was meant (an input method's nearest glyph).
const MOUTH_AS_BOX = /(^|[\s、，,;；])口(?=\S)/g

/** A label, or a label made of known ones joined by / (政府网站/公示栏). */
function channelsOfLabel(label: string): Channel[] | undefined {
  const channel = channelNamed(label)
  if (channel) return [channel]
  const parts = label.split('/').map((p) => p.trim())
  const named = parts.map((p) => channelNamed(p))
  return parts.length > 1 && named.every(Boolean) ? (named as Channel[]) : undefined
}

/**
 * The ticked channels of a checklist (■政府网站 □政府公报 ■其他（村民大会）) or of only the chosen items
 * (■政府网站 ■公示栏), or a plain list (政府网站、公示栏, government_website;bulletin_board) where every
 * channel named is ticked. Ticked texts that name no channel become `other`, kept as written.
 */
export function readChannels(cell: string): CellResult<ChannelsRead> {
  let text = cell.normalize('NFC').trim()
  if (text.startsWith('口') || MARK.test(text)) text = text.replace(MOUTH_AS_BOX, '$1□')
  const tokens: { checked: boolean; label: string }[] = MARK.test(text)
    ? [...text.matchAll(MARKED_TOKEN)].map((m) => ({ checked: CHECKED.includes(m[1]!), label: m[2]!.trim().replace(/^[、，,;；]+|[、，,;；]+$/g, '').trim() }))
    : text.split(/[、,，;；\n\s]+/).map((label) => ({ checked: true, label: label.trim() }))
  const channels: Channel[] = []
  const others: string[] = []
  const kept: string[] = []
  for (const { checked, label } of tokens) {
    if (!label || !checked) continue
    const withText = OTHER_WITH_TEXT.exec(label)
    if (withText) {
      channels.push('other')
      if (withText[1]!.trim()) others.push(withText[1]!.trim())
      continue
    }
    const named = channelsOfLabel(label)
    if (named) channels.push(...named)
    else {
      channels.push('other')
      others.push(label)
      kept.push(label)
    }
  }
  return ok({ channels: allChannels.filter((c) => channels.includes(c)), other: others.length ? [...new Set(others)].join('、') : null, kept })
}

/** The whole checklist, ■ for the item's channels and □ for the others. */
export function channelsCell(channels: readonly Channel[], other: string | null): string {
  return allChannels
    .map((c) => {
      const ticked = channels.includes(c)
      const label = c === 'other' && ticked && other ? `其他（${other}）` : channelLabels[c]
      return `${ticked ? '■' : '□'}${label}`
    })
    .join(' ')
}
