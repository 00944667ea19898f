// What an attempt's outcome means for the message and its endpoint (Standard Webhooks' recommended
// behaviour): 2xx delivered; 410 Gone disables the endpoint; 429/502/503/504 slow it (Retry-After
// honoured); 3xx is a failure (redirects are not followed); anything else retries on the schedule.

/** Delay before attempt n+1 after n failed attempts: the spec's schedule (5 s … 10 h) stretched to ~3 days. */
export const RETRY_DELAYS_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 5 * 3600_000, 10 * 3600_000, 10 * 3600_000, 20 * 3600_000, 24 * 3600_000]
/** After this many attempts a message is given up (attempts log keeps why). */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1
/** An endpoint failing for this long without one success is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3600_000
/** Longest Retry-After honoured (a receiver cannot park deliveries for weeks). */
const MAX_RETRY_AFTER_MS = 6 * 3600_000
const slowStatuses = new Set([429, 502, 503, 504])

export type Verdict =
  | { kind: 'delivered' }
  | { kind: 'gone' }
  | { kind: 'retry'; slowUntil: Date | null }

/** Retry-After as seconds or an HTTP date, relative to `now`; null when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: Date): number | null {
  if (!value) return null
  if (/^\d+$/.test(value.trim())) return Math.min(Number(value.trim()) * 1000, MAX_RETRY_AFTER_MS)
  const at = Date.parse(value)
  return Number.isNaN(at) ? null : Math.min(Math.max(at - now.getTime(), 0), MAX_RETRY_AFTER_MS)
}

export function verdictOf(status: number | null, retryAfter: string | undefined, now: Date): Verdict {
  if (status !== null && status >= 200 && status < 300) return { kind: 'delivered' }
  if (status === 410) return { kind: 'gone' }
  if (status !== null && slowStatuses.has(status)) {
    const wait = retryAfterMs(retryAfter, now)
    return { kind: 'retry', slowUntil: wait === null ? null : new Date(now.getTime() + wait) }
  }
  return { kind: 'retry', slowUntil: null }
}

/**
 * When to try again after `attempts` failed attempts, or null to give up. Jitter of ±20% spreads the
 * retries of many messages that failed together (`random` in [0, 1), injected for tests).
 */
export function nextAttemptAt(attempts: number, now: Date, random: () => number, notBefore: Date | null = null): Date | null {
  const delay = RETRY_DELAYS_MS[attempts - 1]
  if (delay === undefined) return null
  const at = new Date(now.getTime() + Math.round(delay * (0.8 + 0.4 * random())))
  return notBefore && notBefore > at ? notBefore : at
}
