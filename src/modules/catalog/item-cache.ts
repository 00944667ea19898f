// Anonymous reads of an item by key, kept in memory as the bytes that go on the wire, tagged by the
// item's version (its strong ETag, what If-Match needs) — so a hot item costs no query and no
// serialization. Unlike a published page an item changes, so the cache holds two invariants:
// - a write answered by this instance is never followed by a stale read here: every write request
//   (any method but GET, HEAD, OPTIONS) clears the cache after its transaction committed and before its
//   answer leaves (onSend), and a read that began before the clear does not store what it read;
// - a write through another instance (or a script on the database) is seen within MAX_AGE_MS, like
//   `current` (current-pointer.ts): an entry older than that is read again before it is used. With
//   DATABASE_READ_URL, add the replica's own lag (README, "Read replicas").
// Staff reads (with a token) bypass it and read the primary: a caller's own writes are read back there.
import fp from 'fastify-plugin'
import type { Clock } from '../../lib/clock.js'
import { MAX_AGE_MS } from './current-pointer.js'
import { readyResponse, type CachedResponse } from './published-cache.js'
import { noticesWatermark } from '../notices/epoch.js'

/**
 * A response that may be kept past MAX_AGE_MS: until `until` (ms since the epoch, the next moment the
 * clock alone can change it) and while the watermark still reads at most `mark` (nothing it shows
 * changed since it was read).
 */
export interface Keep {
  until: number
  mark: number
}

/** A number that moves with every committed change a kept response depends on, read at most MAX_AGE_MS ago. */
export interface Watermark {
  read(): Promise<number | null>
}

interface Entry {
  response: CachedResponse
  readAt: number
  keep?: Keep | undefined
}

/** Enough for every item of many regions; past it the oldest entries go first. */
const MAX_ENTRIES = 20_000

export class ItemResponseCache {
  readonly #entries = new Map<string, Entry>()
  readonly #clock: Clock
  readonly #maxAgeMs: number
  readonly #maxEntries: number
  readonly #watermark: Watermark | undefined
  #generation = 0

  constructor(clock: Clock, maxAgeMs = MAX_AGE_MS, maxEntries = MAX_ENTRIES, watermark?: Watermark) {
    this.#clock = clock
    this.#maxAgeMs = maxAgeMs
    this.#maxEntries = maxEntries
    this.#watermark = watermark
  }

  /**
   * The ready response for `key`: from memory while fresh, else rendered by `render` (which throws the
   * not-found problem for an item that does not exist: nothing is stored then).
   */
  async getOrRender(key: string, render: () => Promise<{ body: string; etag: string; keep?: Keep }>): Promise<CachedResponse> {
    const now = this.#clock.now().getTime()
    const hit = this.#entries.get(key)
    if (hit && (await this.#current(hit, now))) return hit.response
    const generation = this.#generation
    const { body, etag, keep } = await render()
    const response = readyResponse(Buffer.from(body), etag)
    // A write cleared the cache while this read was under way: what it read may be older than the write.
    if (generation !== this.#generation) return response
    this.#entries.delete(key)
    this.#entries.set(key, { response, readAt: now, keep })
    if (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!)
    return response
  }

  /**
   * Whether an entry may still be sent: never past its `until` (nor before it was read: a clock set
   * back); within MAX_AGE_MS of its reading; past
   * that only while the watermark (itself at most MAX_AGE_MS old, so a change elsewhere still shows
   * within that bound) has not moved beyond its mark — and no write here cleared the cache meanwhile.
   */
  async #current(hit: Entry, now: number): Promise<boolean> {
    if (hit.keep && (now >= hit.keep.until || now < hit.readAt)) return false
    if (now - hit.readAt < this.#maxAgeMs) return true
    if (!hit.keep || !this.#watermark) return false
    const generation = this.#generation
    const mark = await this.#watermark.read()
    return generation === this.#generation && hit.keep.mark >= (mark ?? 0)
  }

  /** Something may have changed (a write on this instance): forget everything. */
  invalidate(): void {
    this.#generation++
    this.#entries.clear()
  }

  get size(): number {
    return this.#entries.size
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** This instance's anonymous item reads (catalog/item-cache.ts). */
    itemResponses: ItemResponseCache
    /**
     * This instance's anonymous list pages that change with any write (the notices in publicity), by
     * URL: the same invariants as items, so a page is at most MAX_AGE_MS behind another instance's
     * write. A page is kept longer while the notices epoch (notices/epoch.ts) has not moved and until
     * the next moment the clock changes it (notices/page-validity.ts: a period that starts or ends).
     */
    publicListResponses: ItemResponseCache
  }
}

/** Pages: every filter and cursor a portal asks for in a second, without holding a large part of a region. */
const MAX_LIST_PAGES = 2_000

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * The cache and the hook that clears it on every write request this instance answers, whichever
 * module it belongs to: cheap (writes are rare next to reads) and it cannot miss a write path.
 */
export const itemResponseCache = fp(
  async (app) => {
    app.decorate('itemResponses', new ItemResponseCache(app.clock))
    app.decorate('publicListResponses', new ItemResponseCache(app.clock, MAX_AGE_MS, MAX_LIST_PAGES, noticesWatermark(app)))
    const invalidate = () => {
      app.itemResponses.invalidate()
      app.publicListResponses.invalidate()
    }
    // Callback hooks, not async ones: they run on every response, and a promise each is not free.
    app.addHook('onSend', (request, _reply, payload, done) => {
      if (!safeMethods.has(request.method)) invalidate()
      done(null, payload)
    })
    // Once more when the answer is out: an onSend hook that failed before this one skipped it.
    app.addHook('onResponse', (request, _reply, done) => {
      if (!safeMethods.has(request.method)) invalidate()
      done()
    })
  },
  { name: 'item-response-cache' },
)
