// A single correction to a stored arrangement (PATCH /v1/calendar/{year}): add or remove one rest day
// of a holiday, or one make-up working day. The result is validated like a whole arrangement.
import { isoOf, tryDayNumberOf, type HolidayRange, type MakeupWorkday, type YearArrangement } from '../../lib/calendar/index.js'
import { badRequest, unprocessable } from '../../lib/problems.js'

export const correctionOps = ['add_holiday', 'remove_holiday', 'add_makeup_workday', 'remove_makeup_workday'] as const
export type CorrectionOp = (typeof correctionOps)[number]

export interface Correction {
  op: CorrectionOp
  date: string
  name?: string | undefined
  nameEn?: string | undefined
}

const byDate = (a: { from: string }, b: { from: string }) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)

/** Which fields each operation takes beyond `op` and `date`: anything else is refused, not ignored. */
function checkFields(c: Correction): void {
  const errors: { pointer: string; message: string }[] = []
  if (c.op === 'add_holiday' && (c.name === undefined || c.name.trim() === '')) errors.push({ pointer: '/body/name', message: 'is required to add a holiday day' })
  if (c.op !== 'add_holiday' && c.nameEn !== undefined) errors.push({ pointer: '/body/nameEn', message: `is not used by ${c.op}` })
  if (c.op.startsWith('remove_') && c.name !== undefined) errors.push({ pointer: '/body/name', message: `is not used by ${c.op}` })
  if (errors.length) throw badRequest(errors.map((e) => `${e.pointer} ${e.message}`).join('; '), errors)
}

/** The arrangement with the correction applied; a 422 problem when it does not apply to this arrangement. */
export function applyCorrection(a: YearArrangement, c: Correction): YearArrangement {
  checkFields(c)
  const day = tryDayNumberOf(c.date)
  if (day === null) throw badRequest('/body/date is not a calendar date', [{ pointer: '/body/date', message: 'not a calendar date (YYYY-MM-DD)' }])
  const reject = (message: string) => unprocessable(`${c.date}: ${message}`, [{ pointer: '/body/date', message }])
  const holidays: HolidayRange[] = a.holidays.map((h) => ({ ...h }))
  let makeupWorkdays: MakeupWorkday[] = a.makeupWorkdays.map((m) => ({ ...m }))
  const containing = holidays.find((h) => c.date >= h.from && c.date <= h.to)
  const makeup = makeupWorkdays.find((m) => m.date === c.date)

  switch (c.op) {
    case 'add_holiday': {
      if (containing) throw reject(`already a rest day of ${containing.name} (${containing.from}..${containing.to})`)
      if (makeup) throw reject('is a make-up working day in this arrangement; remove it first')
      const name = c.name!.trim()
      // The day joins a break of the same name it touches, so a break stays one range.
      const before = holidays.find((h) => h.name === name && h.to === isoOf(day - 1))
      const after = holidays.find((h) => h.name === name && h.from === isoOf(day + 1))
      if (before && after) {
        before.to = after.to
        holidays.splice(holidays.indexOf(after), 1)
      } else if (before) before.to = c.date
      else if (after) after.from = c.date
      else holidays.push({ name, ...(c.nameEn ? { nameEn: c.nameEn } : {}), from: c.date, to: c.date })
      break
    }
    case 'remove_holiday': {
      if (!containing) throw reject(`is not a rest day of any holiday in the ${a.year} arrangement`)
      const parts: HolidayRange[] = []
      if (containing.from < c.date) parts.push({ ...containing, to: isoOf(day - 1) })
      if (containing.to > c.date) parts.push({ ...containing, from: isoOf(day + 1) })
      holidays.splice(holidays.indexOf(containing), 1, ...parts)
      break
    }
    case 'add_makeup_workday':
      if (makeup) throw reject('is already a make-up working day')
      makeupWorkdays.push({ date: c.date, ...(c.name ? { name: c.name } : {}) })
      break
    case 'remove_makeup_workday':
      if (!makeup) throw reject(`is not a make-up working day in the ${a.year} arrangement`)
      makeupWorkdays = makeupWorkdays.filter((m) => m !== makeup)
      break
  }
  holidays.sort(byDate)
  makeupWorkdays.sort((x, y) => byDate({ from: x.date }, { from: y.date }))
  return { ...a, holidays, makeupWorkdays }
}
