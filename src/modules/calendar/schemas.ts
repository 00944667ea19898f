// Request and response schemas of the calendar, period-rule and period endpoints.
import { Type, type Static } from 'typebox'
import { jsonResponse, ListOf, ref } from '../../http/schemas.js'
import { correctionOps } from './corrections.js'
import { closureExample, computationExample, dayExample, ruleExample, yearExample } from './examples.js'
import type { CalendarYearView, ClosureRow, PeriodComputation, PeriodRuleRow } from './service.js'

const IsoDate = (options: { description?: string; examples?: string[] } = {}) => Type.String({ format: 'date', ...options })
const units = ['calendar_day', 'working_day'] as const
const UnitSchema = Type.Enum(units, { description: '`calendar_day`: every day counts (a last day on a rest day moves to the next working day); `working_day`: only working days of the official calendar count.' })
const dayReasons = ['weekday', 'weekend', 'holiday', 'makeup_workday', 'closure'] as const
const ReasonSchema = Type.Enum(dayReasons, { description: 'Why the day is worked or not: an ordinary `weekday` or `weekend`, a `holiday` of the official arrangement, a `makeup_workday` (a weekend day worked, 调休上班), or a region `closure`.' })
export const RULE_CODE = '^[A-Z][A-Z0-9_]{2,40}$'

// --- the calendar ----------------------------------------------------------------------------------

export const HolidayRangeSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50, description: 'The holiday as the notice names it.', examples: ['国庆节'] }),
    nameEn: Type.Optional(Type.String({ minLength: 1, maxLength: 100, examples: ['National Day'] })),
    from: IsoDate({ description: 'First rest day of the break.' }),
    to: IsoDate({ description: 'Last rest day of the break (inclusive); weekends inside the break are part of it.' }),
  },
  { $id: 'HolidayRange', description: 'One announced break: every day from `from` to `to` is a rest day.', additionalProperties: false },
)

export const MakeupWorkdaySchema = Type.Object(
  {
    date: IsoDate({ description: 'A Saturday or Sunday declared a working day.' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'The holiday it makes up for.', examples: ['国庆节'] })),
  },
  { $id: 'MakeupWorkday', description: 'A make-up working day (调休上班).', additionalProperties: false },
)

