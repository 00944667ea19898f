// Operational endpoints: liveness, readiness (the database answers), and the problem type registry
// that each problem's `type` URI points at.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { problemTypes, ProblemError, type ProblemCode } from '../lib/problems.js'
import { jsonResponse, problemResponses } from './schemas.js'

const Health = Type.Object(
  { status: Type.Literal('ok'), database: Type.Optional(Type.Union([Type.Literal('pglite'), Type.Literal('postgres')])) },
  { additionalProperties: false },
)
const HealthResponse = jsonResponse(Health, { status: 'ok', database: 'postgres' }, 'The service is up.')

const ProblemTypeDoc = Type.Object(
  { type: Type.String(), status: Type.Integer(), title: Type.String(), description: Type.String() },
  { additionalProperties: false },
)
const ProblemTypeResponse = jsonResponse(
  ProblemTypeDoc,
  { type: '/problems/precondition-failed', status: 412, title: problemTypes['precondition-failed'].title, description: problemTypes['precondition-failed'].description },
  'The problem type.',
)

export const operationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    {
      schema: { operationId: 'getHealth', tags: ['operations'], summary: 'Liveness: the process is up', security: [], response: { 200: HealthResponse, ...problemResponses() } },
      config: { auth: 'public' },
      logLevel: 'warn',
    },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'getReadiness',
        tags: ['operations'],
        summary: 'Readiness: the database answers',
        description: 'Answers 503 while the database is unreachable, and 200 again as soon as it is back, without a restart.',
        security: [],
        response: { 200: HealthResponse, ...problemResponses(503) },
      },
      config: { auth: 'public' },
      logLevel: 'warn',
    },
    async () => {
      try {
        await app.database.ping(2000)
      } catch (err) {
        app.log.warn({ err }, 'readiness check failed')
        throw new ProblemError('service-unavailable', 'The database does not answer.', { headers: { 'Retry-After': '5' } })
      }
      return { status: 'ok' as const, database: app.database.kind }
    },
  )

  app.get(
    '/problems/:code',
    {
      schema: {
        operationId: 'getProblemType',
        tags: ['operations'],
        summary: 'Describe a problem type',
        description: 'The `type` of every problem response points here.',
        security: [],
        params: Type.Object({ code: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
        response: { 200: ProblemTypeResponse, ...problemResponses(404) },
      },
      config: { auth: 'public' },
    },
    async (request) => {
      // Own keys only: `toString` and friends are not problem types.
      const t = Object.hasOwn(problemTypes, request.params.code) ? (problemTypes as Record<string, (typeof problemTypes)[ProblemCode]>)[request.params.code] : undefined
      if (!t) throw new ProblemError('not-found', `No problem type ${request.params.code}.`)
      return { type: `/problems/${request.params.code}`, status: t.status, title: t.title, description: t.description }
    },
  )
}
