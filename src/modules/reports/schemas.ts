// Request and response schemas of reports, the period summary and the reporting settings.
import { Type, type Static } from 'typebox'
import { PaginationQuery, ref, UpdatedSinceQuery } from '../../http/schemas.js'
import { reportStatuses, reportTypes, sections } from './service.js'
import { departmentFieldDescription } from '../reference/department-field.js'

const instant = Type.String({ format: 'date-time' })
const isoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const count = (description: string) => Type.Integer({ minimum: 0, description })
const MONTH = '^\\d{4}-(0[1-9]|1[0-2])$'
const PHASE = '^[a-z][a-z0-9_]{0,39}$'

const sectionText = (s: (typeof sections)[number]) => Type.String({ maxLength: 20000, description: `${s.zh} (${s.en}). Markdown.` })
const sectionProperties = Object.fromEntries(sections.map((s) => [s.key, sectionText(s)])) as Record<(typeof sections)[number]['key'], ReturnType<typeof sectionText>>
const optionalSections = Object.fromEntries(sections.map((s) => [s.key, Type.Optional(sectionText(s))])) as {
  [K in keyof typeof sectionProperties]: ReturnType<typeof Type.Optional<(typeof sectionProperties)[K]>>
}

export const ReportFiguresSchema = Type.Object(
  {
    catalogItemsAdded: count("Disclosure items the department added to the catalog's working set."),
    catalogItemsChanged: count('Disclosure items edited or reinstated (each change counts).'),
    catalogItemsRetired: count('Disclosure items retired.'),
    noticesPublished: count('Notices published in the period (a revision counts as a publication).'),
    noticesConcluded: count('Notices concluded in the period (no objection, or objections rejected).'),
    objectionsReceived: count("Objections received on the department's notices."),
    objectionsResolved: count('Objections resolved (upheld or rejected).'),
    reviewDeadlinesMet: count('Review decisions due in the period and made by their due date.'),
    reviewDeadlinesMissed: count('Review decisions due in the period made late, or still not made once due.'),
    noticesWithFormationDate: count('Notices published in the period whose information formation date is known.'),
    averageDaysToPublish: nullable(Type.Number({ description: 'Average days from the formation of the information to its publication, over those notices (one decimal).' })),
  },
  { $id: 'ReportFigures', additionalProperties: false, description: 'Figures the system fills in for the department and period: frozen at submission, live while the report is written.' },
)

const listProperties = {
  id: Type.String({ format: 'uuid' }),
  regionCode: Type.String(),
  departmentCode: Type.String(),
  type: Type.Enum(reportTypes, { description: '`monthly` (月度工作报告) or `pilot_summary` (the pilot phase report, 试点工作总结报告).' }),
  period: Type.String({ description: '`YYYY-MM` for a monthly report, the phase code for a pilot report.' }),
  status: Type.Enum(reportStatuses, { description: 'draft → submitted → accepted, or returned (editable again) → submitted.' }),
  dueAt: Type.String({ format: 'date-time', description: "24:00 Asia/Shanghai of the due day; fixed at the first submission." }),
  late: Type.Boolean({ description: 'First submitted after dueAt — or not submitted and past it. A returned report is measured by its first submission.' }),
  author: Type.String(),
  lastEditor: Type.String(),
  firstSubmittedAt: nullable(instant),
  submittedAt: nullable(instant),
  submitter: nullable(Type.String()),
  reviewedAt: nullable(instant),
  reviewer: nullable(Type.String({ description: 'Who at the district office accepted or returned it.' })),
  reviewComment: nullable(Type.String({ description: 'The comment of the last acceptance or return.' })),
  acceptedAt: nullable(instant),
  returnCount: Type.Integer({ minimum: 0 }),
  createdAt: instant,
  updatedAt: instant,
}

export const ReportListItemSchema = Type.Object(listProperties, { $id: 'ReportListItem', additionalProperties: false, description: 'A report without its sections and figures.' })
export type ReportListItem = Static<typeof ReportListItemSchema>

const HistoryEntrySchema = Type.Object(
  { action: Type.Enum(['create', 'submit', 'accept', 'return']), actor: Type.String(), at: instant, comment: nullable(Type.String()) },
  { additionalProperties: false },
)

export const ReportSchema = Type.Object(
  {
    ...listProperties,
    ...sectionProperties,
    figures: ref(ReportFiguresSchema),
    figuresAsOf: Type.String({ format: 'date-time', description: 'When the figures were counted.' }),
    figuresFrozen: Type.Boolean({ description: 'true once submitted: the figures the district office received.' }),
    history: Type.Array(HistoryEntrySchema, { description: 'Created, submitted, accepted, returned: who and when (from the audit log).' }),
  },
  { $id: 'Report', additionalProperties: false, description: "A department's monthly report (月度工作报告) or pilot phase report to the district office." },
)
export type ReportDto = Static<typeof ReportSchema>

