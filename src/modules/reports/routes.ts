// Reports to the district office: departments draft, edit (If-Match) and submit their monthly and
// pilot phase reports; the district office (admins) accepts or returns them, follows each period in a
// summary and exports it bound as a spreadsheet or a Markdown volume.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type, type TSchema } from 'typebox'
import { writeContext, type AccessRule } from '../../http/access.js'
import { IfMatchHeader, requireIfMatch, setEtag } from '../../http/preconditions.js'
import { jsonResponse, ListOf, problemResponses, ref } from '../../http/schemas.js'
import { badRequest } from '../../lib/problems.js'
import { ReviewCommentRequest } from '../review/schemas.js'
import { exampleReport } from './examples.js'
import { MARKDOWN_MEDIA_TYPE, periodTitle, reportsMarkdown, reportsWorkbook, XLSX_MEDIA_TYPE } from './export.js'
import { toListItem, toReport, toReportingSummary, toReportSettings } from './present.js'
import {
  CreateReportRequest,
  ExportQuery,
  ReportFiguresSchema,
  ReportingSummarySchema,
  ReportListItemSchema,
  ReportListQuery,
  ReportParams,
  ReportSchema,
  ReportSettingsRequest,
  ReportSettingsSchema,
  SummaryQuery,
  UpdateReportRequest,
} from './schemas.js'
import { createReport, departmentOfReport, departmentsVisibleTo, figuresOfReport, getReport, listReports, readEtag, reportHistory, updateReport, type ReportType } from './service.js'
import { findPhase, getReportSettings, reportSettingsEtag, updateReportSettings } from './settings.js'
import { summarizePeriod } from './summary.js'
import type { ReportRow } from './tables.js'
import { moveReport, type ReportAction } from './workflow.js'
import { attachment } from '../../http/content-disposition.js'
import { resolveNamedFields } from '../reference/department-field.js'
import { setChangesCursor, withChangesCursor } from '../events/list-cursor.js'

export const reportSchemas: TSchema[] = [ReportFiguresSchema, ReportListItemSchema, ReportSchema, ReportingSummarySchema, ReportSettingsSchema]

const bearer = [{ bearerAuth: [] }]
const ifMatch = { type: 'object', properties: IfMatchHeader } as const

/** Staff of a department see its reports; without ?department=, the caller's own department. */
const ownDepartment = (r: FastifyRequest) => (r.query as { department?: string }).department ?? r.principal?.grants.find((g) => g.departmentCode)?.departmentCode ?? null
const readers: AccessRule = { roles: ['editor', 'reviewer', 'admin', 'auditor'], department: ownDepartment }
/** The district office: admins decide, auditors read. */
const districtOffice: AccessRule = { roles: ['admin', 'auditor'] }

function periodOf(query: { month?: string | undefined; phase?: string | undefined }): { type: ReportType; period: string } {
  if (query.month && query.phase) throw badRequest('Give month or phase, not both.', [{ pointer: '/query/phase', message: 'give either month or phase' }])
  if (query.month) return { type: 'monthly', period: query.month }
  if (query.phase) return { type: 'pilot_summary', period: query.phase }
  throw badRequest('Give the month (YYYY-MM) or the pilot phase.', [{ pointer: '/query/month', message: 'is required (or phase)' }])
}

