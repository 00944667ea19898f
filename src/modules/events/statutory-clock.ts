// The scheduler of time-triggered events, on the app's clock: every round emits the statutory
// boundaries that have passed — publicity periods (notices/period-events.ts), review decision deadlines
// (notices/decision-events.ts), monthly reports' due days (reports/overdue-events.ts); once each,
// caught up after downtime — and,
// at most hourly, prunes what retention lets go. Rounds run every 15 s, well inside the 60 s the
// issue allows between a boundary and its event. A failed round (database away) is logged, not fatal.
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../../db/client.js'
import type { Clock } from '../../lib/clock.js'
import { emitOverdueDecisions } from '../notices/decision-events.js'
import { emitPeriodBoundaries } from '../notices/period-events.js'
import { emitOverdueReports } from '../reports/overdue-events.js'
import { pruneExpired } from './retention.js'

const ROUND_MS = 15_000
const PRUNE_EVERY_MS = 3600_000

export class StatutoryClock {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<unknown> = Promise.resolve()
  private stopped = true
  private lastPrune = -Infinity

  constructor(private readonly deps: { db: Db; clock: Clock; log: FastifyBaseLogger }) {}

  /** One round; returns how many events of each kind it emitted. */
  async runOnce(): Promise<{ periods: number; decisions: number; reports: number }> {
    const now = this.deps.clock.now()
    const emitted = {
      periods: await emitPeriodBoundaries(this.deps.db, now),
      decisions: await emitOverdueDecisions(this.deps.db, now),
      reports: await emitOverdueReports(this.deps.db, now),
    }
    if (now.getTime() - this.lastPrune >= PRUNE_EVERY_MS) {
      await pruneExpired(this.deps.db, now)
      this.lastPrune = now.getTime()
    }
    return emitted
  }

  start(everyMs = ROUND_MS): void {
    if (!this.stopped) return
    this.stopped = false
    const tick = async () => {
      try {
        await this.runOnce()
      } catch (err) {
        this.deps.log.warn({ err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'statutory event round failed; retrying')
      }
      if (!this.stopped) {
        this.timer = setTimeout(() => (this.running = tick()), everyMs)
        this.timer.unref()
      }
    }
    this.running = tick()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running
  }
}
