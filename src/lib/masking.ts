// The one masking function for personal information in public responses (Regulations on Open
// Government Information art. 15; PIPL arts. 6, 28). Different masks of the same number on different
// pages could be combined to recover it, so every public response masks through `maskPersonal`,
// with one policy per region.

export const personalKinds = ['name', 'id_number', 'phone', 'address', 'email'] as const
export type PersonalKind = (typeof personalKinds)[number]

export interface MaskingPolicy {
  /** Characters of an ID number kept at the start and at the end (default 2 and 3: 23*************123). */
  idNumberKeep: { start: number; end: number }
  /** Characters of a phone number kept at the start and at the end (default 3 and 4: 138****1234). */
  phoneKeep: { start: number; end: number }
}

export const defaultMaskingPolicy: MaskingPolicy = {
  idNumberKeep: { start: 2, end: 3 },
  phoneKeep: { start: 3, end: 4 },
}

function keepEnds(value: string, start: number, end: number): string {
  const chars = [...value]
  if (chars.length <= start + end) return '*'.repeat(chars.length)
  return chars.slice(0, start).join('') + '*'.repeat(chars.length - start - end) + chars.slice(chars.length - end).join('')
}

// A name keeps its first and last character (张*明); a two-character name keeps the first (李*).
function maskName(value: string): string {
  const chars = [...value.trim()]
  if (chars.length <= 1) return '*'
  if (chars.length === 2) return `${chars[0]}*`
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1]
}

// An address keeps only its leading administrative units, in order — province, prefecture, county
// (district), township (subdistrict) — and nothing after the township (DESIGN.md: cut to the township
// or subdistrict). A unit is a run of Chinese characters ending in its level's suffix and not followed by
// a street word (新乡路 is a road, not a township); anything else ends the prefix, so a road, building
// or door number is never kept: 龙沙区民航路12号3单元501室（原乡镇企业局家属楼） → 龙沙区. Nothing
// recognisable at the start: nothing is published.
// A unit's name: Chinese characters that are no unit's suffix (else 龙沙区市场街 would read as a city).
const unitName = '(?:(?![省市区县旗镇乡盟])[\\u4e00-\\u9fff]){1,10}?'
const addressLevels: RegExp[] = [
  new RegExp(`^${unitName}(?:特别行政区|自治区|省)(?![路街巷弄号楼道])`, 'u'),
  new RegExp(`^${unitName}(?:自治州|地区|盟|市)(?![路街巷弄号楼道])`, 'u'),
  new RegExp(`^${unitName}(?:自治县|自治旗|区|县|旗|市)(?![路街巷弄号楼道])`, 'u'),
  new RegExp(`^${unitName}(?:街道办事处|街道|民族乡|苏木|镇|乡)(?![路街巷弄号楼道])`, 'u'),
]

function maskAddress(value: string): string {
  let rest = value.replace(/\s+/g, '')
  let kept = ''
  for (const level of addressLevels) {
    const unit = level.exec(rest)
    if (!unit) continue
    kept += unit[0]
    rest = rest.slice(unit[0].length)
  }
  return kept
}

// An e-mail address keeps the first character of its mailbox and its domain (z********@example.com).
function maskEmail(value: string): string {
  const at = value.lastIndexOf('@')
  if (at < 1) return '*'.repeat([...value].length)
  return value[0] + '*'.repeat(at - 1) + value.slice(at)
}

export function maskPersonal(kind: PersonalKind, value: string, policy: MaskingPolicy = defaultMaskingPolicy): string {
  switch (kind) {
    case 'name':
      return maskName(value)
    case 'id_number':
      return keepEnds(value.trim(), policy.idNumberKeep.start, policy.idNumberKeep.end)
    case 'phone': {
      const digits = value.replace(/[\s-]/g, '')
      return keepEnds(digits, policy.phoneKeep.start, policy.phoneKeep.end)
    }
    case 'address':
      return maskAddress(value)
    case 'email':
      return maskEmail(value)
  }
}

/**
 * Patterns of unmasked personal data: refused as values of non-personal columns, scanned for in public
 * responses (and by the tests in every anonymous response). Bounded quantifiers only (no backtracking).
 */
export const unmaskedPatterns = {
  idNumber: /(?<![0-9A-Za-z*])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/,
  // Latin letters around a run of digits make it part of an identifier (a UUID's last group, a hash), not a number.
  mobile: /(?<![0-9A-Za-z*])1[3-9]\d{9}(?![0-9A-Za-z])/,
  // An area code (0 and 2–3 digits), a separator, then a local number of 7–8 digits not starting with 0 or 1.
  landline: /(?<![0-9A-Za-z*-])0\d{2,3}[-\s]?[2-9]\d{6,7}(?![0-9A-Za-z-])/,
  email: /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/,
} as const
export type UnmaskedKind = keyof typeof unmaskedPatterns

/** The first unmasked personal value in `text`: its kind and where it starts (never the value, for logs). */
export function findUnmasked(text: string, kinds: readonly UnmaskedKind[] = Object.keys(unmaskedPatterns) as UnmaskedKind[]): { kind: UnmaskedKind; index: number } | null {
  for (const kind of kinds) {
    const found = unmaskedPatterns[kind].exec(text)
    if (found) return { kind, index: found.index }
  }
  return null
}

// Keys and labels that name a personal field (PIPL art. 4): such a column must be typed as that field,
// so that it is masked. Checked in this order (联系人电话 is a phone, not a name).
const personalFields: { kind: PersonalKind; pattern: RegExp }[] = [
  { kind: 'email', pattern: /邮箱|电子邮件|电邮|e-?mail/i },
  { kind: 'id_number', pattern: /身份证|证件|身份号|公民身份|id_?(card|no|number)|identity|passport|护照/i },
  { kind: 'phone', pattern: /电话|手机|联系方式|座机|phone|mobile|^tel(ephone)?$|_tel$/i },
  { kind: 'address', pattern: /住址|地址|住所|居住地|address|^addr$/i },
  { kind: 'name', pattern: /姓名|名字|户主|申请人|联系人|监护人|^name$|^full_?name$|person_?name|applicant|householder/i },
]

/** The personal field a column key or label names, if any. */
export function personalFieldOf(name: string): PersonalKind | null {
  return personalFields.find((f) => f.pattern.test(name))?.kind ?? null
}