export const RegionClosureSchema = Type.Object(
  {
    regionCode: Type.String({ description: 'The region the closure applies to.' }),
    date: IsoDate(),
    name: Type.String({ description: 'Why the region closed.' }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'RegionClosure', description: "A region's own rest day on top of the national arrangement (an emergency closure). It turns a working day into a rest day.", additionalProperties: false },
)

export const SpecialDaySchema = Type.Object(
  {
    date: IsoDate(),
    kind: Type.Enum(['holiday', 'makeup_workday', 'closure'] as const),
    name: Type.Union([Type.String(), Type.Null()], { description: 'The holiday (or closure) name; null for a make-up day given without one.' }),
    nameEn: Type.Optional(Type.String()),
  },
  { $id: 'SpecialDay', description: 'A day that is not an ordinary weekday or weekend.', additionalProperties: false },
)

export const CalendarYearSchema = Type.Object(
  {
    year: Type.Integer(),
    regionCode: Type.String(),
    status: Type.Enum(['official', 'provisional'] as const, {
      description: '`official`: the State Council arrangement is loaded. `provisional`: not published yet; computed from the statutory holidays (no bridging, no make-up days) — periods relying on it say so.',
    }),
    source: Type.Enum(['package', 'admin', 'computed'] as const, {
      description: '`package`: seeded from the maintained official data; `admin`: loaded or corrected through this API; `computed`: nothing stored, the provisional arrangement.',
    }),
    version: Type.Integer({ description: 'Stored version of the year; 0 when nothing is stored.' }),
    updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    holidays: Type.Array(ref(HolidayRangeSchema), { description: "The year's arrangement as announced; a New Year break may start in the previous December." }),
    makeupWorkdays: Type.Array(ref(MakeupWorkdaySchema)),
    closures: Type.Array(ref(RegionClosureSchema), { description: "The region's own closures in this year." }),
    specialDays: Type.Array(ref(SpecialDaySchema), { description: 'Every day from 1 January to 31 December that is a holiday rest day, a make-up working day or a closure, in date order.' }),
  },
  { $id: 'CalendarYear', description: "One year of a region's working-day calendar.", additionalProperties: false },
)

export const CalendarDaySchema = Type.Object(
  {
    date: IsoDate(),
    weekday: Type.Integer({ minimum: 1, maximum: 7, description: 'ISO day of the week: 1 = Monday … 7 = Sunday.' }),
    working: Type.Boolean(),
    reason: ReasonSchema,
    name: Type.Optional(Type.String({ description: 'Holiday, make-up or closure name.' })),
    nameEn: Type.Optional(Type.String()),
    provisional: Type.Boolean({ description: 'The answer relies on a provisional arrangement (this year, or next year for 25–31 December).' }),
  },
  { $id: 'CalendarDay', description: 'One day of the calendar: worked or not, and why.', additionalProperties: false },
)

// --- period rules ----------------------------------------------------------------------------------

export const PeriodRuleSchema = Type.Object(
  {
    code: Type.String({ pattern: RULE_CODE, examples: ['PUBLICITY_7WD'] }),
    regionCode: Type.String(),
    unit: UnitSchema,
    length: Type.Integer({ minimum: 1, maximum: 366 }),
    nameZh: Type.String(),
    nameEn: Type.String(),
    legalSource: Type.String({ description: 'Where the period comes from (law, regulation, the programme).' }),
    description: Type.String(),
    builtIn: Type.Boolean({ description: 'Defined by gongkai itself (the periods the programme and the law name); cannot be changed through the API.' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'PeriodRule', description: 'A statutory period (法定期间): its unit and length and where it comes from.', additionalProperties: false },
)

// --- computing a period ----------------------------------------------------------------------------

export const ExplainedDaySchema = Type.Object(
  { date: IsoDate(), reason: ReasonSchema, name: Type.Optional(Type.String()) },
  { $id: 'ExplainedDay', description: 'A day of the period and why it counted or was skipped.', additionalProperties: false },
)

export const PeriodComputationSchema = Type.Object(
  {
    regionCode: Type.String(),
    rule: Type.Object(
      {
        code: Type.Union([Type.String(), Type.Null()], { description: 'null for an ad-hoc unit and length.' }),
        unit: UnitSchema,
        length: Type.Integer(),
        nameZh: Type.Union([Type.String(), Type.Null()]),
        nameEn: Type.Union([Type.String(), Type.Null()]),
        legalSource: Type.Union([Type.String(), Type.Null()]),
      },
      { additionalProperties: false, description: 'The rule applied.' },
    ),
    triggerDate: IsoDate({ description: 'Asia/Shanghai date of `start`; not counted (Civil Code art. 201).' }),
    firstDay: IsoDate({ description: 'The day after the trigger (calendar days) or the first working day after it (working days).' }),
    lastDay: IsoDate({ description: 'The last day of the period.' }),
    nominalLastDay: IsoDate({ description: 'Trigger + length (calendar days) before a rest day moved it; equals lastDay for working days.' }),
    endsAt: Type.String({ format: 'date-time', description: '24:00 Asia/Shanghai of lastDay (Civil Code art. 203), i.e. 16:00 UTC.' }),
    movedFromRestDay: Type.Boolean({ description: 'The nominal last day was a rest day and the end moved to the next working day (art. 203).' }),
    movedFrom: Type.Union([IsoDate(), Type.Null()]),
    provisional: Type.Boolean({ description: 'The result relies on a year whose official arrangement is not loaded yet: not a legal deadline until it is.' }),
    provisionalYears: Type.Array(Type.Integer()),
    explanation: Type.Optional(
      Type.Object(
        {
          counted: Type.Array(ref(ExplainedDaySchema), { description: 'The days that make up the period.' }),
          skipped: Type.Array(ref(ExplainedDaySchema), { description: 'Rest days passed over, with why (weekend, holiday name, closure).' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { $id: 'PeriodComputation', description: 'When a statutory period ends, and why.', additionalProperties: false },
)

export const calendarSchemas = [
  HolidayRangeSchema,
  MakeupWorkdaySchema,
  RegionClosureSchema,
  SpecialDaySchema,
  CalendarYearSchema,
  CalendarDaySchema,
  PeriodRuleSchema,
  ExplainedDaySchema,
  PeriodComputationSchema,
]

export type CalendarYear = Static<typeof CalendarYearSchema>
export type RegionClosure = Static<typeof RegionClosureSchema>
export type PeriodRule = Static<typeof PeriodRuleSchema>
export type PeriodComputationBody = Static<typeof PeriodComputationSchema>
export type CalendarDayBody = Static<typeof CalendarDaySchema>

// --- requests and responses ------------------------------------------------------------------------

export const RegionQuery = {
  region: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'Region code; the deployment default when omitted.' })),
}

export const YearParams = Type.Object(
  { year: Type.Integer({ minimum: 1901, maximum: 2099, description: 'A Gregorian year the calendar covers (1901–2099).' }) },
  { additionalProperties: false },
)
export const YearQuery = Type.Object(RegionQuery, { additionalProperties: false })
export const CalendarYearResponse = jsonResponse(ref(CalendarYearSchema), yearExample, 'The year, with an ETag to send back as If-Match when you change it.')

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({ maxLength: 512, description: "The ETag of the year as you read it. Optional; when given and the year has changed since, the answer is 412." }),
  ),
})

export const PutYearBody = Type.Object(
  {
    holidays: Type.Array(ref(HolidayRangeSchema), { maxItems: 40, description: 'Each announced break with its name; ranges must not overlap.' }),
    makeupWorkdays: Type.Array(ref(MakeupWorkdaySchema), { maxItems: 30, description: 'The Saturdays and Sundays worked; each must be a weekend day outside every break.' }),
  },
  {
    additionalProperties: false,
    examples: [{ holidays: yearExample.holidays, makeupWorkdays: yearExample.makeupWorkdays }],
    description: "The State Council's holiday arrangement for the year (国务院办公厅关于节假日安排的通知).",
  },
)

export const PatchYearBody = Type.Object(
  {
    op: Type.Enum(correctionOps, {
      description:
        '`add_holiday`: make `date` a rest day of holiday `name` (joining a break of that name it touches); `remove_holiday`: make `date` an ordinary day again (splitting its break); `add_makeup_workday`: make the weekend day `date` a working day; `remove_makeup_workday`: undo one.',
    }),
    date: IsoDate(),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'Holiday name (required for add_holiday; optional for add_makeup_workday).' })),
    nameEn: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'English holiday name (add_holiday only).' })),
  },
  { additionalProperties: false, examples: [{ op: 'add_holiday', date: '2025-10-09', name: '国庆节', nameEn: 'National Day' }], description: 'One correction to a stored year.' },
)

