// Names of bodies (公开主体) and domains as people write them, matched to codes without a database.
// The order is fixed and every step is exact on its own key: code → full name → alias → place-prefix
// variants (龙沙区X ↔ 区X ↔ X) → the same steps on normalised text (widths folded, spaces and line breaks
// removed). A key that fits several bodies is ambiguous and the candidates are returned: nothing here
// ever guesses (issue 12: "never a fuzzy guess that picks a body silently").

export type Resolution =
  | { status: 'resolved'; code: string; via: 'code' | 'name' | 'alias' | 'prefix' | 'normalised'; matched: string; retired?: boolean }
  | { status: 'ambiguous'; candidates: string[] } // department codes
  | { status: 'unknown' }

export interface NamedBody {
  code: string
  name: string
  aliases: readonly string[]
  /** Retired bodies resolve only when no active one fits (a sheet may still name a dissolved office). */
  retired?: boolean
}

/**
 * Folds the ways one name gets typed: NFKC (full-width letters, digits and brackets to half width),
 * no whitespace at all (Chinese names have none; spaces and line breaks come from cell wrapping),
 * dashes and middle dots unified, case folded for codes written in Latin letters.
 */
export function normaliseName(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u200b\u3000]+/gu, '')
    .replace(/[‐‑‒–—―─－]/gu, '-')
    .replace(/[·•‧・]/gu, '·')
    .toLowerCase()
}

/** What is left of a name without its place prefix: `龙沙区X` and `区X` both give `X`. */
function placeCore(name: string, regionNames: readonly string[]): string {
  for (const region of regionNames) {
    if (region && name.startsWith(region) && name.length > region.length) return name.slice(region.length)
  }
  return name
}

/** The prefixes a region's bodies are written with: `龙沙区` and the bare level character `区`. */
function regionPrefixes(regionName: string): string[] {
  const level = regionName.slice(-1) // 区, 县, 市, 旗
  return [regionName, level].filter((p, i, all) => p && all.indexOf(p) === i)
}

type Index = Map<string, Set<string>>

function put(index: Index, key: string, code: string) {
  if (!key) return
  let codes = index.get(key)
  if (!codes) index.set(key, (codes = new Set()))
  codes.add(code)
}

type Via = 'code' | 'name' | 'alias' | 'prefix'

/** One population of bodies (the active ones, or the retired ones), indexed for each step. */
class Population {
  private readonly byStep: Record<Via, Index> = { code: new Map(), name: new Map(), alias: new Map(), prefix: new Map() }
  private readonly normalised: Record<Via, Index> = { code: new Map(), name: new Map(), alias: new Map(), prefix: new Map() }

  constructor(
    bodies: readonly NamedBody[],
    private readonly prefixes: readonly string[],
  ) {
    for (const b of bodies) {
      this.add('code', b.code.trim(), b.code)
      this.add('name', b.name.trim(), b.code)
      for (const a of b.aliases) this.add('alias', a.trim(), b.code)
      for (const n of [b.name, ...b.aliases]) this.add('prefix', placeCore(n.trim(), prefixes), b.code)
    }
  }

  private add(step: Via, key: string, code: string) {
    put(this.byStep[step], key, code)
    put(this.normalised[step], step === 'prefix' ? placeCore(normaliseName(key), this.prefixes) : normaliseName(key), code)
  }

  /** The codes the first fitting step gives, with the step; null when no step fits. */
  match(text: string): { codes: string[]; via: Via | 'normalised' } | null {
    const trimmed = text.trim()
    for (const step of ['code', 'name', 'alias'] as const) {
      const codes = this.byStep[step].get(trimmed)
      if (codes) return { codes: [...codes], via: step }
    }
    const core = this.byStep.prefix.get(placeCore(trimmed, this.prefixes))
    if (core) return { codes: [...core], via: 'prefix' }
    const folded = normaliseName(trimmed)
    for (const step of ['code', 'name', 'alias'] as const) {
      const codes = this.normalised[step].get(folded)
      if (codes) return { codes: [...codes], via: 'normalised' }
    }
    const foldedCore = this.normalised.prefix.get(placeCore(folded, this.prefixes))
    if (foldedCore) return { codes: [...foldedCore], via: 'normalised' }
    return null
  }
}

function decide(found: ReturnType<Population['match']>, text: string, retired: boolean): Resolution | null {
  if (!found) return null
  if (found.codes.length > 1) return { status: 'ambiguous', candidates: found.codes.sort() }
  const resolution: Resolution = { status: 'resolved', code: found.codes[0]!, via: found.via, matched: text.trim() }
  if (retired) resolution.retired = true
  return resolution
}

