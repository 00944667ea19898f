// The delivery worker, in the API process: turns new feed events into messages for each endpoint
// (fan-out, the endpoint row locked so one instance at a time advances its cursor), then claims due
// messages (FOR UPDATE SKIP LOCKED and a lease, so several instances share the work and a crashed
// instance's claims are retried once the lease lapses), sends them signed, and records each attempt.
// A failure of the database is logged and the next tick tries again: it never ends the process.
import { and, asc, eq, gt, inArray, isNull, lt, lte, ne, or, sql } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../../db/client.js'
import type { Clock } from '../../lib/clock.js'
import { toEnvelope } from '../events/feed.js'
import { appendEvent, newEventId } from '../events/outbox.js'
import { eventHead, events, type EventRow } from '../events/tables.js'
import { coalescedBody, mergeCoalesced } from './coalescing.js'
import type { DeliveryResult, Sender } from './delivery.js'
import { matchesEndpoint } from './filters.js'
import { DISABLE_AFTER_FAILING_MS, nextAttemptAt, verdictOf } from './retry-policy.js'
import { signedHeaders } from './signing.js'
import { webhookAttempts, webhookEndpoints, webhookMessages, type WebhookEndpointRow, type WebhookMessageRow } from './tables.js'

/** Events read per endpoint per fan-out transaction. */
const FAN_OUT_BATCH = 1000
/** Messages claimed per tick (sent concurrently). */
const CLAIM_BATCH = 20
/** A claim outlives the 15 s delivery timeout with room to record the attempt. */
const LEASE_MS = 60_000
/** Sends the running worker keeps open at once before it waits for one to finish. */
const MAX_IN_FLIGHT = 100
/** How long a round of the running worker waits for its sends before it leaves them in flight. */
const ROUND_WAITS_FOR_SENDS_MS = 1000

export interface DeliveryStats {
  attempts: Record<'delivered' | 'failed' | 'timeout' | 'refused' | 'error', number>
  /** Commit → attempt, of the last delivered message, in ms (by the app's clock). */
  lastLagMs: number | null
}

export interface WorkerDeps {
  db: Db
  clock: Clock
  log: FastifyBaseLogger
  send: Sender
  /** For the retry jitter (tests pass a fixed one). */
  random?: () => number
  /** How long a claim lasts (default LEASE_MS); must outlive the sender's timeout. */
  leaseMs?: number
}

export class DeliveryWorker {
  readonly stats: DeliveryStats = { attempts: { delivered: 0, failed: 0, timeout: 0, refused: 0, error: 0 }, lastLagMs: null }
  private timer: NodeJS.Timeout | undefined
  private running: Promise<unknown> = Promise.resolve()
  private stopped = true

  constructor(private readonly deps: WorkerDeps) {}

  /** One round: fan out, then deliver what is due. Returns how many messages were queued and attempted. */
  async runOnce(): Promise<{ queued: number; attempted: number }> {
    const queued = await this.fanOut()
    const attempted = await this.deliverDue()
    return { queued, attempted }
  }

  /** Attempts under way in the running worker's rounds (sent, not yet recorded). */
  private readonly inFlight = new Set<Promise<void>>()

