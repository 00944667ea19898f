// Admin changes to the calendar: loading a year's official arrangement, correcting one day of it, a
// region's own closures, new period rules. Each runs in one transaction that also appends its audit
// row and bumps the revision(s), so every instance's next computation uses the change.
import type { Db } from '../../db/client.js'
import {
  buildCalendar,
  InvalidCalendarError,
  validateArrangement,
  validateClosures,
  type ArrangementProblem,
  type HolidayRange,
  type MakeupWorkday,
  type YearArrangement,
} from '../../lib/calendar/index.js'
import type { PeriodUnit } from '../../lib/periods/index.js'
import { conflict, notFound, unprocessable, type FieldError } from '../../lib/problems.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { appendEvent } from '../events/outbox.js'
import { applyCorrection, type Correction } from './corrections.js'
import { checkIfMatch } from './etags.js'
import * as q from './queries.js'
import type { ClosureRow, PeriodRuleRow } from './queries.js'
import { toArrangement } from './snapshot.js'

const actorRef = (ctx: WriteContext) => ctx.actor.id ?? ctx.actor.name

/** Periods computed on the year may move: integrators recompute (or refetch) what depends on it. */
const calendarChanged = (tx: Db, ctx: WriteContext, year: number, version?: number) =>
  appendEvent(tx, ctx, { type: 'calendar.changed', data: { id: String(year), ...(version === undefined ? {} : { version }), url: `/v1/calendar/${year}`, year } })

function unprocessableWith(detail: string, errors: FieldError[]) {
  return unprocessable(`${detail} ${errors.map((e) => `${e.pointer}: ${e.message}`).join('; ')}`, errors)
}

/**
 * A New Year break may reach back into December, so an arrangement must not contradict the stored
 * years on either side of it. Pointers are relative to `a`; a clash blamed on a neighbour gets ''.
 */
async function neighbourProblems(db: Db, a: YearArrangement): Promise<ArrangementProblem[]> {
  const neighbours: YearArrangement[] = []
  for (const year of [a.year - 1, a.year + 1]) {
    const row = await q.findYear(db, year)
    if (row) neighbours.push(toArrangement(row))
  }
  try {
    buildCalendar({ arrangements: [a, ...neighbours] })
    return []
  } catch (err) {
    if (!(err instanceof InvalidCalendarError)) throw err
    return err.problems.map((p) => {
      const own = /^\/arrangements\/0(\/.*)?$/.exec(p.pointer)
      if (own) return { pointer: own[1] ?? '', message: p.message }
      const index = Number(/^\/arrangements\/(\d+)/.exec(p.pointer)?.[1] ?? 0)
      return { pointer: '', message: `conflicts with the stored ${neighbours[index - 1]?.year ?? ''} arrangement: ${p.message}` }
    })
  }
}

const sortHolidays = (list: HolidayRange[]) => [...list].sort((x, y) => (x.from < y.from ? -1 : x.from > y.from ? 1 : 0))
const sortMakeups = (list: MakeupWorkday[]) => [...list].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0))

export interface ArrangementInput {
  holidays: HolidayRange[]
  makeupWorkdays: MakeupWorkday[]
}

/**
 * Loads the State Council's arrangement for `year` (status official, source admin), replacing what is
 * stored. 422 with every problem (a make-up day on a weekday, overlapping breaks…) as a pointer into
 * the body; 412 when `ifMatch` names another version.
 */
export async function putCalendarYear(db: Db, ctx: WriteContext, year: number, input: ArrangementInput, ifMatch?: string): Promise<void> {
  const arrangement: YearArrangement = {
    year,
    status: 'official',
    holidays: input.holidays.map((h) => ({ name: h.name, ...(h.nameEn !== undefined ? { nameEn: h.nameEn } : {}), from: h.from, to: h.to })),
    makeupWorkdays: input.makeupWorkdays.map((m) => ({ date: m.date, ...(m.name !== undefined ? { name: m.name } : {}) })),
  }
  const toBody = (p: ArrangementProblem): FieldError => ({ pointer: p.pointer === '/year' ? '/params/year' : `/body${p.pointer}`, message: p.message })
  const problems = validateArrangement(arrangement)
  if (problems.length) throw unprocessableWith(`The ${year} arrangement cannot be used:`, problems.map(toBody))
  await db.transaction(async (tx) => {
    const current = await q.findYear(tx, year, { forUpdate: true })
    checkIfMatch(ifMatch, year, current?.version ?? 0)
    const clashes = await neighbourProblems(tx, arrangement)
    if (clashes.length) throw unprocessableWith(`The ${year} arrangement cannot be used:`, clashes.map(toBody))
    const values = {
      status: 'official',
      holidays: sortHolidays(arrangement.holidays),
      makeupWorkdays: sortMakeups(arrangement.makeupWorkdays),
      source: 'admin',
      updatedAt: ctx.now,
      updatedBy: actorRef(ctx),
    }
    const row = current ? await q.updateYear(tx, year, { ...values, version: current.version + 1 }) : await q.insertYear(tx, { year, ...values })
    await q.bumpAllRevisions(tx)
    await appendAudit(tx, ctx, {
      action: 'calendar.year.put',
      targetType: 'calendar_year',
      targetId: String(year),
      details: { version: row.version, previousVersion: current?.version ?? null, previousSource: current?.source ?? null, holidays: values.holidays, makeupWorkdays: values.makeupWorkdays },
    })
    await calendarChanged(tx, ctx, year, row.version)
  })
}