export const DaysQuery = Type.Object(
  {
    from: IsoDate({ description: 'First day (inclusive).' }),
    to: IsoDate({ description: 'Last day (inclusive); at most 366 days after from.' }),
    ...RegionQuery,
  },
  { additionalProperties: false },
)
export const CalendarDayListResponse = jsonResponse(ListOf(ref(CalendarDaySchema)), { items: [dayExample], nextCursor: null }, 'Every day of the range, in order (one page: nextCursor is always null).')

export const ClosureBody = Type.Object(
  {
    date: IsoDate({ description: 'The day the region closes.' }),
    name: Type.String({ minLength: 1, maxLength: 100, description: 'Why (shown wherever the day is explained).' }),
  },
  { additionalProperties: false, examples: [{ date: '2025-07-22', name: '防汛应急停工' }] },
)
export const ClosureParams = Type.Object({ date: IsoDate() }, { additionalProperties: false })
export const ClosureResponse = jsonResponse(ref(RegionClosureSchema), closureExample, 'The closure, in force for every later computation.')

export const RuleParams = Type.Object({ code: Type.String({ pattern: RULE_CODE }) }, { additionalProperties: false })
export const RuleListQuery = Type.Object(RegionQuery, { additionalProperties: false })
export const RuleListResponse = jsonResponse(ListOf(ref(PeriodRuleSchema)), { items: [ruleExample], nextCursor: null }, 'The rules of the region, by code (one page).')
export const RuleResponse = jsonResponse(ref(PeriodRuleSchema), ruleExample, 'The rule.')
export const RuleBody = Type.Object(
  {
    code: Type.String({ pattern: RULE_CODE, description: 'Stable code: capital letters, digits and underscores.' }),
    unit: UnitSchema,
    length: Type.Integer({ minimum: 1, maximum: 366 }),
    nameZh: Type.String({ minLength: 1, maxLength: 200 }),
    nameEn: Type.String({ minLength: 1, maxLength: 200 }),
    legalSource: Type.String({ minLength: 1, maxLength: 1000, description: 'The law, regulation or document the period comes from, with the article.' }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        code: 'HEARING_NOTICE_5WD',
        unit: 'working_day',
        length: 5,
        nameZh: '听证会举行5个工作日前通知',
        nameEn: 'Hearing notice 5 working days ahead',
        legalSource: '《中华人民共和国行政许可法》第四十八条',
      },
    ],
  },
)

