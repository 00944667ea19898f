// Slowing down password guessing without handing anyone a switch that locks a person out.
//
// A hard lock after N failures lets anyone who knows a login name keep its owner out (during a
// publicity period, a reviewer). Instead, failures are counted per login name *and* address, and per
// login name over every address:
// - from one address, the first 5 failures are free; then every further try from there must wait,
//   30 s after the 5th failure, doubling with each failure, at most 15 minutes;
// - over every address, after 20 failures the same back-off applies to all addresses *except* those
//   the account has signed in from successfully before (known addresses), so a distributed guesser
//   slows down while the owner, at their usual desk, signs in as always;
// - a successful sign-in clears the counters of its address and of the account, and marks the
//   address known.
// Counts are atomic (one INSERT … ON CONFLICT DO UPDATE … RETURNING per counter), so parallel wrong
// passwords are all counted. Names that do not exist are counted exactly like names that do, and a
// throttled attempt answers the same 429 for both: the throttle reveals nothing about who exists.
// Names and addresses are stored as digests only; rows untouched for a day are pruned as new ones come.
import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { sha256Hex } from '../../lib/hashing.js'
import { ProblemError } from '../../lib/problems.js'
import { signInThrottle } from './tables.js'

export const FREE_FAILURES_PER_ADDRESS = 5
export const FREE_FAILURES_PER_ACCOUNT = 20
const FIRST_DELAY_S = 30
const MAX_DELAY_S = 15 * 60
const KNOWN_ADDRESS_MS = 90 * 86_400_000
const KEEP_MS = 86_400_000
const PRUNE_PER_FAILURE = 20
const EVERY_ADDRESS = '*'

/** Where a sign-in attempt is aimed and where it comes from. */
export interface SignInAttempt {
  login: string
  address: string
}

const accountKey = (login: string) => sha256Hex(`gongkai sign-in account\u0000${login.normalize('NFKC').toLowerCase()}`)
const addressKey = (address: string) => sha256Hex(`gongkai sign-in address\u0000${address}`)

/** Seconds to wait after `failures` failures, once past `free`. */
export function backoffSeconds(failures: number, free: number): number {
  if (failures < free) return 0
  return Math.min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** Math.min(failures - free, 16))
}

export const throttled = (seconds: number) =>
  new ProblemError('too-many-requests', 'Too many failed sign-ins for this name from here; try again later.', { headers: { 'Retry-After': String(Math.max(1, seconds)) } })

/** Refuses (429) an attempt that must wait; call before checking the password. */
export async function checkThrottle(db: Db, attempt: SignInAttempt, now: Date): Promise<void> {
  const account = accountKey(attempt.login)
  const address = addressKey(attempt.address)
  const rows = await db
    .select()
    .from(signInThrottle)
    .where(and(eq(signInThrottle.accountKey, account), inArray(signInThrottle.addressKey, [address, EVERY_ADDRESS])))
  const here = rows.find((r) => r.addressKey === address)
  const everywhere = rows.find((r) => r.addressKey === EVERY_ADDRESS)
  const known = Boolean(here?.succeededAt && now.getTime() - here.succeededAt.getTime() < KNOWN_ADDRESS_MS)
  const until = [here?.blockedUntil, known ? null : everywhere?.blockedUntil].filter((d): d is Date => Boolean(d && d > now))
  if (until.length) throw throttled(Math.ceil((Math.max(...until.map((d) => d.getTime())) - now.getTime()) / 1000))
}

async function countFailure(tx: Db, account: string, address: string, free: number, now: Date): Promise<number> {
  const [row] = await tx
    .insert(signInThrottle)
    .values({ accountKey: account, addressKey: address, failures: 1, updatedAt: now })
    .onConflictDoUpdate({ target: [signInThrottle.accountKey, signInThrottle.addressKey], set: { failures: sql`${signInThrottle.failures} + 1`, updatedAt: now } })
    .returning({ failures: signInThrottle.failures })
  const failures = row!.failures
  const wait = backoffSeconds(failures, free)
  if (wait) {
    // greatest(): of two failures counted at once, the later count's longer wait wins.
    await tx
      .update(signInThrottle)
      .set({ blockedUntil: sql`greatest(${signInThrottle.blockedUntil}, ${new Date(now.getTime() + wait * 1000)})` })
      .where(and(eq(signInThrottle.accountKey, account), eq(signInThrottle.addressKey, address)))
  }
  return failures
}

/**
 * Counts a failed attempt (inside the caller's transaction). Returns the account-wide count and until
 * when unknown addresses must wait (null: they need not).
 */
export async function recordFailure(tx: Db, attempt: SignInAttempt, now: Date): Promise<{ failures: number; accountBlockedUntil: Date | null }> {
  const account = accountKey(attempt.login)
  await countFailure(tx, account, addressKey(attempt.address), FREE_FAILURES_PER_ADDRESS, now)
  const failures = await countFailure(tx, account, EVERY_ADDRESS, FREE_FAILURES_PER_ACCOUNT, now)
  await prune(tx, now)
  const wait = backoffSeconds(failures, FREE_FAILURES_PER_ACCOUNT)
  return { failures, accountBlockedUntil: wait ? new Date(now.getTime() + wait * 1000) : null }
}

/** A successful sign-in: this address is known and both counters start again. */
export async function recordSuccess(tx: Db, attempt: SignInAttempt, now: Date): Promise<void> {
  const account = accountKey(attempt.login)
  await tx
    .insert(signInThrottle)
    .values({ accountKey: account, addressKey: addressKey(attempt.address), failures: 0, succeededAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: [signInThrottle.accountKey, signInThrottle.addressKey], set: { failures: 0, blockedUntil: null, succeededAt: now, updatedAt: now } })
  await tx.update(signInThrottle).set({ failures: 0, blockedUntil: null, updatedAt: now }).where(and(eq(signInThrottle.accountKey, account), eq(signInThrottle.addressKey, EVERY_ADDRESS)))
}

/** An admin's password reset lifts every wait on the account. */
export async function clearAccount(tx: Db, login: string, now: Date): Promise<void> {
  await tx.update(signInThrottle).set({ failures: 0, blockedUntil: null, updatedAt: now }).where(eq(signInThrottle.accountKey, accountKey(login)))
}

// A few stale rows go with every failure, so rows for made-up names cannot pile up: the table stays
// bounded by about a day of failures. Known addresses (a success) are kept as long as they count.
async function prune(tx: Db, now: Date): Promise<void> {
  const isStale = and(
    lt(signInThrottle.updatedAt, new Date(now.getTime() - KEEP_MS)),
    or(isNull(signInThrottle.succeededAt), lt(signInThrottle.succeededAt, new Date(now.getTime() - KNOWN_ADDRESS_MS))),
  )
  const someStaleAccounts = tx.select({ accountKey: signInThrottle.accountKey }).from(signInThrottle).where(isStale).limit(PRUNE_PER_FAILURE)
  await tx.delete(signInThrottle).where(and(inArray(signInThrottle.accountKey, someStaleAccounts), isStale))
}
