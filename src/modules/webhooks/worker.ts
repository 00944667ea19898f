// The delivery worker, in the API process: turns new feed events into messages for each endpoint
// (fan-out, the endpoint row locked so one instance at a time advances its cursor), then claims due
// messages (FOR UPDATE SKIP LOCKED and a lease, so several instances share the work and a crashed
// instance's claims are retried once the lease lapses), sends them signed, and records each attempt.
// A failure of the database is logged and the next tick tries again: it never ends the process.
import { and, asc, eq, gt, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../../db/client.js'
import type { Clock } from '../../lib/clock.js'
import { toEnvelope } from '../events/feed.js'
import { eventHead, events } from '../events/tables.js'
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
      const r = await this.runOnce()
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

  /** Stops after the round in progress (its deliveries finish and are recorded). */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running
  }

  /** Turns feed events after each endpoint's cursor into messages; returns how many were queued. */
  async fanOut(): Promise<number> {
    let queued = 0
    let after = '00000000-0000-0000-0000-000000000000'
    for (;;) {
      // Repeatable read: the head and the events are read in one snapshot, so advancing the cursor to
      // the head never passes an event that is not visible yet (events/feed.ts).
      const step = await this.deps.db.transaction(
        async (tx) => {
          const [endpoint] = await tx
            .select()
            .from(webhookEndpoints)
            .where(and(gt(webhookEndpoints.id, after), inArray(webhookEndpoints.status, ['enabled', 'paused'])))
            .orderBy(asc(webhookEndpoints.id))
            .limit(1)
            .for('update', { skipLocked: true })
          if (!endpoint) return null
          const [head] = await tx.select().from(eventHead).where(eq(eventHead.id, 1))
          const headPosition = head?.position ?? 0
          if (endpoint.cursor >= headPosition) return { id: endpoint.id, queued: 0, more: false }
          const rows = await tx
            .select()
            .from(events)
            .where(and(gt(events.position, endpoint.cursor), eq(events.regionCode, endpoint.regionCode)))
            .orderBy(asc(events.position))
            .limit(FAN_OUT_BATCH)
          const now = this.deps.clock.now()
          const due = rows.filter((e) => matchesEndpoint(endpoint, e))
          if (due.length) {
            await tx
              .insert(webhookMessages)
              .values(due.map((e) => ({ endpointId: endpoint.id, eventId: e.id, body: JSON.stringify(toEnvelope(e)), nextAttemptAt: now, createdAt: now })))
              .onConflictDoNothing()
          }
          const cursor = rows.length === FAN_OUT_BATCH ? rows[rows.length - 1]!.position : headPosition
          await tx.update(webhookEndpoints).set({ cursor }).where(eq(webhookEndpoints.id, endpoint.id))
          return { id: endpoint.id, queued: due.length, more: rows.length === FAN_OUT_BATCH }
        },
        { isolationLevel: 'repeatable read' },
      )
      if (!step) return queued
      queued += step.queued
      // With more to read, the same endpoint (the first after `after`) comes again.
      if (!step.more) after = step.id
    }
  }

  /** Claims due messages, sends them, records the attempts; returns how many were attempted. */
  async deliverDue(): Promise<number> {
    const now = this.deps.clock.now()
    const claimed = await this.deps.db.transaction(async (tx) => {
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
          ),
        )
        .orderBy(asc(webhookMessages.nextAttemptAt), asc(webhookMessages.id))
        .limit(CLAIM_BATCH)
        .for('update', { of: webhookMessages, skipLocked: true })
      if (rows.length) {
        await tx
          .update(webhookMessages)
          .set({ leaseUntil: new Date(now.getTime() + (this.deps.leaseMs ?? LEASE_MS)) })
          .where(inArray(webhookMessages.id, rows.map((r) => r.message.id)))
      }
      return rows
    })
    await Promise.all(claimed.map(({ message, endpoint }) => this.attempt(message, endpoint)))
    return claimed.length
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
    await this.deps.db.transaction(async (tx) => {
      await tx.insert(webhookAttempts).values({ messageId: message.id, endpointId: endpoint.id, at: now, outcome, statusCode: result.status, durationMs: result.durationMs, response: result.response })
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
        await tx.update(webhookEndpoints).set({ status: 'disabled', disabledReason: 'the receiver answered 410 Gone', version: sql`${webhookEndpoints.version} + 1`, updatedAt: now }).where(eq(webhookEndpoints.id, endpoint.id))
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
        .set({
          failingSince,
          ...(verdict.slowUntil ? { slowUntil: verdict.slowUntil } : {}),
          ...(givenUp ? { status: 'disabled', disabledReason: `every delivery failed for ${Math.round(DISABLE_AFTER_FAILING_MS / 86_400_000)} days`, version: sql`${webhookEndpoints.version} + 1`, updatedAt: now } : {}),
        })
        .where(eq(webhookEndpoints.id, endpoint.id))
    })
  }
}