export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ofReport = (request: FastifyRequest) => departmentOfReport(app.db, (request.params as { id: string }).id)
  const readOne: AccessRule = { roles: ['editor', 'reviewer', 'admin', 'auditor'], department: ofReport }
  const edit: AccessRule = { scopes: ['reports:write'], roles: ['editor'], department: ofReport }
  const decide: AccessRule = { scopes: ['review:approve'], roles: ['admin'] }

  async function detail(row: ReportRow) {
    const now = app.clock.now()
    const figures = await figuresOfReport(app.db, row, now)
    return { dto: toReport(row, figures, await reportHistory(app.db, row.id), now), etag: readEtag(row, figures.figures) }
  }

  app.get(
    '/v1/reports',
    {
      schema: {
        operationId: 'listReports',
        tags: ['reports'],
        summary: 'List reports',
        description: "Department staff see their departments' reports; admins and auditors every department's. Newest change first; `updatedSince` for incremental sync.",
        security: bearer,
        querystring: ReportListQuery,
        response: { 200: withChangesCursor(jsonResponse(ListOf(ref(ReportListItemSchema)), { items: [exampleReport.listItem], nextCursor: null }, 'Reports, newest change first.')), ...problemResponses(401, 403) },
      },
      config: { auth: readers },
    },
    async (request, reply) => {
      await setChangesCursor(reply, app.db)
      const { limit, cursor, updatedSince, ...filters } = request.query
      const now = app.clock.now()
      const page = await listReports(app.db, {
        ...filters,
        regionCode: app.config.defaultRegion,
        departments: departmentsVisibleTo(request.principal!),
        updatedSince: updatedSince ? new Date(updatedSince) : undefined,
        limit: limit ?? 50,
        cursor,
      })
      return { items: page.items.map((r) => toListItem(r, now)), nextCursor: page.nextCursor }
    },
  )

  app.post(
    '/v1/reports',
    {
      schema: {
        operationId: 'createReport',
        tags: ['reports'],
        summary: "Start a department's report for a month (or a pilot phase)",
        description: 'One report per department and period (409 when it exists). Its due date follows the region\'s rule (default: the 5th working day of the following month, 24:00 Asia/Shanghai). The period must have begun.',
        security: bearer,
        body: CreateReportRequest,
        response: { 201: jsonResponse(ref(ReportSchema), exampleReport.draft, 'The draft.'), ...problemResponses(401, 403, 409, 422) },
      },
      // A name (区住建局) becomes its code before the body is checked and the editor's grants are.
      preValidation: resolveNamedFields(),
      config: { auth: { scopes: ['reports:write'], roles: ['editor'], department: (r) => (r.body as { departmentCode: string }).departmentCode } },
    },
    async (request, reply) => {
      const row = await createReport(app.db, writeContext(request), request.body)
      const { dto, etag } = await detail(row)
      setEtag(reply, etag)
      reply.header('location', `/v1/reports/${row.id}`)
      return reply.code(201).send(dto)
    },
  )

  app.get(
    '/v1/reports/summary',
    {
      schema: {
        operationId: 'getReportingSummary',
        tags: ['reports'],
        summary: "A period at the district office: who reported, who is missing or late, the totals",
        description: 'Every department that must report (the settings) with its status — missing, draft, submitted, accepted, returned — and whether it is late; counts over those departments; the region\'s figures for the period.',
        security: bearer,
        querystring: SummaryQuery,
        response: { 200: jsonResponse(ref(ReportingSummarySchema), exampleReport.summary, 'The period.'), ...problemResponses(401, 403, 422) },
      },
      config: { auth: districtOffice },
    },
    async (request) => {
      const { type, period } = periodOf(request.query)
      return toReportingSummary(await summarizePeriod(app.db, app.config.defaultRegion, type, period, app.clock.now()))
    },
  )

  app.get(
    '/v1/reports/export',
    {
      schema: {
        operationId: 'exportReports',
        tags: ['reports'],
        summary: "Export a period's reports, bound (XLSX or Markdown)",
        description:
          '`format=xlsx`: a workbook with one row per department (status, due and submission times, the five sections under 进展情况 / 主要做法 / 成果经验 / 矛盾困难 / 下一步建议, the figures, the review) and a sheet of totals. `format=markdown`: the bound volume — one chapter per submitted report, then the departments still missing.',
        security: bearer,
        querystring: ExportQuery,
        response: {
          200: {
            description: 'The bound reports.',
            content: {
              [XLSX_MEDIA_TYPE]: { schema: Type.Unsafe<Buffer | string>({ type: 'string', format: 'binary' }) },
              'text/markdown': { schema: Type.String(), example: '# 政务公开工作月度报告汇编（2026年2月）\n\n报送截止：2026-03-06 24:00（北京时间）。…\n' },
            },
          },
          ...problemResponses(401, 403, 422),
        },
      },
      config: { auth: districtOffice },
    },
    async (request, reply) => {
      const { type, period } = periodOf(request.query)
      const summary = await summarizePeriod(app.db, app.config.defaultRegion, type, period, app.clock.now())
      const phase = type === 'pilot_summary' ? findPhase(await getReportSettings(app.db, app.config.defaultRegion), period) : undefined
      const title = periodTitle(summary, phase?.nameZh)
      const name = `reports-${period}`
      if (request.query.format === 'markdown') {
        return reply.type(MARKDOWN_MEDIA_TYPE).header('content-disposition', attachment(`${name}.md`)).send(reportsMarkdown(summary, title))
      }
      return reply.type(XLSX_MEDIA_TYPE).header('content-disposition', attachment(`${name}.xlsx`)).send(await reportsWorkbook(summary, title))
    },
  )

  app.get(
    '/v1/reports/settings',
    {
      schema: {
        operationId: 'getReportSettings',
        tags: ['reports'],
        summary: 'The reporting rules: due date, who must report, pilot phases',
        security: bearer,
        response: { 200: jsonResponse(ref(ReportSettingsSchema), { regionCode: '230202', dueRule: { type: 'nth_working_day_of_next_month', n: 5 }, departments: null, pilotPhases: [{ code: 'pilot_2018', nameZh: '基层政务公开标准化规范化试点工作总结报告', from: '2017-08-01', to: '2018-04-30', dueDate: '2018-05-10' }], version: 0, updatedAt: null }, 'The settings.'), ...problemResponses(401, 403) },
      },
      config: { auth: { roles: ['editor', 'reviewer', 'admin', 'auditor'], department: (r) => r.principal?.grants.find((g) => g.departmentCode)?.departmentCode ?? null } },
    },
    async (request, reply) => {
      const settings = await getReportSettings(app.db, app.config.defaultRegion)
      setEtag(reply, reportSettingsEtag(settings))
      return toReportSettings(settings)
    },
  )

  app.put(
    '/v1/reports/settings',
    {
      schema: {
        operationId: 'updateReportSettings',
        tags: ['reports'],
        summary: 'Change the reporting rules',
        description: 'Reports not yet submitted take the new due date at their first submission; submitted ones keep theirs. A pilot phase that has reports cannot be removed (409).',
        security: bearer,
        headers: ifMatch,
        body: ReportSettingsRequest,
        response: { 200: jsonResponse(ref(ReportSettingsSchema), { regionCode: '230202', dueRule: { type: 'nth_working_day_of_next_month', n: 5 }, departments: ['civil_affairs', 'housing', 'education'], pilotPhases: [], version: 1, updatedAt: '2026-03-01T02:00:00.000Z' }, 'The settings.'), ...problemResponses(401, 403, 409, 412, 422, 428) },
      },
      config: { auth: { scopes: ['reports:write'], roles: ['admin'] } },
    },
    async (request, reply) => {
      const settings = await updateReportSettings(app.db, writeContext(request), requireIfMatch(request), request.body)
      setEtag(reply, reportSettingsEtag(settings))
      return toReportSettings(settings)
    },
  )

  app.get(
    '/v1/reports/:id',
    {
      schema: {
        operationId: 'getReport',
        tags: ['reports'],
        summary: 'Get a report with its figures and history',
        description: 'Figures are live while the report is written and frozen once submitted.',
        security: bearer,
        params: ReportParams,
        response: { 200: jsonResponse(ref(ReportSchema), exampleReport.report, 'The report.'), ...problemResponses(401, 403, 404) },
      },
      config: { auth: readOne },
    },
    async (request, reply) => {
      const { dto, etag } = await detail(await getReport(app.db, request.params.id))
      setEtag(reply, etag)
      return dto
    },
  )

  app.patch(
    '/v1/reports/:id',
    {
      schema: {
        operationId: 'updateReport',
        tags: ['reports'],
        summary: 'Edit the sections of a draft or returned report',
        security: bearer,
        params: ReportParams,
        headers: ifMatch,
        body: UpdateReportRequest,
        response: { 200: jsonResponse(ref(ReportSchema), exampleReport.draft, 'The report.'), ...problemResponses(401, 403, 404, 409, 412, 428) },
      },
      config: { auth: edit },
    },
    async (request, reply) => {
      const row = await updateReport(app.db, writeContext(request), request.params.id, requireIfMatch(request), request.body)
      const { dto, etag } = await detail(row)
      setEtag(reply, etag)
      return dto
    },
  )

  const moves: { action: ReportAction; summary: string; description: string; rule: AccessRule }[] = [
    {
      action: 'submit',
      summary: 'Submit a report to the district office',
      description: 'draft or returned → submitted. Every section must be written (422 naming the empty ones) and the period over (409). Freezes the figures; the first submission fixes the due date and decides `late`.',
      rule: edit,
    },
    { action: 'accept', summary: 'Accept a submitted report', description: 'submitted → accepted, by an admin of the district office who is not its author or submitter.', rule: decide },
    { action: 'return', summary: 'Return a report for improvement, with a comment', description: 'submitted → returned (editable again), by an admin who is not its author or submitter; the comment is required.', rule: decide },
  ]
  for (const m of moves) {
    app.post(
      `/v1/reports/:id/${m.action}`,
      {
        schema: {
          operationId: `${m.action}Report`,
          tags: ['reports'],
          summary: m.summary,
          description: m.description,
          security: bearer,
          params: ReportParams,
          body: ReviewCommentRequest,
          response: { 200: jsonResponse(ref(ReportSchema), exampleReport.report, 'The report after the move.'), ...problemResponses(401, 403, 404, 409, 422) },
        },
        config: { auth: m.rule },
      },
      async (request, reply) => {
        const row = await moveReport(app.db, writeContext(request), request.principal!, request.params.id, m.action, request.body)
        const { dto, etag } = await detail(row)
        setEtag(reply, etag)
        return dto
      },
    )
  }
}
