// The working-day calendar (public reads; admins load a year, correct a day, add region closures),
// the period rules, and the public period computation.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { writeContext, type AccessRule } from '../../http/access.js'
import { problemResponses } from '../../http/schemas.js'
import {
  CalendarDayListResponse,
  CalendarYearResponse,
  ClosureBody,
  ClosureParams,
  ClosureResponse,
  ComputeBody,
  ComputeQuery,
  DaysQuery,
  IfMatchHeaders,
  PatchYearBody,
  PeriodComputationResponse,
  PutYearBody,
  RuleBody,
  RuleListQuery,
  RuleListResponse,
  RuleParams,
  RuleResponse,
  toCalendarYear,
  toClosure,
  toPeriodComputation,
  toPeriodRule,
  YearParams,
  YearQuery,
} from './schemas.js'
import * as service from './service.js'
import { setChangesCursor, withChangesCursor } from '../events/list-cursor.js'

export { calendarSchemas } from './schemas.js'

const tags = ['calendar']
const adminOnly: AccessRule = { scopes: ['calendar:write'], roles: ['admin'] }
const bearer = [{ bearerAuth: [] }]

export const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const regionOf = (query: { region?: string | undefined }) => query.region ?? app.config.defaultRegion

  app.get(
    '/v1/calendar/:year',
    {
      schema: {
        operationId: 'getCalendarYear',
        tags,
        summary: "Get a year's working-day calendar",
        description:
          "The year's holiday arrangement (official, or provisional when the State Council has not published it yet), the region's closures, and every special day — holiday rest days with their names, make-up working days, closures. The ETag changes with any change to the calendar; send it back as If-Match when you update the year.",
        security: [],
        params: YearParams,
        querystring: YearQuery,
        response: { 200: CalendarYearResponse, ...problemResponses(404) },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const view = await service.getCalendarYear(app.db, regionOf(request.query), request.params.year)
      reply.header('etag', view.etag)
      return toCalendarYear(view)
    },
  )

  app.get(
    '/v1/calendar/days',
    {
      schema: {
        operationId: 'listCalendarDays',
        tags,
        summary: 'List the days of a range, worked or not and why',
        description: 'For front ends that draw a calendar: each day from `from` to `to` (at most 366 days) with whether it is a working day, the reason (weekend, holiday, make-up working day, closure) and the holiday name.',
        security: [],
        querystring: DaysQuery,
        response: { 200: CalendarDayListResponse, ...problemResponses(404) },
      },
      config: { auth: 'public' },
    },
    async (request) => ({ items: await service.listCalendarDays(app.db, regionOf(request.query), request.query.from, request.query.to), nextCursor: null }),
  )

  app.put(
    '/v1/calendar/:year',
    {
      schema: {
        operationId: 'putCalendarYear',
        tags,
        summary: "Load a year's official holiday arrangement",
        description:
          "Replaces the year's arrangement with the State Council's notice: every break with its name, every make-up working day. Checked before anything is stored — a make-up day must be a Saturday or Sunday outside every break, breaks must not overlap or clash with the neighbouring years — and every problem is listed (422). The year becomes `official`; later computations use it at once, on every instance. Audited.",
        security: bearer,
        params: YearParams,
        headers: IfMatchHeaders,
        body: PutYearBody,
        response: { 200: CalendarYearResponse, ...problemResponses(401, 403, 412, 422, 428) },
      },
      config: { auth: adminOnly },
    },
    async (request, reply) => {
      const ctx = writeContext(request)
      await service.putCalendarYear(app.db, ctx, request.params.year, request.body, request.headers['if-match'])
      const view = await service.getCalendarYear(app.db, ctx.regionCode, request.params.year)
      reply.header('etag', view.etag)
      return toCalendarYear(view)
    },
  )

  app.patch(
    '/v1/calendar/:year',
    {
      schema: {
        operationId: 'correctCalendarYear',
        tags,
        summary: 'Correct one day of a stored year',
        description:
          'Adds or removes one holiday rest day or one make-up working day of a year already stored (404 for a provisional year: load it with PUT). The result is checked like a whole arrangement (422). Audited.',
        security: bearer,
        params: YearParams,
        headers: IfMatchHeaders,
        body: PatchYearBody,
        response: { 200: CalendarYearResponse, ...problemResponses(401, 403, 404, 412, 422, 428) },
      },
      config: { auth: adminOnly },
    },
    async (request, reply) => {
      const ctx = writeContext(request)
      await service.patchCalendarYear(app.db, ctx, request.params.year, request.body, request.headers['if-match'])
      const view = await service.getCalendarYear(app.db, ctx.regionCode, request.params.year)
      reply.header('etag', view.etag)
      return toCalendarYear(view)
    },
  )

  app.post(
    '/v1/calendar/closures',
    {
      schema: {
        operationId: 'addRegionClosure',
        tags,
        summary: "Add a closure to the caller's region",
        description:
          "A region's own rest day on top of the national arrangement (an emergency closure): a working day on that date becomes a rest day for every later computation in the region. Listed in GET /v1/calendar/{year}. Audited.",
        security: bearer,
        body: ClosureBody,
        response: { 201: ClosureResponse, ...problemResponses(401, 403, 409, 422) },
      },
      config: { auth: adminOnly },
    },
    async (request, reply) => {
      const row = await service.addClosure(app.db, writeContext(request), request.body)
      return reply.code(201).send(toClosure(row))
    },
  )

  app.delete(
    '/v1/calendar/closures/:date',
    {
      schema: {
        operationId: 'removeRegionClosure',
        tags,
        summary: "Remove a closure from the caller's region",
        description: 'Later computations count the day as the national calendar has it. Audited.',
        security: bearer,
        params: ClosureParams,
        response: { 204: Type.Null({ description: 'The closure is removed.' }), ...problemResponses(401, 403, 404) },
      },
      config: { auth: adminOnly },
    },
    async (request, reply) => {
      await service.removeClosure(app.db, writeContext(request), request.params.date)
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/v1/period-rules',
    {
      schema: {
        operationId: 'listPeriodRules',
        tags,
        summary: 'List the period rules',
        description: 'The statutory periods of the region: the built-in ones (PUBLICITY_7D, REVIEW_15D, PUBLICITY_7WD, PUBLICITY_10WD, PUBLICITY_30D, DISCLOSE_20WD) and those admins added, each with its legal source.',
        security: [],
        querystring: RuleListQuery,
        response: { 200: withChangesCursor(RuleListResponse), ...problemResponses(404) },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      await setChangesCursor(reply, app.db)
      return { items: (await service.listPeriodRules(app.db, regionOf(request.query))).map(toPeriodRule), nextCursor: null }
    },
  )

  app.get(
    '/v1/period-rules/:code',
    {
      schema: {
        operationId: 'getPeriodRule',
        tags,
        summary: 'Get a period rule by its code',
        security: [],
        params: RuleParams,
        querystring: RuleListQuery,
        response: { 200: RuleResponse, ...problemResponses(404) },
      },
      config: { auth: 'public' },
    },
    async (request) => toPeriodRule(await service.getPeriodRule(app.db, regionOf(request.query), request.params.code)),
  )

  app.post(
    '/v1/period-rules',
    {
      schema: {
        operationId: 'createPeriodRule',
        tags,
        summary: "Add a period rule to the caller's region",
        description: 'A period the law or the programme names that gongkai does not build in: its unit, length (1–366) and legal source. 409 if the code exists. Audited.',
        security: bearer,
        body: RuleBody,
        response: { 201: RuleResponse, ...problemResponses(401, 403, 409) },
      },
      config: { auth: adminOnly },
    },
    async (request, reply) => {
      const row = await service.createPeriodRule(app.db, writeContext(request), request.body)
      return reply.code(201).header('location', `/v1/period-rules/${row.code}`).send(toPeriodRule(row))
    },
  )

  app.post(
    '/v1/periods/compute',
    {
      schema: {
        operationId: 'computePeriod',
        tags,
        summary: 'Compute when a statutory period ends',
        description: [
          'Read-only. Give `start` and either a `rule` code or a `unit` and `length`. Follows the Civil Code on periods (arts. 200–204):',
          'the trigger day is not counted; a calendar-day period whose last day is a rest day ends on the next working day;',
          'a working-day period counts only working days of the official calendar (make-up Saturdays/Sundays included, region closures excluded);',
          'the last day ends at 24:00 Asia/Shanghai (`endsAt`). `provisional` says the result relies on a year whose official arrangement is not loaded yet.',
          '`explanation` (unless `explain` is false) lists the days counted and the days skipped with why.',
        ].join(' '),
        security: [],
        querystring: ComputeQuery,
        body: ComputeBody,
        response: { 200: PeriodComputationResponse, ...problemResponses(404) },
      },
      config: { auth: 'public' },
    },
    async (request) => toPeriodComputation(await service.computeForRule(app.db, regionOf(request.query), request.body)),
  )
}
