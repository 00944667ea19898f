// Business code asks a clock for "now" so that tests can move time (STYLE.md: time is injected).
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock that stands still until told to move; used by tests and by demo fixtures. */
export class ManualClock implements Clock {
  #now: number
  constructor(start: Date | string = new Date()) {
    this.#now = new Date(start).getTime()
  }
  now(): Date {
    return new Date(this.#now)
  }
  set(to: Date | string): void {
    this.#now = new Date(to).getTime()
  }
  advance(ms: number): void {
    this.#now += ms
  }
}
