// Characters no text field can hold: NUL (Postgres text refuses it, SQLSTATE 22021) and UTF-16
// surrogates that are not part of a pair (they have no UTF-8 form: Postgres's JSON refuses them,
// 22P05, and plain text would store U+FFFD instead, silently changing what the caller sent).
// One check for request fields (http/input-hygiene.ts) and sheet cells (spreadsheet readers).

const suspect = /[\0\uD800-\uDFFF]/
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** What makes `text` unstorable ("a NUL character", "a lone surrogate"), or null when it is fine. Linear. */
export function unstorableCharacter(text: string): string | null {
  if (!suspect.test(text)) return null
  if (text.includes('\0')) return 'a NUL character'
  if (loneSurrogate.test(text)) return 'a lone surrogate (not valid Unicode text)'
  return null
}
