// Time limits (公开时限) as published catalogs word them, to and from the structured rule: 信息形成或者
// 变更之日起20个工作日内, 20工作日, 在组织听证7个工作日前, 实时公开, 及时公开, 永久公开, 每年4月1日之前,
// 公示7天 …. Wording that says no rule this reader knows becomes `other` (the wording is kept as is).
// A rule that its wording does not say is written in a 时限规则 column as canonical wording (or JSON),
// so exported sheets read back to exactly the same rule.
import { canonicalJson } from '../../lib/hashing.js'
import type { PeriodUnit, Publicity, TimeRule } from './elements.js'

/**
 * The event a bare period counts from: Regulations on Open Government Information art. 26 (信息形成
 * 或者变更之日起20个工作日内), the default a catalog means when it writes only "20工作日".
 */
export const DEFAULT_EVENT = '信息形成或者变更之日'

const NUM = '(\\d+|[零〇一二两三四五六七八九十百]+)'
const UNIT = '(工作日|自然日|日历日|日|天)'
const digits: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }

/** 20, 二十, 十五, 七, 一百二十 → a number (null when it is not one). */
export function numberOf(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s)
  let total = 0
  let current = 0
  for (const ch of s) {
    if (ch in digits) current = digits[ch]!
    else if (ch === '十') {
      total += (current || 1) * 10
      current = 0
    } else if (ch === '百') {
      total += (current || 1) * 100
      current = 0
    } else return null
  }
  return total + current
}

const unitOf = (word: string): PeriodUnit => (word === '工作日' ? 'working_day' : 'calendar_day')

// Every pattern is linear in the wording's length (issue 14 #4: the old `^在?(.+?)N个?日前` tried
// every end of a lazy event against every length of the number after it — quadratic, 2.4 s for one
// 120 KB cell). Each match here starts at a literal (起, 前, 每年, 公示) or at the *start* of a run of
// digits or numerals (the lookbehinds), so runs are scanned once: the event is then whatever
// precedes the match, not a lazy group that backtracks.
const NUM_START = '(?:(?<!\\d)(\\d+)|(?<![零〇一二两三四五六七八九十百])([零〇一二两三四五六七八九十百]+))'
const withinPattern = new RegExp(`^(?:自|从)?(.+?)起${NUM}个?${UNIT}(?:内|以内)`)
const beforeTail = new RegExp(`${NUM_START}个?${UNIT}(?:以)?前`, 'g')
const beforeAfterEventPattern = new RegExp(`^(.+?)前${NUM}个?${UNIT}`)
const barePattern = new RegExp(`^${NUM}个?${UNIT}(?:内|以内)?(?:公开)?$`)
const fixedDatePattern = new RegExp(`每年${NUM}月${NUM}日(?:之前|以前|前)`)
const publicityPattern = new RegExp(`(?:公示|公告)(?:期|时间|期限)?(?:为|不少于|不得少于|不低于|至少)?${NUM}个?${UNIT}`)

/** `在{event}{n}个工作日前`: the first count-and-unit-before with an event of at least one character in front. */
function beforeMatch(text: string): { event: string; n: string; unit: string; rest: string } | null {
  const from = text.startsWith('在') ? 1 : 0
  beforeTail.lastIndex = from + 1
  const m = beforeTail.exec(text)
  if (!m) return null
  return { event: text.slice(from, m.index), n: m[1] ?? m[2]!, unit: m[3]!, rest: text.slice(m.index + m[0].length) }
}

function publicityIn(text: string): { publicity?: Publicity } {
  const m = publicityPattern.exec(text)
  const length = m ? numberOf(m[1]!) : null
  return m && length ? { publicity: { unit: unitOf(m[2]!), length } } : {}
}

const pad2 = (n: number) => String(n).padStart(2, '0')

// A catalog uses a few dozen wordings for thousands of items: each is parsed once. Only wordings up
// to the item's own limit are cached (and parsed at all), so the cache holds at most
// 10,000 × 500 characters.
const parsed = new Map<string, TimeRule>()
/** The longest wording an item may have (its schema's limit); anything longer says no rule. */
export const MAX_WORDING_LENGTH = 500

/** The rule a time limit's wording says, or `other` when it says none this reader knows. */
export function parseTimeLimit(wording: string): TimeRule {
  if (wording.length > MAX_WORDING_LENGTH) return { type: 'other' }
  const known = parsed.get(wording)
  if (known) return structuredClone(known)
  const rule = parseWording(wording)
  if (parsed.size < 10_000) parsed.set(wording, rule)
  return structuredClone(rule)
}

