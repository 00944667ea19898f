// Bytes to text for uploaded CSV files. Excel in China saves "CSV (逗号分隔)" in the system code page
// (GBK, or GB18030 of which it is a subset), "CSV UTF-8" with a byte-order mark, and "Unicode text"
// as UTF-16LE with a BOM; scripts send UTF-8 without one. A declared charset wins; otherwise the BOM
// decides, then whether the bytes are valid UTF-8, and GB18030 is the fallback.
import iconv from 'iconv-lite'

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030'

export interface DecodedText {
  text: string
  /** The encoding the bytes were read in. */
  encoding: TextEncoding
  /** How it was chosen. */
  by: 'charset' | 'bom' | 'detected'
}

export class UnsupportedCharsetError extends Error {
  override name = 'UnsupportedCharsetError'
}

// GBK and GB2312 text is valid GB18030 (a superset), so all three are decoded as GB18030.
const charsetAliases: Record<string, TextEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  'utf-16': 'utf-16le',
  gbk: 'gb18030',
  gb2312: 'gb18030',
  gb18030: 'gb18030',
  cp936: 'gb18030',
  'x-gbk': 'gb18030',
  'windows-936': 'gb18030',
}

/** The encoding a `charset` parameter names, or throws for one this module does not read. */
export function encodingOfCharset(charset: string): TextEncoding {
  const encoding = charsetAliases[charset.trim().toLowerCase()]
  if (!encoding) throw new UnsupportedCharsetError(`charset ${charset} is not supported (use utf-8, gbk or gb18030)`)
  return encoding
}

const boms: [TextEncoding, number[]][] = [
  ['utf-8', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
]

function bomOf(bytes: Uint8Array): { encoding: TextEncoding; length: number } | null {
  for (const [encoding, bom] of boms) {
    if (bom.every((b, i) => bytes[i] === b)) return { encoding, length: bom.length }
  }
  return null
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return true
  } catch {
    return false
  }
}

/** Decodes `bytes`, by the declared `charset` when given, else by BOM, else by detection. A BOM is never part of the text. */
export function decodeText(bytes: Uint8Array, charset?: string | null): DecodedText {
  const bom = bomOf(bytes)
  if (charset) {
    const encoding = encodingOfCharset(charset)
    const skip = bom && bom.encoding === encoding ? bom.length : 0
    return { text: iconv.decode(Buffer.from(bytes.subarray(skip)), encoding), encoding, by: 'charset' }
  }
  if (bom) return { text: iconv.decode(Buffer.from(bytes.subarray(bom.length)), bom.encoding), encoding: bom.encoding, by: 'bom' }
  if (isUtf8(bytes)) return { text: Buffer.from(bytes).toString('utf8'), encoding: 'utf-8', by: 'detected' }
  return { text: iconv.decode(Buffer.from(bytes), 'gb18030'), encoding: 'gb18030', by: 'detected' }
}

/** Text as bytes in `encoding` (tests and exports that must match what Excel writes). */
export function encodeText(text: string, encoding: TextEncoding | 'gbk', withBom = false): Buffer {
  const body = iconv.encode(text, encoding)
  if (!withBom) return body
  const bom = boms.find(([e]) => e === encoding)?.[1]
  return bom ? Buffer.concat([Buffer.from(bom), body]) : body
}
