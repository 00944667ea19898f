// Published catalog versions never change, so their serialized responses are kept in memory and
// served without touching the database. Only published content goes in; `current` is resolved to a
// number from the database on each request before the lookup, so a publish on another instance is
// seen at once, and nothing here ever needs invalidating. Bounded by total size (anonymous callers
// choose the query, so the number of distinct pages is theirs to grow): least recently used out first.
import { sha256Hex } from '../../lib/hashing.js'

export interface CachedResponse {
  body: string
  /** Strong: the same bytes always get the same tag. */
  etag: string
}

export const strongEtag = (body: string) => `"${sha256Hex(body).slice(0, 40)}"`

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
    const entry: Entry = { response: render().then((body) => ({ body, etag: strongEtag(body) })), bytes: 0 }
    this.#entries.set(key, entry)
    entry.response.then(
      ({ body }) => {
        if (this.#entries.get(key) !== entry) return
        entry.bytes = Buffer.byteLength(body)
        this.#bytes += entry.bytes
        this.#evict()
      },
      () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key)
      },
    )
    return entry.response
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
