// Which texts a department or domain answers to, and the rule that one text names one body: a name or
// alias may not be another's code, full name or alias once normalised (issue 12: aliases unique within
// a region). A clash is a 409 naming the holder, so the admin knows whom to ask.
import { normaliseName } from '../../lib/body-names.js'
import { ProblemError, unprocessable, type FieldError } from '../../lib/problems.js'

export interface Holder {
  /** Code of the department or domain that holds the text. */
  code: string
  /** How it holds it. */
  as: 'code' | 'name' | 'alias'
}

/** Every normalised text held, by whom; the body `except` (the one being edited) is left out. */
export function heldTexts(entries: { code: string; name: string; aliases: string[] }[], except?: string): Map<string, Holder> {
  const held = new Map<string, Holder>()
  for (const e of entries) {
    if (e.code === except) continue
    held.set(normaliseName(e.code), { code: e.code, as: 'code' })
    held.set(normaliseName(e.name), { code: e.code, as: 'name' })
    for (const a of e.aliases) held.set(normaliseName(a), { code: e.code, as: 'alias' })
  }
  return held
}

export interface NamedText {
  pointer: string
  text: string
}

/** Throws 409 when another body holds one of `texts`, naming it; 422 when the list repeats a text. */
export function checkTextsFree(held: Map<string, Holder>, texts: NamedText[], what: string): void {
  const clashes: FieldError[] = []
  for (const { pointer, text } of texts) {
    const holder = held.get(normaliseName(text))
    if (holder) clashes.push({ pointer, message: `${text} is already the ${holder.as} of ${what} ${holder.code}` })
  }
  if (clashes.length) {
    throw new ProblemError('conflict', `${clashes.map((c) => c.message).join('; ')}. One text names one ${what} in a region.`, { errors: clashes })
  }
  const seen = new Map<string, string>()
  const repeats: FieldError[] = []
  for (const { pointer, text } of texts) {
    const key = normaliseName(text)
    if (!key) repeats.push({ pointer, message: 'is blank' })
    else if (seen.has(key)) repeats.push({ pointer, message: `${text} repeats ${seen.get(key)} (the same once widths and spaces are folded)` })
    else seen.set(key, text)
  }
  if (repeats.length) throw unprocessable('The names repeat or are blank.', repeats)
}

/** The aliases to store: without the body's own name or code, each once (first spelling kept). */
export function aliasRows(aliases: string[], own: { code: string; name: string }): { alias: string; aliasKey: string }[] {
  const skip = new Set([normaliseName(own.code), normaliseName(own.name)])
  const rows = new Map<string, string>()
  for (const a of aliases) {
    const key = normaliseName(a)
    if (key && !skip.has(key) && !rows.has(key)) rows.set(key, a.trim())
  }
  return [...rows].map(([aliasKey, alias]) => ({ alias, aliasKey }))
}