/** One correction to a stored year (see corrections.ts); 404 when nothing is stored for the year. */
export async function patchCalendarYear(db: Db, ctx: WriteContext, year: number, correction: Correction, ifMatch?: string): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await q.findYear(tx, year, { forUpdate: true })
    if (!current) {
      throw notFound(`Nothing is stored for ${year}: its calendar is provisional. Load the official arrangement with PUT /v1/calendar/${year} first.`)
    }
    checkIfMatch(ifMatch, year, current.version)
    const next = applyCorrection(toArrangement(current), correction)
    let problems = validateArrangement(next)
    if (!problems.length) problems = await neighbourProblems(tx, next)
    if (problems.length) {
      const errors = problems.map((p) => ({ pointer: p.pointer.endsWith('/name') ? '/body/name' : '/body/date', message: p.message }))
      throw unprocessableWith(`The correction would make the ${year} arrangement unusable:`, errors)
    }
    const row = await q.updateYear(tx, year, {
      holidays: next.holidays,
      makeupWorkdays: next.makeupWorkdays,
      source: 'admin',
      version: current.version + 1,
      updatedAt: ctx.now,
      updatedBy: actorRef(ctx),
    })
    await q.bumpAllRevisions(tx)
    await appendAudit(tx, ctx, {
      action: 'calendar.year.patch',
      targetType: 'calendar_year',
      targetId: String(year),
      details: { ...correction, version: row.version, previousVersion: current.version, previousSource: current.source },
    })
    await calendarChanged(tx, ctx, year, row.version)
  })
}

/** A region's own rest day (an emergency closure) in the caller's region; 409 if the date has one. */
export async function addClosure(db: Db, ctx: WriteContext, input: { date: string; name: string }): Promise<ClosureRow> {
  const problems = validateClosures([input])
  if (problems.length) {
    throw unprocessableWith('The closure cannot be used:', problems.map((p) => ({ pointer: p.pointer.replace(/^\/0/, '/body'), message: p.message })))
  }
  return db.transaction(async (tx) => {
    if (await q.findClosure(tx, ctx.regionCode, input.date)) throw conflict(`Region ${ctx.regionCode} already has a closure on ${input.date}.`)
    const row = await q.insertClosure(tx, { regionCode: ctx.regionCode, date: input.date, name: input.name, createdAt: ctx.now, createdBy: actorRef(ctx) })
    await q.bumpRevision(tx, ctx.regionCode)
    await appendAudit(tx, ctx, { action: 'calendar.closure.create', targetType: 'region_closure', targetId: `${ctx.regionCode}:${input.date}`, details: { date: input.date, name: input.name } })
    await calendarChanged(tx, ctx, Number(input.date.slice(0, 4)))
    return row
  })
}

export async function removeClosure(db: Db, ctx: WriteContext, date: string): Promise<void> {
  await db.transaction(async (tx) => {
    const removed = await q.deleteClosure(tx, ctx.regionCode, date)
    if (!removed) throw notFound(`Region ${ctx.regionCode} has no closure on ${date}.`)
    await q.bumpRevision(tx, ctx.regionCode)
    await appendAudit(tx, ctx, { action: 'calendar.closure.delete', targetType: 'region_closure', targetId: `${ctx.regionCode}:${date}`, details: { date, name: removed.name } })
    await calendarChanged(tx, ctx, Number(date.slice(0, 4)))
  })
}

export interface PeriodRuleInput {
  code: string
  unit: PeriodUnit
  length: number
  nameZh: string
  nameEn: string
  legalSource: string
  description?: string | undefined
}

/** A new period rule of the caller's region; 409 if the code is taken (built-in codes included). */
export async function createPeriodRule(db: Db, ctx: WriteContext, input: PeriodRuleInput): Promise<PeriodRuleRow> {
  return db.transaction(async (tx) => {
    if (await q.findRule(tx, ctx.regionCode, input.code)) throw conflict(`Region ${ctx.regionCode} already has a period rule ${input.code}.`)
    const row = await q.insertRule(tx, { ...input, description: input.description ?? '', regionCode: ctx.regionCode, builtIn: false, createdAt: ctx.now, updatedAt: ctx.now })
    await q.bumpRevision(tx, ctx.regionCode)
    await appendAudit(tx, ctx, { action: 'calendar.rule.create', targetType: 'period_rule', targetId: `${ctx.regionCode}:${input.code}`, details: { ...input } })
    return row
  })
}
