// HTTP routes of annual reports. A published report is public; before that only staff of its
// department (or, for the region's report, region-wide staff) see it, with the tables computed live.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { writeContext } from '../../http/access.js'
import { setEtag } from '../../http/preconditions.js'
import { jsonResponse, problemResponses, ref } from '../../http/schemas.js'
import { notFound } from '../../lib/problems.js'
import { holdsRole } from '../auth/guard.js'
import { annualReportMarkdown, annualReportWorkbook, MARKDOWN_MEDIA_TYPE, XLSX_MEDIA_TYPE } from './export.js'
import { annualReportExample, rollupExample } from './examples.js'
import { ActionBody, ActionParams, AnnualReportRequest, AnnualReportSchema, ExportQuery, RollupSchema, ScopeQuery, YearParams } from './schemas.js'
import { annualReportEtag, annualRollup, getAnnualReport, moveAnnualReport, saveAnnualReport } from './service.js'

const bearer = [{ bearerAuth: [] }]

export const annualReportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const departmentOf = (r: FastifyRequest) => (r.query as { department?: string }).department ?? null

  /** The report as the caller may see it: published for anyone, otherwise staff of its scope only. */
  async function visibleReport(request: FastifyRequest, year: number) {
    const department = departmentOf(request)
    const view = await getAnnualReport(app.db, app.config.defaultRegion, year, department, app.clock.now())
    const p = request.principal
    const staff = p !== null && holdsRole(p, ['editor', 'reviewer', 'admin', 'auditor'], department)
    if (view.dto.review?.state !== 'published' && !staff) throw notFound(`No published annual report ${year} for ${department ?? 'the region'}.`)
    return view
  }

  app.get(
    '/v1/annual-reports/:year',
    {
      schema: {
        operationId: 'getAnnualReport',
        tags: ['annual-reports'],
        summary: 'An annual report (a department, or the region)',
        description: 'Published reports are public. Staff of the department (region-wide staff for the region) also see drafts, with tables 三 and 四 computed now from the records and the integrity checks that would refuse submission.',
        security: [{}, { bearerAuth: [] }],
        params: YearParams,
        querystring: ScopeQuery,
        response: { 200: jsonResponse(ref(AnnualReportSchema), annualReportExample, 'The report.'), ...problemResponses(401, 403, 404) },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const view = await visibleReport(request, request.params.year)
      if (view.row) setEtag(reply, annualReportEtag(view.row))
      return view.dto
    },
  )

  app.put(
    '/v1/annual-reports/:year',
    {
      schema: {
        operationId: 'saveAnnualReport',
        tags: ['annual-reports'],
        summary: 'Write the prose sections and the figures of table 二',
        description: 'Creates the report on first save; later saves need its ETag in If-Match. Only a draft or a rejected report can be edited.',
        security: bearer,
        params: YearParams,
        querystring: ScopeQuery,
        body: AnnualReportRequest,
        response: { 200: jsonResponse(ref(AnnualReportSchema), annualReportExample, 'The report.'), ...problemResponses(401, 403, 404, 409, 412, 422, 428) },
      },
      config: { auth: { scopes: ['reports:write'], roles: ['editor'], department: departmentOf } },
    },
    async (request, reply) => {
      const department = departmentOf(request)
      await saveAnnualReport(app.db, writeContext(request), request.params.year, department, request.headers['if-match'] ?? null, request.body)
      const view = await getAnnualReport(app.db, app.config.defaultRegion, request.params.year, department, app.clock.now())
      setEtag(reply, annualReportEtag(view.row!))
      return view.dto
    },
  )

  app.post(
    '/v1/annual-reports/:year/:action',
    {
      schema: {
        operationId: 'moveAnnualReport',
        tags: ['annual-reports'],
        summary: 'Submit, approve, reject, publish or withdraw an annual report',
        description:
          'The review workflow (the approver a reviewer of the department, not the author). Submission freezes tables 三 and 四; submission and publication are refused with a 422 naming each failed integrity check: carry_over, outcome_total, balance, column_total.',
        security: bearer,
        params: ActionParams,
        querystring: ScopeQuery,
        body: ActionBody,
        response: { 200: jsonResponse(ref(AnnualReportSchema), annualReportExample, 'The report.'), ...problemResponses(401, 403, 404, 409, 422) },
      },
      config: { auth: { roles: ['editor', 'reviewer'], department: departmentOf } },
    },
    async (request, reply) => {
      const department = departmentOf(request)
      await moveAnnualReport(app.db, writeContext(request), request.principal!, request.params.year, department, request.params.action, request.body)
      const view = await getAnnualReport(app.db, app.config.defaultRegion, request.params.year, department, app.clock.now())
      setEtag(reply, annualReportEtag(view.row!))
      return view.dto
    },
  )

  app.get(
    '/v1/annual-reports/:year/export',
    {
      schema: {
        operationId: 'exportAnnualReport',
        tags: ['annual-reports'],
        summary: 'An annual report as XLSX or Markdown, in the 30号 layout',
        security: [{}, { bearerAuth: [] }],
        params: YearParams,
        querystring: ExportQuery,
        response: {
          200: {
            description: 'The document.',
            content: { [XLSX_MEDIA_TYPE]: { schema: Type.Unsafe<Buffer | string>({ type: 'string', format: 'binary' }) }, 'text/markdown': { schema: Type.Unsafe<Buffer | string>({ type: 'string' }), example: '# 区住房和城乡建设局2025年政府信息公开工作年度报告\n' } },
          },
          ...problemResponses(401, 403, 404),
        },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const { dto } = await visibleReport(request, request.params.year)
      const name = `annual-report-${request.params.year}-${request.query.department ?? 'region'}`
      if (request.query.format === 'xlsx') {
        reply.header('content-disposition', `attachment; filename="${name}.xlsx"`)
        return reply.type(XLSX_MEDIA_TYPE).send(await annualReportWorkbook(dto))
      }
      reply.header('content-disposition', `attachment; filename="${name}.md"`)
      return reply.type(MARKDOWN_MEDIA_TYPE).send(annualReportMarkdown(dto))
    },
  )

  app.get(
    '/v1/annual-reports/:year/departments',
    {
      schema: {
        operationId: 'getAnnualReportRollup',
        tags: ['annual-reports'],
        summary: "The district roll-up: every department's report and table 三 totals",
        security: bearer,
        params: YearParams,
        response: { 200: jsonResponse(RollupSchema, rollupExample, 'The roll-up.'), ...problemResponses(401, 403) },
      },
      config: { auth: { roles: ['admin', 'auditor'] } },
    },
    async (request) => annualRollup(app.db, app.config.defaultRegion, request.params.year, app.clock.now()),
  )
}
