// The district office's assessment (监测评估、目标考核): indicators per department with the records
// behind every failure, a weighted score, and the region's weights.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { TSchema } from 'typebox'
import { writeContext } from '../../http/access.js'
import { IfMatchHeader, requireIfMatch, setEtag } from '../../http/preconditions.js'
import { jsonResponse, problemResponses, ref } from '../../http/schemas.js'
import { indicatorDefinitions } from './indicators.js'
import { AssessmentQuery, AssessmentSchema, AssessmentSettingsRequest, AssessmentSettingsSchema, WeightsSchema, type AssessmentDto } from './schemas.js'
import { assess, type Assessment } from './service.js'
import { assessmentSettingsEtag, defaultWeights, getAssessmentSettings, indicatorCodes, updateAssessmentSettings, type AssessmentSettings } from './settings.js'

export const assessmentSchemas: TSchema[] = [WeightsSchema, AssessmentSchema, AssessmentSettingsSchema]

const bearer = [{ bearerAuth: [] }]
const ifMatch = { type: 'object', properties: IfMatchHeader } as const
const iso = (d: Date | null) => (d ? d.toISOString() : null)

function toAssessment(a: Assessment): AssessmentDto {
  return {
    regionCode: a.regionCode,
    from: a.from,
    to: a.to,
    asOf: a.asOf.toISOString(),
    weights: a.weights,
    indicators: indicatorCodes.map((code) => ({ code, ...indicatorDefinitions[code] })),
    departments: a.departments.map((d) => ({
      departmentCode: d.department.code,
      departmentName: d.department.nameZh,
      score: d.score,
      indicators: d.indicators.map((i) => ({
        code: i.code,
        nameZh: indicatorDefinitions[i.code].nameZh,
        weight: i.weight,
        numerator: i.numerator,
        denominator: i.denominator,
        value: i.value === null ? null : Math.round(i.value * 10_000) / 10_000,
        failures: i.failures.map((f) => ({ ...f, dueAt: iso(f.dueAt), doneAt: iso(f.doneAt) })),
      })),
    })),
  }
}

const toSettings = (s: AssessmentSettings) => ({ regionCode: s.regionCode, weights: s.weights, version: s.version, updatedAt: iso(s.updatedAt) })

const example: AssessmentDto = {
  regionCode: '230202',
  from: '2026-01-01',
  to: '2026-03-31',
  asOf: '2026-04-15T02:00:00.000Z',
  weights: defaultWeights,
  indicators: indicatorCodes.map((code) => ({ code, ...indicatorDefinitions[code] })),
  departments: [
    {
      departmentCode: 'housing',
      departmentName: '龙沙区住房和城乡建设局',
      score: 82.1,
      indicators: [
        {
          code: 'catalog_completeness',
          nameZh: indicatorDefinitions.catalog_completeness.nameZh,
          weight: 20,
          numerator: 3,
          denominator: 4,
          value: 0.75,
          failures: [{ kind: 'catalog_item', ref: 'affordable_housing.public_rental_lottery', title: '公共租赁住房实物配租 / 摇号结果', reason: 'incomplete_elements', dueAt: null, doneAt: null, href: '/v1/items/affordable_housing.public_rental_lottery', missing: ['/basis/1/documentNumber'] }],
        },
        {
          code: 'timeliness',
          nameZh: indicatorDefinitions.timeliness.nameZh,
          weight: 25,
          numerator: 3,
          denominator: 4,
          value: 0.75,
          failures: [{ kind: 'notice', ref: '3f2a9c1e-5b7d-4e8f-9a01-2b3c4d5e6f70', title: '2026年第一季度住房租赁补贴家庭名单公示', reason: 'published_late', dueAt: '2026-02-27T16:00:00.000Z', doneAt: '2026-03-03T02:00:00.000Z', href: '/v1/notices/3f2a9c1e-5b7d-4e8f-9a01-2b3c4d5e6f70' }],
        },
        { code: 'periods_honoured', nameZh: indicatorDefinitions.periods_honoured.nameZh, weight: 20, numerator: 4, denominator: 4, value: 1, failures: [] },
        { code: 'objections_answered', nameZh: indicatorDefinitions.objections_answered.nameZh, weight: 15, numerator: 2, denominator: 2, value: 1, failures: [] },
        { code: 'reports_on_time', nameZh: indicatorDefinitions.reports_on_time.nameZh, weight: 20, numerator: 2, denominator: 3, value: 0.6667, failures: [{ kind: 'report', ref: 'housing/2026-02', title: '龙沙区住房和城乡建设局 2026-02 月度工作报告', reason: 'not_submitted', dueAt: '2026-03-06T16:00:00.000Z', doneAt: null, href: null }] },
      ],
    },
  ],
}

export const assessmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/assessment',
    {
      schema: {
        operationId: 'getAssessment',
        tags: ['assessment'],
        summary: 'Assess the departments over a period',
        description:
          'For each department (or `department`): every indicator with its numerator, denominator and value, and the records behind each failed case; a score weighted by the region\'s weights (or `weights` for this request). What is due is judged as of now: what is not yet due is not counted.',
        security: bearer,
        querystring: AssessmentQuery,
        response: { 200: jsonResponse(ref(AssessmentSchema), example, 'The assessment.'), ...problemResponses(401, 403, 422) },
      },
      config: { auth: { roles: ['admin', 'auditor'] } },
    },
    async (request) => toAssessment(await assess(app.db, app.config.defaultRegion, request.query, app.clock.now())),
  )

  app.get(
    '/v1/assessment/settings',
    {
      schema: {
        operationId: 'getAssessmentSettings',
        tags: ['assessment'],
        summary: 'The weights of the indicators',
        security: bearer,
        response: { 200: jsonResponse(ref(AssessmentSettingsSchema), { regionCode: '230202', weights: defaultWeights, version: 0, updatedAt: null }, 'The weights.'), ...problemResponses(401, 403) },
      },
      config: { auth: { roles: ['admin', 'auditor'] } },
    },
    async (request, reply) => {
      const settings = await getAssessmentSettings(app.db, app.config.defaultRegion)
      setEtag(reply, assessmentSettingsEtag(settings))
      return toSettings(settings)
    },
  )

  app.put(
    '/v1/assessment/settings',
    {
      schema: {
        operationId: 'updateAssessmentSettings',
        tags: ['assessment'],
        summary: 'Change the weights of the indicators',
        description: 'Decided by a person at the district office (an admin); API clients cannot change them.',
        security: bearer,
        headers: ifMatch,
        body: AssessmentSettingsRequest,
        response: { 200: jsonResponse(ref(AssessmentSettingsSchema), { regionCode: '230202', weights: { ...defaultWeights, timeliness: 30, reports_on_time: 15 }, version: 1, updatedAt: '2026-03-01T02:00:00.000Z' }, 'The weights.'), ...problemResponses(401, 403, 412, 422, 428) },
      },
      config: { auth: { roles: ['admin'] } },
    },
    async (request, reply) => {
      const settings = await updateAssessmentSettings(app.db, writeContext(request), requireIfMatch(request), request.body.weights)
      setEtag(reply, assessmentSettingsEtag(settings))
      return toSettings(settings)
    },
  )
}
