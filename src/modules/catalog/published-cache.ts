// Published catalog versions never change, so their responses are kept in memory as the bytes that go
// on the wire — JSON, and for clients that accept them its Brotli and gzip encodings, each compressed
// once on first demand — and served without touching the database or re-encoding anything. Only
// published content goes in; `current` is resolved to a number before the lookup (see
// current-pointer.ts), so nothing here ever needs invalidating. Bounded by total size (anonymous
// callers choose the query, so the number of distinct pages is theirs to grow): least recently used out
// first; the compressed variants count towards the bound.
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { sha256Hex } from '../../lib/hashing.js'

export type Encoding = 'br' | 'gzip'

export interface CachedResponse {
  body: Buffer
  /** Strong: the same bytes always get the same tag (of the identity encoding, RFC 9110 §8.8.3). */
  etag: string
  /** The body in `encoding`, compressed on the first request that wants it and kept. */
  encoded(encoding: Encoding): Promise<Buffer>
}

export const strongEtag = (body: string | Buffer) => `"${sha256Hex(body).slice(0, 40)}"`

const brotli = promisify(zlib.brotliCompress)
const gzip = promisify(zlib.gzip)
// Compressed once and served many times, so the slower, smaller settings pay for themselves.
const compressors: Record<Encoding, (body: Buffer) => Promise<Buffer>> = {
  br: (body) =>
    brotli(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 9,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  gzip: (body) => gzip(body, { level: 9 }),
}

/** Bytes ready to send under `etag`, each compressed variant made on first demand (`compressed` hears its size). */
export function readyResponse(body: Buffer, etag: string, compressed: (bytes: number) => void = () => undefined): CachedResponse {
  const variants = new Map<Encoding, Promise<Buffer>>()
  return {
    body,
    etag,
    encoded: (encoding) => {
      let variant = variants.get(encoding)
      if (!variant) {
        variant = compressors[encoding](body)
        variants.set(encoding, variant)
        variant.then((bytes) => compressed(bytes.length), () => variants.delete(encoding))
      }
      return variant
    },
  }
}

interface Entry {
  response: Promise<CachedResponse>
  bytes: number
}

export class PublishedResponseCache {
  readonly #entries = new Map<string, Entry>()
  readonly #maxBytes: number
  #bytes = 0

  constructor(maxBytes = 64 * 1024 * 1024) {
    this.#maxBytes = maxBytes
  }

  /** The cached response, if any (and marks it recently used). */
  get(key: string): Promise<CachedResponse> | undefined {
    const hit = this.#entries.get(key)
    if (!hit) return undefined
    this.#entries.delete(key)
    this.#entries.set(key, hit)
    return hit.response
  }

  /** The cached response, rendering it once even when many requests miss at the same time. */
  getOrRender(key: string, render: () => Promise<string>): Promise<CachedResponse> {
    const hit = this.get(key)
    if (hit) return hit
    const entry: Entry = { response: render().then((text) => this.#response(key, entry, Buffer.from(text))), bytes: 0 }
    this.#entries.set(key, entry)
    entry.response.then(
      ({ body }) => this.#count(key, entry, body.length),
      () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key)
      },
    )
    return entry.response
  }

  #response(key: string, entry: Entry, body: Buffer): CachedResponse {
    return readyResponse(body, strongEtag(body), (bytes) => this.#count(key, entry, bytes))
  }

  #count(key: string, entry: Entry, bytes: number): void {
    if (this.#entries.get(key) !== entry) return
    entry.bytes += bytes
    this.#bytes += bytes
    this.#evict()
  }

  #evict(): void {
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) return
      this.#entries.delete(key)
      this.#bytes -= entry.bytes
    }
  }

  get bytes(): number {
    return this.#bytes
  }
}

/**
 * The encoding to send for an Accept-Encoding header (RFC 9110 §12.5.3): Brotli, then gzip, when
 * accepted with a non-zero weight; identity otherwise.
 */
export function chooseEncoding(header: string | undefined): Encoding | null {
  if (!header) return null
  let best: Encoding | null = null
  let bestWeight = 0
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';')
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const weight = q ? Number(q.slice(2)) : 1
    if (!(weight > 0)) continue
    const encoding: Encoding | null = name === 'br' ? 'br' : name === 'gzip' || name === 'x-gzip' ? 'gzip' : name === '*' ? 'br' : null
    if (encoding && (weight > bestWeight || (weight === bestWeight && encoding === 'br'))) {
      best = encoding
      bestWeight = weight
    }
  }
  return best
}
