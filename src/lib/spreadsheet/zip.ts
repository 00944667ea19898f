// A bounded look inside a ZIP file (an XLSX is one) before anything else inflates it. The central
// directory at the end of the file lists every entry with its sizes: too many entries, or more
// declared bytes than the limit, are refused from that list alone, before a byte is inflated. Sizes
// can lie, so each entry is then inflated with its declared size as a hard ceiling (zlib stops there)
// — a zip bomb costs milliseconds and at most the limit in memory, never the 1.5 GB it claims to hold.
// Nothing here trusts the file: every offset is checked against its length.
import zlib from 'node:zlib'

export class ZipFormatError extends Error {
  override name = 'ZipFormatError'
}

/** A limit the ZIP file goes over: which one, for the uploader's message. */
export class ZipLimitError extends Error {
  override name = 'ZipLimitError'
}

export interface ZipLimits {
  /** Most entries (files) in the archive. */
  entries: number
  /** Most bytes all entries inflate to, together. */
  inflatedBytes: number
}

export interface ZipEntry {
  name: string
  method: number
  compressedSize: number
  size: number
  localOffset: number
}

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

/** The central directory's entries, checked against the limits. Inflates nothing. */
export function zipDirectory(bytes: Uint8Array, limits: ZipLimits): ZipEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  // The end record is the last 22 bytes plus a comment of up to 65,535 bytes.
  let end = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      end = i
      break
    }
  }
  if (end < 0) throw new ZipFormatError('not a ZIP archive (no central directory)')
  const count = buf.readUInt16LE(end + 10)
  const directorySize = buf.readUInt32LE(end + 12)
  const directoryOffset = buf.readUInt32LE(end + 16)
  if (count === 0xffff || directoryOffset === 0xffffffff) throw new ZipLimitError('the archive is in ZIP64 form, which no spreadsheet of an accepted size needs')
  if (count > limits.entries) throw new ZipLimitError(`the archive holds ${count} files; at most ${limits.entries} are accepted`)
  if (directoryOffset + directorySize > end) throw new ZipFormatError('the central directory lies outside the file')
  const entries: ZipEntry[] = []
  let total = 0
  for (let p = directoryOffset, i = 0; i < count; i++) {
    if (p + 46 > end || buf.readUInt32LE(p) !== CENTRAL) throw new ZipFormatError('the central directory is damaged')
    const nameLength = buf.readUInt16LE(p + 28)
    const entry: ZipEntry = {
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, Math.min(end, p + 46 + nameLength)),
    }
    total += entry.size
    if (total > limits.inflatedBytes) {
      throw new ZipLimitError(`the archive inflates to more than ${limits.inflatedBytes / 1024 / 1024} MB (declared by its directory)`)
    }
    entries.push(entry)
    p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32)
  }
  return entries
}

/**
 * An entry's bytes, inflated with its declared size as a ceiling: an entry that inflates to more than
 * it declares is refused as soon as it passes that size.
 */
export function inflateEntry(bytes: Uint8Array, entry: ZipEntry): Buffer {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const p = entry.localOffset
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOCAL) throw new ZipFormatError(`the entry ${entry.name} is damaged`)
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28)
  if (start + entry.compressedSize > buf.length) throw new ZipFormatError(`the entry ${entry.name} lies outside the file`)
  const data = buf.subarray(start, start + entry.compressedSize)
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw new ZipFormatError(`the entry ${entry.name} is damaged`)
    return data
  }
  if (entry.method !== 8) throw new ZipFormatError(`the entry ${entry.name} uses a compression method spreadsheets do not use`)
  let out: Buffer
  try {
    // +1, so that a liar is caught by its length rather than passing at exactly the ceiling.
    out = zlib.inflateRawSync(data, { maxOutputLength: entry.size + 1 })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new ZipLimitError(`the entry ${entry.name} inflates to more than the ${entry.size} bytes it declares`)
    throw new ZipFormatError(`the entry ${entry.name} cannot be inflated`)
  }
  if (out.length > entry.size) throw new ZipLimitError(`the entry ${entry.name} inflates to more than the ${entry.size} bytes it declares`)
  if (out.length < entry.size) throw new ZipFormatError(`the entry ${entry.name} is shorter than it declares`)
  return out
}
