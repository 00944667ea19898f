// The triggering moment of a period as callers write it: an RFC 3339 instant, or a calendar date that
// means that day in Asia/Shanghai. Parsed by hand so that the result never depends on the process time
// zone, nor on Date.parse's leniency (it accepts 2025-02-30, and reads offset-less times as local).
import { MS_PER_DAY, SHANGHAI_OFFSET_MS, tryDayNumberOf } from '../../lib/calendar/index.js'

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
const INSTANT = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

/** The instant, or null when the text is neither an RFC 3339 date-time nor a real `YYYY-MM-DD` date. */
export function parseStart(text: string): Date | null {
  if (DATE_ONLY.test(text)) {
    const day = tryDayNumberOf(text)
    // 00:00 Asia/Shanghai of that date (UTC+8, no daylight saving since 1991).
    return day === null ? null : new Date(day * MS_PER_DAY - SHANGHAI_OFFSET_MS)
  }
  const m = INSTANT.exec(text)
  if (!m) return null
  const day = tryDayNumberOf(m[1]!)
  const [hours, minutes, seconds] = [Number(m[2]), Number(m[3]), Number(m[4])]
  if (day === null || hours > 23 || minutes > 59 || seconds > 59) return null
  let offsetMinutes = 0
  if (!m[6]) {
    const [oh, om] = [Number(m[8]), Number(m[9])]
    if (oh > 23 || om > 59) return null
    offsetMinutes = (m[7] === '-' ? -1 : 1) * (oh * 60 + om)
  }
  const millis = m[5] ? Math.floor(Number(`0${m[5]}`) * 1000) : 0
  return new Date(day * MS_PER_DAY + ((hours * 60 + minutes - offsetMinutes) * 60 + seconds) * 1000 + millis)
}
