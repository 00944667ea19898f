// Content-Disposition for downloads (RFC 6266): an ASCII `filename` every client understands, and the
// real name in `filename*` (RFC 8187, UTF-8, percent-encoded) for the ones that read it. Nothing from
// the name can end the parameter or the header: quotes, backslashes, control characters and
// non-ASCII are replaced in the fallback and percent-encoded in `filename*` (a `"` in a department
// code would otherwise inject a second `filename`, and a CJK character makes Node refuse the header).

// RFC 8187 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
const attrChar = /[A-Za-z0-9!#$&+\-.^_`|~]/

function encodeExtValue(name: string): string {
  let out = ''
  for (const byte of Buffer.from(name, 'utf8')) {
    const ch = String.fromCharCode(byte)
    out += byte < 0x80 && attrChar.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** `attachment; filename="…"; filename*=UTF-8''…` for a download named `filename`. */
export function attachment(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  return fallback === filename ? `attachment; filename="${filename}"` : `attachment; filename="${fallback}"; filename*=UTF-8''${encodeExtValue(filename)}`
}