export interface BodyMatcher {
  resolve(text: string): Resolution
}

/**
 * A matcher over the bodies of one region. Active bodies are tried through every step first; only when
 * none fits are retired ones tried (so a former office's name still reads, but never shadows a current
 * body). Merged bodies should not be passed: their names live on as aliases of the body they joined.
 */
export function buildBodyMatcher(bodies: readonly NamedBody[], regionName: string): BodyMatcher {
  const prefixes = regionPrefixes(normaliseName(regionName)).concat(regionPrefixes(regionName.trim()))
  const unique = prefixes.filter((p, i) => prefixes.indexOf(p) === i).sort((a, b) => b.length - a.length)
  const active = new Population(
    bodies.filter((b) => !b.retired),
    unique,
  )
  const retired = new Population(
    bodies.filter((b) => b.retired),
    unique,
  )
  return {
    resolve(text) {
      if (!text.trim()) return { status: 'unknown' }
      return decide(active.match(text), text, false) ?? decide(retired.match(text), text, true) ?? { status: 'unknown' }
    },
  }
}

export type DomainResolution =
  | { status: 'resolved'; code: string; via: 'code' | 'name' | 'alias' | 'normalised'; matched: string }
  | { status: 'ambiguous'; candidates: string[] }
  | { status: 'unknown' }

export interface NamedDomain {
  code: string
  name: string
  aliases: readonly string[]
}

/**
 * A matcher over domains: code → Chinese name → alias → normalised text, where normalising also drops
 * the word 领域 that headings add (`保障性住房领域` → 保障性住房). Domains have no place prefix.
 */
export function buildDomainMatcher(domainList: readonly NamedDomain[]): { resolve(text: string): DomainResolution } {
  const steps = { code: new Map(), name: new Map(), alias: new Map(), normalised: new Map() } as Record<'code' | 'name' | 'alias' | 'normalised', Index>
  const fold = (t: string) => normaliseName(t).replace(/领域$/u, '')
  for (const d of domainList) {
    put(steps.code, d.code, d.code)
    put(steps.name, d.name.trim(), d.code)
    for (const a of d.aliases) put(steps.alias, a.trim(), d.code)
    for (const n of [d.code, d.name, ...d.aliases]) put(steps.normalised, fold(n), d.code)
  }
  return {
    resolve(text) {
      const trimmed = text.trim()
      if (!trimmed) return { status: 'unknown' }
      for (const step of ['code', 'name', 'alias', 'normalised'] as const) {
        const codes = steps[step].get(step === 'normalised' ? fold(trimmed) : trimmed)
        if (!codes) continue
        if (codes.size > 1) return { status: 'ambiguous', candidates: [...codes].sort() }
        return { status: 'resolved', code: [...codes][0]!, via: step, matched: trimmed }
      }
      return { status: 'unknown' }
    },
  }
}

// Separators between bodies in one cell. 及 is weaker: it also occurs inside names, so it splits only
// where the whole text is not a known name (see splitBodies).
const separators = /[、，,/／；;\n\r]/u
const openers = '（(【[《〔'
const closers = '）)】]》〕'

/** Splits on `separator` outside brackets (`各街道办事处（社区、村）` stays one body). */
function splitOutsideBrackets(text: string, separator: RegExp): string[] {
  const parts: string[] = []
  let depth = 0
  let current = ''
  for (const ch of text) {
    if (openers.includes(ch)) depth++
    else if (closers.includes(ch) && depth > 0) depth--
    if (depth === 0 && separator.test(ch)) {
      parts.push(current)
      current = ''
    } else current += ch
  }
  parts.push(current)
  return parts.map((p) => p.trim()).filter((p) => p.length > 0)
}

/**
 * The bodies one 公开主体 cell names: split on 、，,/；; and line breaks (outside brackets), then each
 * part on 及 unless `isKnown` says the part as a whole is a name (so `征收及补偿办公室` stays whole when it
 * is a registered name). Without `isKnown`, 及 splits only between two parts of two characters or more.
 * A line break inside a wrapped name (`龙沙区住房和城乡\n建设局`) is kept whole when `isKnown` knows the
 * joined text.
 */
export function splitBodies(cell: string, isKnown?: (text: string) => boolean): string[] {
  const whole = cell.trim()
  if (!whole) return []
  if (isKnown?.(whole)) return [whole]
  const parts = splitOutsideBrackets(whole, separators)
  return parts.flatMap((part) => {
    if (isKnown?.(part)) return [part]
    const pieces = splitOutsideBrackets(part, /及/u)
    if (pieces.length < 2 || pieces.some((p) => p.length < 2)) return [part]
    return pieces
  })
}
