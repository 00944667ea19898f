// Request and response schemas of the assessment and its settings.
import { Type, type Static } from 'typebox'
import { ref } from '../../http/schemas.js'
import { failureReasons } from './indicators.js'
import { indicatorCodes } from './settings.js'

const instant = Type.String({ format: 'date-time' })
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const weight = Type.Number({ minimum: 0, maximum: 1000 })

export const WeightsSchema = Type.Object(Object.fromEntries(indicatorCodes.map((c) => [c, weight])) as Record<(typeof indicatorCodes)[number], typeof weight>, {
  $id: 'AssessmentWeights',
  additionalProperties: false,
  description: "Each indicator's relative weight. A department's score counts only the indicators that apply to it, their weights scaled to 100.",
})

const FailureSchema = Type.Object(
  {
    kind: Type.Enum(['notice', 'objection', 'report', 'catalog_item']),
    ref: Type.String({ description: 'The notice id, objection receipt, report id (or `department/month` when there is no report) or catalog item key.' }),
    title: Type.String(),
    reason: Type.Enum(failureReasons),
    dueAt: nullable(instant),
    doneAt: nullable(instant),
    href: nullable(Type.String({ description: 'Where to see or fix it in this API.' })),
    missing: Type.Optional(Type.Array(Type.String(), { description: 'For a catalog item: the elements still to fill, as JSON pointers into the item (`/basis/0/documentNumber`, `/timeLimit/rule`).' })),
  },
  { additionalProperties: false },
)

const IndicatorSchema = Type.Object(
  {
    code: Type.Enum(indicatorCodes),
    nameZh: Type.String(),
    weight,
    numerator: Type.Integer({ minimum: 0 }),
    denominator: Type.Integer({ minimum: 0 }),
    value: nullable(Type.Number({ minimum: 0, maximum: 1, description: 'numerator / denominator, 4 decimals; null when nothing was due.' })),
    failures: Type.Array(FailureSchema, { description: 'The records behind every case counted as failed.' }),
  },
  { additionalProperties: false },
)

export const AssessmentSchema = Type.Object(
  {
    regionCode: Type.String(),
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    asOf: Type.String({ format: 'date-time', description: 'What was due is judged as of this instant.' }),
    weights: Type.Object(Object.fromEntries(indicatorCodes.map((c) => [c, weight])) as Record<(typeof indicatorCodes)[number], typeof weight>, { additionalProperties: false }),
    indicators: Type.Array(Type.Object({ code: Type.Enum(indicatorCodes), nameZh: Type.String(), description: Type.String() }, { additionalProperties: false }), { description: 'How each indicator is counted.' }),
    departments: Type.Array(
      Type.Object(
        {
          departmentCode: Type.String(),
          departmentName: Type.String(),
          score: nullable(Type.Number({ minimum: 0, maximum: 100, description: 'Weighted mean of the indicators that apply, out of 100, one decimal.' })),
          indicators: Type.Array(IndicatorSchema),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { $id: 'Assessment', additionalProperties: false, description: "The district office's assessment (监测评估、目标考核) of its departments over a period, every score explained." },
)
export type AssessmentDto = Static<typeof AssessmentSchema>

export const AssessmentQuery = Type.Object(
  {
    from: Type.String({ format: 'date', description: 'First day of the period (Asia/Shanghai).' }),
    to: Type.String({ format: 'date', description: 'Last day of the period, inclusive.' }),
    department: Type.Optional(Type.String({ maxLength: 64, description: 'One department (default: every department of the region).' })),
    weights: Type.Optional(Type.String({ maxLength: 300, pattern: '^[a-z_]+:[0-9.]+(,[a-z_]+:[0-9.]+)*$', description: 'Weights for this request over the stored ones, e.g. `timeliness:40,reports_on_time:10`.' })),
  },
  { additionalProperties: false },
)

export const AssessmentSettingsSchema = Type.Object(
  { regionCode: Type.String(), weights: ref(WeightsSchema), version: Type.Integer({ description: '0 while the region uses the defaults.' }), updatedAt: nullable(instant) },
  { $id: 'AssessmentSettings', additionalProperties: false },
)
export const AssessmentSettingsRequest = Type.Object({ weights: ref(WeightsSchema) }, { additionalProperties: false })
