// Request and response schemas of annual reports: the six sections of the 30号 format, tables 二
// (entered), 三 and 四 (computed), the integrity checks and the district roll-up.
import { Type, type Static } from 'typebox'
import { ref } from '../../http/schemas.js'
import { ReviewSchema } from '../review/schemas.js'
import { columnKeys, remedyOutcomeKeys } from './computation.js'
import { integrityChecks } from './integrity.js'

const instant = Type.String({ format: 'date-time' })
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const count = Type.Integer({ minimum: 0, maximum: 10_000_000 })
const prose = (description: string) => Type.String({ maxLength: 50000, description: `${description} Plain text (escaped in the Markdown export).` })

export const YearParams = Type.Object({ year: Type.Integer({ minimum: 2008, maximum: 2099, description: 'The calendar year reported on.' }) })
export const ScopeQuery = Type.Object(
  { department: Type.Optional(Type.String({ maxLength: 64, description: "A department's report; without it, the region's (the district government's, a roll-up of its departments' records)." })) },
  { additionalProperties: false },
)
export const annualReportActions = ['submit', 'approve', 'reject', 'publish', 'withdraw'] as const
export const ActionParams = Type.Object({ year: YearParams.properties.year, action: Type.Enum(annualReportActions) })
export const ActionBody = Type.Object({ comment: Type.Optional(Type.String({ maxLength: 2000 })), reason: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false })
export const ExportQuery = Type.Object({ department: ScopeQuery.properties.department, format: Type.Enum(['xlsx', 'markdown']) }, { additionalProperties: false })

const triple = Type.Object({ issued: count, repealed: count, inForce: count }, { additionalProperties: false })
export const ProactiveFiguresSchema = Type.Object(
  {
    regulations: triple,
    normativeDocuments: triple,
    licensing: count,
    penalties: count,
    enforcement: count,
    feesAmount: Type.Number({ minimum: 0, maximum: 1e9, description: '行政事业性收费, 万元.' }),
  },
  { additionalProperties: false, description: '规章 / 行政规范性文件 (本年制发, 本年废止, 现行有效); 行政许可, 行政处罚, 行政强制 decisions; 行政事业性收费 amount.' },
)

const ColumnsSchema = Type.Object(Object.fromEntries(columnKeys.map((k) => [k, count])) as Record<(typeof columnKeys)[number], typeof count>, {
  additionalProperties: false,
  description: 'natural_person 自然人; business 商业企业, research 科研机构, nonprofit 社会公益组织, legal_service 法律服务机构, other_organisation 其他; total 总计.',
})
const RemedyCountsSchema = Type.Object(Object.fromEntries(remedyOutcomeKeys.map((k) => [k, count])) as Record<(typeof remedyOutcomeKeys)[number], typeof count>, {
  additionalProperties: false,
  description: 'upheld 结果维持, corrected 结果纠正, other 其他结果, pending 尚未审结, total 总计.',
})

export const AnnualReportSchema = Type.Object(
  {
    year: Type.Integer(),
    regionCode: Type.String(),
    departmentCode: nullable(Type.String()),
    scope: Type.Enum(['department', 'region']),
    title: Type.String(),
    dueAt: Type.String({ format: 'date-time', description: '24:00 Asia/Shanghai of the due day: 31 January for departments, 31 March for the government.' }),
    overdue: Type.Boolean({ description: 'Not published by dueAt, or published after it.' }),
    sections: Type.Object(
      { overview: prose('一、总体情况.'), problems: prose('五、存在的主要问题及改进情况.'), otherMatters: prose('六、其他需要报告的事项.') },
      { additionalProperties: false, description: 'Sections 二, 三 and 四 are the tables.' },
    ),
    tables: Type.Object(
      {
        proactive: nullable(Type.Object({ ...ProactiveFiguresSchema.properties, source: Type.Literal('entered') }, { additionalProperties: false, description: '二、主动公开政府信息情况 — entered by the office.' })),
        applications: Type.Object(
          { newReceived: ColumnsSchema, carriedIn: ColumnsSchema, outcomes: Type.Record(Type.String(), ColumnsSchema, { description: 'Keyed by outcome row: disclosed, partially_disclosed, withheld.state_secret, …' }), total: ColumnsSchema, carriedOut: ColumnsSchema },
          { additionalProperties: false, description: '三、收到和处理政府信息公开申请情况 — computed.' },
        ),
        remedies: Type.Object({ review: RemedyCountsSchema, lawsuitDirect: RemedyCountsSchema, lawsuitAfterReview: RemedyCountsSchema }, { additionalProperties: false, description: '四、政府信息公开行政复议、行政诉讼情况 — computed.' }),
      },
      { additionalProperties: false },
    ),
    tablesSource: Type.Enum(['live', 'frozen'], { description: 'live: computed now from the records; frozen: as submitted.' }),
    frozenAt: nullable(instant),
    checks: Type.Array(Type.Object({ check: Type.Enum(integrityChecks), pointer: Type.String(), message: Type.String() }, { additionalProperties: false }), { description: 'Integrity failures; submission and publication are refused while any remains.' }),
    review: nullable(ref(ReviewSchema)),
    version: Type.Integer({ description: '0 while nothing is saved.' }),
    updatedAt: nullable(instant),
  },
  { $id: 'AnnualReport', additionalProperties: false, description: 'An annual report on open government information in the national format (国办公开办函〔2021〕30号).' },
)
export type AnnualReportDto = Static<typeof AnnualReportSchema>

export const AnnualReportRequest = Type.Object(
  {
    overview: Type.Optional(prose('一、总体情况.')),
    problems: Type.Optional(prose('五、存在的主要问题及改进情况.')),
    otherMatters: Type.Optional(prose('六、其他需要报告的事项.')),
    proactive: Type.Optional(ProactiveFiguresSchema),
  },
  { additionalProperties: false },
)
export type AnnualReportInput = Static<typeof AnnualReportRequest>

export const RollupLineSchema = Type.Object(
  {
    departmentCode: Type.String(),
    departmentName: Type.String(),
    state: Type.String({ description: 'The review state, or not_started.' }),
    dueAt: instant,
    overdue: Type.Boolean(),
    newReceived: count,
    handled: count,
    carriedOut: count,
  },
  { additionalProperties: false },
)
export const RollupSchema = Type.Object(
  { year: Type.Integer(), regionCode: Type.String(), departments: Type.Array(RollupLineSchema), totals: Type.Object({ newReceived: count, carriedIn: count, handled: count, carriedOut: count }, { additionalProperties: false }) },
  { additionalProperties: false },
)

export const annualReportSchemas = [AnnualReportSchema]
