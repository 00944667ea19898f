// Which published catalog version is `current`, per region, kept in each instance's memory so that a
// cached page of `current` is served without a database round trip.
// Staleness bound: a publish through this instance is seen at once (`advance`); one through another
// instance within MAX_AGE_MS, because an entry older than that is read again before it is used (one
// indexed lookup per region per second at most, shared by every request that waits for it). The
// number never moves backwards: a slow read that returns an older number than one already known is
// ignored, so a replica that lags cannot take `current` back.
import type { Clock } from '../../lib/clock.js'

export const MAX_AGE_MS = 1000

interface Entry {
  number: number | null
  readAt: number
  reading?: Promise<number | null> | undefined
}

export class CurrentVersionPointer {
  readonly #entries = new Map<string, Entry>()
  readonly #clock: Clock
  readonly #maxAgeMs: number

  constructor(clock: Clock, maxAgeMs = MAX_AGE_MS) {
    this.#clock = clock
    this.#maxAgeMs = maxAgeMs
  }

  /** The latest published number of the region (null: none yet), read through `load` when stale. */
  async resolve(regionCode: string, load: () => Promise<number | null>): Promise<number | null> {
    const now = this.#clock.now().getTime()
    const entry = this.#entries.get(regionCode)
    if (entry && now - entry.readAt < this.#maxAgeMs) return entry.number
    if (entry?.reading) return entry.reading
    const target = entry ?? { number: null, readAt: -Infinity }
    const reading = load().then(
      (number) => {
        target.number = newer(target.number, number)
        target.readAt = now
        target.reading = undefined
        return target.number
      },
      (err: unknown) => {
        target.reading = undefined
        throw err
      },
    )
    target.reading = reading
    this.#entries.set(regionCode, target)
    return reading
  }

  /** A version was just published through this instance. */
  advance(regionCode: string, number: number): void {
    const entry = this.#entries.get(regionCode)
    if (entry) entry.number = newer(entry.number, number)
    else this.#entries.set(regionCode, { number, readAt: this.#clock.now().getTime() })
  }
}

const newer = (known: number | null, read: number | null) => (known === null ? read : read === null ? known : Math.max(known, read))