export const ComputeQuery = Type.Object(RegionQuery, { additionalProperties: false })
export const ComputeBody = Type.Object(
  {
    start: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'The triggering instant (publication, receipt of materials): RFC 3339 (`2025-09-26T18:30:00+08:00`) or a date (`2025-09-26`, that day in Asia/Shanghai). Its Asia/Shanghai date is not counted.',
    }),
    rule: Type.Optional(Type.String({ pattern: RULE_CODE, description: 'A period rule code (GET /v1/period-rules). Give either rule, or unit and length.' })),
    unit: Type.Optional(UnitSchema),
    length: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
    explain: Type.Optional(Type.Boolean({ default: true, description: 'List the days counted and skipped.' })),
  },
  { additionalProperties: false, examples: [{ start: '2025-09-26T10:00:00+08:00', rule: 'PUBLICITY_7WD' }] },
)
export const PeriodComputationResponse = jsonResponse(ref(PeriodComputationSchema), computationExample, 'When the period ends, and why.')

// --- mapping service results to responses ----------------------------------------------------------

export function toClosure(row: ClosureRow): RegionClosure {
  return { regionCode: row.regionCode, date: row.date, name: row.name, createdAt: row.createdAt.toISOString() }
}

export function toCalendarYear(v: CalendarYearView): CalendarYear {
  return {
    year: v.year,
    regionCode: v.regionCode,
    status: v.status,
    source: v.source,
    version: v.version,
    updatedAt: v.updatedAt ? v.updatedAt.toISOString() : null,
    holidays: v.holidays,
    makeupWorkdays: v.makeupWorkdays,
    closures: v.closures.map(toClosure),
    specialDays: v.specialDays,
  }
}

export function toPeriodRule(r: PeriodRuleRow): PeriodRule {
  return {
    code: r.code,
    regionCode: r.regionCode,
    unit: r.unit as PeriodRule['unit'],
    length: r.length,
    nameZh: r.nameZh,
    nameEn: r.nameEn,
    legalSource: r.legalSource,
    description: r.description,
    builtIn: r.builtIn,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }
}

export function toPeriodComputation(c: PeriodComputation): PeriodComputationBody {
  return c
}
