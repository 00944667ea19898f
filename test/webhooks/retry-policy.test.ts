// The retry rules as data: what each answer means, when the next attempt comes, when to give up.
import t from 'tap'
import { MAX_ATTEMPTS, nextAttemptAt, RETRY_DELAYS_MS, retryAfterMs, verdictOf } from '../../src/modules/webhooks/retry-policy.js'

const now = new Date('2026-03-02T02:00:00Z')

t.test('answers: 2xx delivered, 410 gone, 429/502/503/504 slow with Retry-After, anything else retries', async (t) => {
  t.same(verdictOf(200, undefined, now), { kind: 'delivered' })
  t.same(verdictOf(204, undefined, now), { kind: 'delivered' })
  t.same(verdictOf(410, undefined, now), { kind: 'gone' })
  t.same(verdictOf(301, undefined, now), { kind: 'retry', slowUntil: null }, 'a redirect is a failure')
  t.same(verdictOf(500, '60', now), { kind: 'retry', slowUntil: null }, 'Retry-After counts only on the slow-down statuses')
  t.same(verdictOf(503, '120', now), { kind: 'retry', slowUntil: new Date('2026-03-02T02:02:00Z') })
  t.same(verdictOf(429, 'Mon, 02 Mar 2026 03:00:00 GMT', now), { kind: 'retry', slowUntil: new Date('2026-03-02T03:00:00Z') }, 'an HTTP date')
  t.same(verdictOf(502, undefined, now), { kind: 'retry', slowUntil: null })
  t.same(verdictOf(null, undefined, now), { kind: 'retry', slowUntil: null })
})

t.test('Retry-After: seconds or a date, capped at 6 h, never negative, unreadable ignored', async (t) => {
  t.equal(retryAfterMs('30', now), 30_000)
  t.equal(retryAfterMs('999999', now), 6 * 3600_000)
  t.equal(retryAfterMs('Mon, 02 Mar 2026 01:00:00 GMT', now), 0)
  t.equal(retryAfterMs('soon', now), null)
  t.equal(retryAfterMs(undefined, now), null)
})

t.test('the schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 20 h, 24 h with ±20% jitter, then give up (~3 days)', async (t) => {
  t.equal(RETRY_DELAYS_MS.reduce((a, b) => a + b, 0) > 2.9 * 86_400_000, true)
  t.same(nextAttemptAt(1, now, () => 0.5), new Date(now.getTime() + 5_000), 'no jitter at the middle')
  t.same(nextAttemptAt(1, now, () => 0), new Date(now.getTime() + 4_000))
  t.same(nextAttemptAt(2, now, () => 0.999999), new Date(now.getTime() + Math.round(300_000 * (0.8 + 0.4 * 0.999999))))
  t.same(nextAttemptAt(1, now, () => 0.5, new Date(now.getTime() + 60_000)), new Date(now.getTime() + 60_000), 'not before a Retry-After')
  t.equal(nextAttemptAt(MAX_ATTEMPTS, now, () => 0.5), null, 'after the last attempt: given up')
})