/** The rule a wording of any length says (uncached; linear in its length). */
export function parseWording(wording: string): TimeRule {
  const text = wording.normalize('NFKC').replace(/\s+/g, '')
  const counted = (type: 'within' | 'before', event: string, n: string, unit: string, rest: string): TimeRule | null => {
    const length = numberOf(n)
    if (!length || !event.trim()) return null
    return { type, unit: unitOf(unit), length, event: event.trim(), ...publicityIn(rest) }
  }
  let m = withinPattern.exec(text)
  if (m) {
    const rule = counted('within', m[1]!, m[2]!, m[3]!, text.slice(m[0].length))
    if (rule) return rule
  }
  const before = beforeMatch(text)
  if (before) {
    const rule = counted('before', before.event, before.n, before.unit, before.rest)
    if (rule) return rule
  }
  m = beforeAfterEventPattern.exec(text)
  if (m) {
    const rule = counted('before', m[1]!, m[2]!, m[3]!, text.slice(m[0].length))
    if (rule) return rule
  }
  const [firstClause = '', ...others] = text.split(/[,;。]/)
  m = barePattern.exec(firstClause)
  if (m) {
    const rule = counted('within', DEFAULT_EVENT, m[1]!, m[2]!, others.join(','))
    if (rule) return rule
  }
  m = fixedDatePattern.exec(text)
  if (m) {
    const [month, day] = [numberOf(m[1]!), numberOf(m[2]!)]
    if (month && day && month <= 12 && day <= 31) return { type: 'fixed_date', monthDay: `${pad2(month)}-${pad2(day)}` }
  }
  if (text.includes('实时')) return { type: 'realtime' }
  if (/永久|长期/.test(text)) return { type: 'permanent' }
  if (/及时|即时/.test(text)) return { type: 'promptly', ...publicityIn(text) }
  const publicity = publicityIn(text)
  if (publicity.publicity) return { type: 'promptly', ...publicity }
  return { type: 'other' }
}

const unitWord = (unit: PeriodUnit) => (unit === 'working_day' ? '个工作日' : '日')
const publicityWord = (p: Publicity | undefined) => (p ? `，公示${p.length}${p.unit === 'working_day' ? '个工作日' : '天'}` : '')

/** Canonical wording of a rule (信息形成或者变更之日起20个工作日内, 及时公开，公示7天 …); null for `other`. */
export function describeRule(rule: TimeRule): string | null {
  switch (rule.type) {
    case 'within':
      return `${rule.event}起${rule.length}${unitWord(rule.unit)}内${publicityWord(rule.publicity)}`
    case 'before':
      return `在${rule.event}${rule.length}${unitWord(rule.unit)}前${publicityWord(rule.publicity)}`
    case 'realtime':
      return '实时公开'
    case 'promptly':
      return `及时公开${publicityWord(rule.publicity)}`
    case 'permanent':
      return '永久公开'
    case 'fixed_date': {
      const [month, day] = rule.monthDay.split('-').map(Number)
      return `每年${month}月${day}日之前`
    }
    default:
      return null
  }
}

const sameRule = (a: TimeRule, b: TimeRule) => canonicalJson(a) === canonicalJson(b)

/**
 * What the 时限规则 column says for an item: nothing when the wording already says the rule, else the
 * rule's canonical wording, or its JSON when no wording reads back to it exactly.
 */
export function ruleCell(wording: string, rule: TimeRule): string {
  if (sameRule(parseTimeLimit(wording), rule)) return ''
  const described = describeRule(rule)
  if (described !== null && sameRule(parseTimeLimit(described), rule)) return described
  return JSON.stringify(rule)
}

/** Reads a 时限规则 cell: canonical wording or JSON. Throws with a message for the uploader otherwise. */
export function readRuleCell(cell: string): TimeRule {
  const text = cell.trim()
  if (text.startsWith('{')) {
    try {
      return JSON.parse(text) as TimeRule
    } catch {
      throw new Error('is not valid JSON')
    }
  }
  const rule = parseTimeLimit(text)
  if (rule.type === 'other') throw new Error(`says no rule this reader knows (write e.g. ${describeRule({ type: 'within', unit: 'working_day', length: 20, event: DEFAULT_EVENT })}, 实时公开, or the rule as JSON)`)
  return rule
}