export const CreateReportRequest = Type.Object(
  {
    departmentCode: Type.String({ maxLength: 64, description: departmentFieldDescription }),
    type: Type.Enum(reportTypes, { default: 'monthly' }),
    period: Type.String({ maxLength: 40, description: '`YYYY-MM` for a monthly report; a pilot phase code (GET /v1/reports/settings) for a pilot report.' }),
    ...optionalSections,
  },
  { additionalProperties: false },
)
export const UpdateReportRequest = Type.Object(optionalSections, { additionalProperties: false, minProperties: 1 })

export const ReportParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false })

export const ReportListQuery = Type.Object(
  {
    type: Type.Optional(Type.Enum(reportTypes)),
    period: Type.Optional(Type.String({ maxLength: 40, description: '`YYYY-MM`, or a phase code.' })),
    department: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(Type.Enum(reportStatuses)),
    ...PaginationQuery,
    ...UpdatedSinceQuery,
  },
  { additionalProperties: false },
)

const periodQuery = {
  month: Type.Optional(Type.String({ pattern: MONTH, description: 'The month of the monthly reports (`YYYY-MM`).' })),
  phase: Type.Optional(Type.String({ pattern: PHASE, description: 'Or a pilot phase code, for its phase reports.' })),
}
export const SummaryQuery = Type.Object(periodQuery, { additionalProperties: false, description: 'Give month or phase.' })
export const ExportQuery = Type.Object(
  { ...periodQuery, format: Type.Enum(['xlsx', 'markdown'], { default: 'xlsx', description: '`xlsx` (a spreadsheet, one row per department) or `markdown` (the bound volume).' }) },
  { additionalProperties: false },
)

const summaryStatuses = ['missing', ...reportStatuses] as const
export const ReportingSummarySchema = Type.Object(
  {
    type: Type.Enum(reportTypes),
    period: Type.String(),
    from: isoDate,
    to: isoDate,
    dueDate: Type.String({ format: 'date', description: 'The due day under the current rule (24:00 Asia/Shanghai).' }),
    dueAt: instant,
    dueDateProvisional: Type.Boolean({ description: "The due day relies on a provisional calendar year (next year's holidays not announced yet)." }),
    departments: Type.Array(
      Type.Object(
        {
          departmentCode: Type.String(),
          departmentName: Type.String(),
          required: Type.Boolean({ description: 'Must report (the settings); departments that reported without having to are listed too.' }),
          status: Type.Enum(summaryStatuses),
          late: Type.Boolean(),
          dueAt: instant,
          reportId: nullable(Type.String({ format: 'uuid' })),
          firstSubmittedAt: nullable(instant),
          reviewer: nullable(Type.String()),
          figures: ref(ReportFiguresSchema),
        },
        { additionalProperties: false },
      ),
    ),
    counts: Type.Object(
      {
        expected: count('Departments that must report.'),
        missing: count('No report at all.'),
        draft: count('Still a draft.'),
        submitted: count('Submitted, waiting for the district office.'),
        accepted: count('Accepted.'),
        returned: count('Returned for improvement.'),
        onTime: count('First submitted by the due date.'),
        late: count('First submitted after it, or not submitted and past it.'),
      },
      { additionalProperties: false, description: 'Over the departments that must report.' },
    ),
    totals: ref(ReportFiguresSchema),
  },
  { $id: 'ReportingSummary', additionalProperties: false, description: "One period at the district office: every department that must report, its report's status, lateness and figures; the region's totals." },
)
export type ReportingSummaryDto = Static<typeof ReportingSummarySchema>

const DueRuleSchema = Type.Union(
  [
    Type.Object({ type: Type.Literal('nth_working_day_of_next_month'), n: Type.Integer({ minimum: 1, maximum: 20 }) }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('day_of_next_month'), day: Type.Integer({ minimum: 1, maximum: 31, description: 'A rest day moves to the next working day.' }) }, { additionalProperties: false }),
  ],
  { description: "When a month's report falls due: the nth working day of the following month (default 5), or a fixed day of it." },
)
const PilotPhaseSchema = Type.Object(
  {
    code: Type.String({ pattern: PHASE }),
    nameZh: Type.String({ minLength: 1, maxLength: 100 }),
    from: Type.String({ format: 'date', description: 'First day the phase covers.' }),
    to: Type.String({ format: 'date', description: 'Last day it covers (its figures run to 24:00).' }),
    dueDate: Type.String({ format: 'date', description: 'The last day to submit the phase report.' }),
  },
  { additionalProperties: false },
)
const settingsProperties = {
  dueRule: DueRuleSchema,
  departments: nullable(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 500, uniqueItems: true, description: 'The departments that must report; null: every office, bureau, centre, subdistrict and township of the region.' })),
  pilotPhases: Type.Array(PilotPhaseSchema, { maxItems: 20 }),
}
export const ReportSettingsSchema = Type.Object(
  { regionCode: Type.String(), ...settingsProperties, version: Type.Integer({ description: '0 while the region uses the defaults.' }), updatedAt: nullable(instant) },
  { $id: 'ReportSettings', additionalProperties: false, description: "The region's reporting rules." },
)
export const ReportSettingsRequest = Type.Object(settingsProperties, { additionalProperties: false })