  /**
   * A round of the running worker: like runOnce, but it waits for its sends at most a second — then the
   * next round fans out and claims while they are still on the wire, so that a receiver that hangs
   * (up to the send timeout) delays the others' new events by a second at most. Waiting for quick sends
   * keeps a round's attempts recorded with it: a round per commit, each racing the records of the last,
   * saturated the one embedded connection at 50 events/s. Claimed messages are leased, so no round
   * claims one that is still in flight.
   */
  private async round(): Promise<{ queued: number; attempted: number }> {
    const queued = await this.fanOut()
    while (this.inFlight.size >= MAX_IN_FLIGHT) await Promise.race(this.inFlight)
    const claimed = await this.claimDue()
    const sends = claimed.map(({ message, endpoint }) => {
      const sending: Promise<void> = this.attempt(message, endpoint)
        .catch((err: Error) => this.deps.log.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'webhook attempt not recorded; retried when its claim lapses'))
        .finally(() => this.inFlight.delete(sending))
      this.inFlight.add(sending)
      return sending
    })
    let waited: NodeJS.Timeout | undefined
    await Promise.race([Promise.all(sends), new Promise((resolve) => (waited = setTimeout(resolve, ROUND_WAITS_FOR_SENDS_MS)))])
    clearTimeout(waited)
    return { queued, attempted: claimed.length }
  }

  /** Runs rounds until stop(): immediately again after a busy round or a wake(), after `idleMs` otherwise. */
  start(idleMs = 100): void {
    if (!this.stopped) return
    this.stopped = false
    this.idleMs = idleMs
    this.running = this.tick()
  }

  /**
   * A new event committed (LISTEN/NOTIFY, wake-up.ts): run a round now rather than at the end of the
   * idle wait. Only a shortcut — the rounds on the timer find everything without it.
   */
  wake(): void {
    if (this.stopped) return
    if (!this.idle) {
      this.woken = true
      return
    }
    clearTimeout(this.timer)
    this.running = this.tick()
  }

  private idleMs = 100
  private idle = false
  private woken = false

  private readonly tick = async (): Promise<void> => {
    this.idle = false
    this.woken = false
    let busy = false
    try {
      const r = await this.round()
      busy = r.queued + r.attempted > 0
    } catch (err) {
      // The database may be away (outage, failover): say so once per round and keep going.
      this.deps.log.warn({ err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'webhook delivery round failed; retrying')
    }
    if (this.stopped) return
    const again = busy || this.woken
    this.idle = !again
    this.timer = setTimeout(() => (this.running = this.tick()), again ? 0 : this.idleMs)
    this.timer.unref()
  }

  /** Stops after the round in progress (its deliveries, and those still in flight, finish and are recorded). */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running
    await Promise.all(this.inFlight)
  }

  /** Turns feed events after each endpoint's cursor into messages; returns how many were queued. */
  async fanOut(): Promise<number> {
    let queued = 0
    // One statement finds the endpoints behind the feed's head (none, in most idle rounds); each is then
    // advanced in its own transaction, which checks again under the row lock.
    const behind = await this.deps.db
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(and(inArray(webhookEndpoints.status, ['enabled', 'paused']), lt(webhookEndpoints.cursor, this.deps.db.select({ position: eventHead.position }).from(eventHead).where(eq(eventHead.id, 1)))))
      .orderBy(asc(webhookEndpoints.id))
    for (const { id } of behind) {
      for (let more = true; more; ) {
        const step = await this.fanOutTo(id)
        queued += step.queued
        more = step.more
      }
    }
    return queued
  }

  /** Turns up to FAN_OUT_BATCH events after the endpoint's cursor into messages; `more` when there are more. */
  private async fanOutTo(id: string): Promise<{ queued: number; more: boolean }> {
    // Repeatable read: the head and the events are read in one snapshot, so advancing the cursor to
    // the head never passes an event that is not visible yet (events/feed.ts).
    return this.deps.db.transaction(
      async (tx) => {
        // The endpoint, locked, with the head in the same statement (the snapshot's first: repeatable read).
        const headOfSnapshot = sql<number | null>`(${tx.select({ position: eventHead.position }).from(eventHead).where(eq(eventHead.id, 1))})`.mapWith(Number)
        const [found] = await tx
          .select({ endpoint: webhookEndpoints, head: headOfSnapshot })
          .from(webhookEndpoints)
          .where(and(eq(webhookEndpoints.id, id), inArray(webhookEndpoints.status, ['enabled', 'paused'])))
          .for('update', { skipLocked: true })
        // Being advanced by another instance (locked), or no longer enabled: its turn is over.
        if (!found) return { queued: 0, more: false }
        const { endpoint } = found
        const headPosition = found.head ?? 0
        if (endpoint.cursor >= headPosition) return { queued: 0, more: false }
        const rows = await tx
          .select()
          .from(events)
          .where(and(gt(events.position, endpoint.cursor), eq(events.regionCode, endpoint.regionCode)))
          .orderBy(asc(events.position))
          .limit(FAN_OUT_BATCH)
        const now = this.deps.clock.now()
        const due = rows.filter((e) => matchesEndpoint(endpoint, e))
        let queuedHere = due.length
        let openBatchId = endpoint.openBatchId
        if (due.length && endpoint.mode === 'coalesced') {
          openBatchId = await this.coalesce(tx, endpoint, due, now)
          queuedHere = openBatchId === endpoint.openBatchId ? 0 : 1
        } else if (due.length) {
          await tx
            .insert(webhookMessages)
            .values(due.map((e) => ({ endpointId: endpoint.id, eventId: e.id, body: JSON.stringify(toEnvelope(e)), nextAttemptAt: now, createdAt: now })))
            .onConflictDoNothing()
        }
        const cursor = rows.length === FAN_OUT_BATCH ? rows[rows.length - 1]!.position : headPosition
        await tx.update(webhookEndpoints).set({ cursor, openBatchId }).where(eq(webhookEndpoints.id, endpoint.id))
        return { queued: queuedHere, more: rows.length === FAN_OUT_BATCH }
      },
      { isolationLevel: 'repeatable read' },
    )
  }

  /**
   * mode coalesced: adds `due` to the endpoint's open window (its message not yet due, claimed or
   * tried), or opens a window — one message, due when the window closes. Returns the open message's id.
   * The open message is locked with SKIP LOCKED: if a claim holds it, its window is closing, and a new
   * one opens (never a wait between the fan-out's and the claim's locks).
   */
  private async coalesce(tx: Db, endpoint: WebhookEndpointRow, due: EventRow[], now: Date): Promise<number> {
    if (endpoint.openBatchId !== null) {
      const [open] = await tx
        .select()
        .from(webhookMessages)
        .where(and(eq(webhookMessages.id, endpoint.openBatchId), eq(webhookMessages.status, 'pending'), eq(webhookMessages.attempts, 0), isNull(webhookMessages.leaseUntil), gt(webhookMessages.nextAttemptAt, now)))
        .for('update', { skipLocked: true })
      if (open) {
        await tx.update(webhookMessages).set({ body: mergeCoalesced(open.body, due) }).where(eq(webhookMessages.id, open.id))
        return open.id
      }
    }
    const eventId = newEventId()
    const closesAt = new Date(now.getTime() + endpoint.coalesceWindowSeconds * 1000)
    const [created] = await tx
      .insert(webhookMessages)
      .values({ endpointId: endpoint.id, eventId, body: coalescedBody(eventId, due), nextAttemptAt: closesAt, createdAt: now })
      .returning({ id: webhookMessages.id })
    return created!.id
  }

  /**
   * Of the claimed `rows`, those each rate-limited endpoint may still send in its current window (the
   * rest stay pending, in order: they wait, never dropped). An endpoint whose window is used up is left
   * out of the claims until the window ends (deliverDue's query), so that its backlog does not fill
   * every claim meanwhile. The endpoint row is locked (SKIP LOCKED: busy elsewhere, its messages wait
   * for the next round) so that two instances never both spend the same allowance.
   */
  private async withinRateLimits<T extends { endpoint: WebhookEndpointRow }>(tx: Db, rows: T[], now: Date): Promise<T[]> {
    const limited = [...new Set(rows.filter((r) => r.endpoint.rateLimit !== null).map((r) => r.endpoint.id))]
    if (!limited.length) return rows
    const locked = await tx.select().from(webhookEndpoints).where(inArray(webhookEndpoints.id, limited)).for('update', { skipLocked: true })
    const allowance = new Map<string, number>()
    for (const endpoint of locked) {
      const periodMs = endpoint.ratePeriod === 'minute' ? 60_000 : 1000
      const current = endpoint.rateWindowEnd !== null && endpoint.rateWindowEnd > now
      const end = current ? endpoint.rateWindowEnd! : new Date(now.getTime() + periodMs)
      const used = current ? endpoint.rateWindowCount : 0
      const wanted = rows.filter((r) => r.endpoint.id === endpoint.id).length
      const taken = Math.min(wanted, Math.max(endpoint.rateLimit! - used, 0))
      allowance.set(endpoint.id, taken)
      await tx.update(webhookEndpoints).set({ rateWindowEnd: end, rateWindowCount: used + taken }).where(eq(webhookEndpoints.id, endpoint.id))
    }
    return rows.filter((r) => {
      if (r.endpoint.rateLimit === null) return true
      const left = allowance.get(r.endpoint.id) ?? 0
      allowance.set(r.endpoint.id, left - 1)
      return left > 0
    })
  }

  /** Claims due messages, sends them, records the attempts; returns how many were attempted. */
  async deliverDue(): Promise<number> {
    const claimed = await this.claimDue()
    await Promise.all(claimed.map(({ message, endpoint }) => this.attempt(message, endpoint)))
    return claimed.length
  }

  /** Claims (leases) up to CLAIM_BATCH due messages with their endpoints. */
  private async claimDue(): Promise<{ message: WebhookMessageRow; endpoint: WebhookEndpointRow }[]> {
    const now = this.deps.clock.now()
    return this.deps.db.transaction(async (tx) => {
      const rows = await tx
        .select({ message: webhookMessages, endpoint: webhookEndpoints })
        .from(webhookMessages)
        .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookMessages.endpointId))
        .where(
          and(
            eq(webhookMessages.status, 'pending'),
            lte(webhookMessages.nextAttemptAt, now),
            or(isNull(webhookMessages.leaseUntil), lt(webhookMessages.leaseUntil, now)),
            eq(webhookEndpoints.status, 'enabled'),
            or(isNull(webhookEndpoints.slowUntil), lte(webhookEndpoints.slowUntil, now)),
            // Its rate window used up: not before the window ends (withinRateLimits).
            or(isNull(webhookEndpoints.rateLimit), isNull(webhookEndpoints.rateWindowEnd), lte(webhookEndpoints.rateWindowEnd, now), lt(webhookEndpoints.rateWindowCount, webhookEndpoints.rateLimit)),
          ),
        )
        .orderBy(asc(webhookMessages.nextAttemptAt), asc(webhookMessages.id))
        .limit(CLAIM_BATCH)
        .for('update', { of: webhookMessages, skipLocked: true })
        .then((found) => this.withinRateLimits(tx, found, now))
      if (rows.length) {
        await tx
          .update(webhookMessages)
          .set({ leaseUntil: new Date(now.getTime() + (this.deps.leaseMs ?? LEASE_MS)) })
          .where(inArray(webhookMessages.id, rows.map((r) => r.message.id)))
      }
      return rows
    })
  }

  private async attempt(message: WebhookMessageRow, endpoint: WebhookEndpointRow): Promise<void> {
    const sentAt = this.deps.clock.now()
    const headers = signedHeaders(endpoint, message.eventId, sentAt, message.body)
    const result = await this.deps.send({ url: endpoint.url, headers, body: message.body })
    await this.record(message, endpoint, result)
  }

  private async record(message: WebhookMessageRow, endpoint: WebhookEndpointRow, result: DeliveryResult): Promise<void> {
    const now = this.deps.clock.now()
    const verdict = result.outcome === 'answered' ? verdictOf(result.status, result.retryAfter, now) : ({ kind: 'retry', slowUntil: null } as const)
    const attempts = message.attempts + 1
    const outcome = result.outcome === 'answered' ? (verdict.kind === 'delivered' ? 'delivered' : 'failed') : result.outcome
    this.stats.attempts[outcome]++
    const attempt = { messageId: message.id, endpointId: endpoint.id, at: now, outcome, statusCode: result.status, durationMs: result.durationMs, response: result.response }
    const db = this.deps.db
    if (verdict.kind === 'delivered' && !endpoint.failingSince) {
      // The common case in one statement, atomic by itself: the attempt and the delivered message (a
      // transaction of two was four round trips — on the one embedded connection, in every delivery's path).
      const recorded = db.$with('recorded').as(db.insert(webhookAttempts).values(attempt).returning({ id: webhookAttempts.id }))
      await db.with(recorded).update(webhookMessages).set({ status: 'delivered', attempts, deliveredAt: now, leaseUntil: null }).where(eq(webhookMessages.id, message.id))
      this.stats.lastLagMs = now.getTime() - message.createdAt.getTime()
      return
    }
    let disabled: string | null = null
    await db.transaction(async (tx) => {
      await tx.insert(webhookAttempts).values(attempt)
      if (verdict.kind === 'delivered') {
        await tx.update(webhookMessages).set({ status: 'delivered', attempts, deliveredAt: now, leaseUntil: null }).where(eq(webhookMessages.id, message.id))
        // Written only when it changes: the endpoint row is what fan-out locks.
        if (endpoint.failingSince) await tx.update(webhookEndpoints).set({ failingSince: null }).where(eq(webhookEndpoints.id, endpoint.id))
        this.stats.lastLagMs = now.getTime() - message.createdAt.getTime()
        return
      }
      if (verdict.kind === 'gone') {
        // 410 Gone: the receiver says the endpoint no longer exists (Standard Webhooks): stop sending.
        await tx.update(webhookMessages).set({ status: 'failed', attempts, leaseUntil: null }).where(eq(webhookMessages.id, message.id))
        disabled = await this.disable(tx, endpoint, 'the receiver answered 410 Gone', now)
        return
      }
      const next = nextAttemptAt(attempts, now, this.deps.random ?? Math.random, verdict.slowUntil)
      await tx
        .update(webhookMessages)
        .set(next ? { attempts, nextAttemptAt: next, leaseUntil: null } : { status: 'failed', attempts, leaseUntil: null })
        .where(eq(webhookMessages.id, message.id))
      const failingSince = endpoint.failingSince ?? now
      const givenUp = now.getTime() - failingSince.getTime() >= DISABLE_AFTER_FAILING_MS
      await tx
        .update(webhookEndpoints)
        .set({ failingSince, ...(verdict.slowUntil ? { slowUntil: verdict.slowUntil } : {}) })
        .where(eq(webhookEndpoints.id, endpoint.id))
      if (givenUp) disabled = await this.disable(tx, endpoint, `every delivery failed for ${Math.round(DISABLE_AFTER_FAILING_MS / 86_400_000)} days`, now)
    })
    // After the commit: the operators' log says it once, like the event.
    if (disabled) this.deps.log.warn({ webhookEndpoint: endpoint.id, url: endpoint.url, reason: disabled }, 'webhook endpoint disabled')
  }

  /**
   * Disables the endpoint and announces it (a staff `webhook.endpoint.disabled` event, in the same
   * transaction) — once: of several attempts failing together, only the one that changes the status
   * emits (the row lock makes the others see it disabled). Returns the reason when it did.
   */
  private async disable(tx: Db, endpoint: WebhookEndpointRow, reason: string, now: Date): Promise<string | null> {
    const [changed] = await tx
      .update(webhookEndpoints)
      .set({ status: 'disabled', disabledReason: reason, version: sql`${webhookEndpoints.version} + 1`, updatedAt: now })
      .where(and(eq(webhookEndpoints.id, endpoint.id), ne(webhookEndpoints.status, 'disabled')))
      .returning({ id: webhookEndpoints.id })
    if (!changed) return null
    await appendEvent(tx, { regionCode: endpoint.regionCode, now }, { type: 'webhook.endpoint.disabled', data: { id: endpoint.id, url: `/v1/webhooks/${endpoint.id}`, reason } })
    return reason
  }
}
