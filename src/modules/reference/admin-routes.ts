// Admins maintain departments and domains: they are data, not seed (issue 12). Every write needs the
// admin role and the catalog:publish scope (the district office owns the catalog and its bodies), is
// audited, and changes go through If-Match like every other update.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { AccessRule } from '../../http/access.js'
import { writeContext } from '../../http/access.js'
import { IfMatchHeader, requireIfMatch, setEtag } from '../../http/preconditions.js'
import { problemResponses } from '../../http/schemas.js'
import * as departmentWrites from './department-writes.js'
import * as domainWrites from './domain-writes.js'
import { setChangesCursor, withChangesCursor } from '../events/list-cursor.js'
import {
  CreateDepartmentRequest,
  CreateDomainRequest,
  DepartmentHistoryResponse,
  DepartmentParams,
  DepartmentResponse,
  DomainParams,
  DomainResponse,
  MergeDepartmentRequest,
  MergeDepartmentResponse,
  RetireDepartmentRequest,
  toDepartment,
  toDepartmentChange,
  toDomain,
  UpdateDepartmentRequest,
  UpdateDomainRequest,
} from './schemas.js'

const tags = ['reference']
const bearer = [{ bearerAuth: [] }]
const ifMatch = { type: 'object', properties: IfMatchHeader } as const
const adminOnly: AccessRule = { scopes: ['catalog:publish'], roles: ['admin'] }
const EmptyQuery = Type.Object({}, { additionalProperties: false })

export const referenceAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/departments',
    {
      schema: {
        operationId: 'createDepartment',
        tags,
        summary: 'Register a department',
        description:
          "A bureau, office, the district government, a non-government body a catalog names (kind `enterprise` or `organisation`), or a generic body of a level (`level`). In the admin's region. Its code, name and aliases must be free in the region (409 naming the holder).",
        security: bearer,
        body: CreateDepartmentRequest,
        response: { 201: { ...DepartmentResponse, description: 'The department, created.' }, ...problemResponses(401, 403, 409, 422) },
      },
      config: { auth: adminOnly },
    },
    async (request, reply) => {
      const created = await departmentWrites.createDepartment(app.db, writeContext(request), request.body)
      setEtag(reply, departmentWrites.departmentEtag(created))
      reply.code(201).header('location', `/v1/departments/${created.code}`)
      return toDepartment(created)
    },
  )

  app.patch(
    '/v1/departments/:code',
    {
      schema: {
        operationId: 'updateDepartment',
        tags,
        summary: 'Rename, re-parent or re-classify a department, or set its aliases',
        description:
          'Send only what changes. The code never changes, so items, notices, posts, reports and grants keep pointing at the department after a rename; the former name becomes an alias unless `aliases` is sent too. Needs If-Match (428 without, 412 when stale).',
        security: bearer,
        headers: ifMatch,
        params: DepartmentParams,
        body: UpdateDepartmentRequest,
        response: { 200: DepartmentResponse, ...problemResponses(401, 403, 404, 409, 412, 422, 428) },
      },
      config: { auth: adminOnly },
    },
    async (request, reply) => {
      const updated = await departmentWrites.updateDepartment(app.db, writeContext(request), request.params.code, requireIfMatch(request), request.body)
      setEtag(reply, departmentWrites.departmentEtag(updated))
      return toDepartment(updated)
    },
  )

  app.post(
    '/v1/departments/:code/retire',
    {
      schema: {
        operationId: 'retireDepartment',
        tags,
        summary: 'Retire a department',
        description:
          'For a body dissolved by a reform. It leaves the current lists and the resolver prefers current bodies, but it keeps its items and notices, which stay readable and keep pointing at it; `GET /v1/departments/{code}` and `status=retired` still show it. A department with current sub-units cannot be retired (409). Needs If-Match.',
        security: bearer,
        headers: ifMatch,
        params: DepartmentParams,
        body: RetireDepartmentRequest,
        response: { 200: DepartmentResponse, ...problemResponses(401, 403, 404, 409, 412, 428) },
      },
      config: { auth: adminOnly },
    },
    async (request, reply) => {
      const retired = await departmentWrites.retireDepartment(app.db, writeContext(request), request.params.code, requireIfMatch(request), request.body.reason)
      setEtag(reply, departmentWrites.departmentEtag(retired))
      return toDepartment(retired)
    },
  )

  app.post(
    '/v1/departments/:code/merge',
    {
      schema: {
        operationId: 'mergeDepartment',
        tags,
        summary: 'Merge a department into another',
        description: [
          'For two bodies joined by a reform. The department in the path (If-Match: its ETag) is merged `into` the other:',
          '- its full name and aliases become aliases of the target, so sheets that name it resolve to the target;',
          '- its sub-units move under the target;',
          '- it is retired, with `mergedInto` set.',
          '',
          'What refers to it (catalog items, notices, posts, monthly reports, staff grants) keeps its code and stays readable: records are not rewritten. Move current items to the target by editing them or by a bulk import naming the target; grant its staff on the target.',
        ].join('\n'),
        security: bearer,
        headers: ifMatch,
        params: DepartmentParams,
        body: MergeDepartmentRequest,
        response: { 200: MergeDepartmentResponse, ...problemResponses(401, 403, 404, 409, 412, 422, 428) },
      },
      config: { auth: adminOnly },
    },
    async (request) => {
      const { source, target } = await departmentWrites.mergeDepartment(app.db, writeContext(request), request.params.code, requireIfMatch(request), request.body.into)
      return { source: toDepartment(source), target: toDepartment(target) }
    },
  )

  app.get(
    '/v1/departments/:code/history',
    {
      schema: {
        operationId: 'getDepartmentHistory',
        tags,
        summary: "A department's recorded changes",
        description: 'Each change with who made it, when, and the state after it, newest first, in one page.',
        security: bearer,
        params: DepartmentParams,
        querystring: EmptyQuery,
        response: { 200: withChangesCursor(DepartmentHistoryResponse), ...problemResponses(401, 403, 404) },
      },
      config: { auth: adminOnly },
    },
    async (request, reply) => {
      await setChangesCursor(reply, app.db)
      const regionCode = request.principal!.regionCode
      const changes = await departmentWrites.listDepartmentHistory(app.db, regionCode, request.params.code)
      return { items: changes.map(toDepartmentChange), nextCursor: null }
    },
  )

  app.post(
    '/v1/domains',
    {
      schema: {
        operationId: 'createDomain',
        tags,
        summary: 'Add a disclosure domain',
        description: 'Beyond the pilot\'s seven: the national guides cover 26 areas. Code, name and aliases must be free among all domains (409 naming the holder).',
        security: bearer,
        body: CreateDomainRequest,
        response: { 201: { ...DomainResponse, description: 'The domain, created.' }, ...problemResponses(401, 403, 409, 422) },
      },
      config: { auth: adminOnly },
    },
    async (request, reply) => {
      const created = await domainWrites.createDomain(app.db, writeContext(request), request.body)
      setEtag(reply, domainWrites.domainEtag(created))
      reply.code(201).header('location', `/v1/domains/${created.code}`)
      return toDomain(created)
    },
  )

  app.patch(
    '/v1/domains/:code',
    {
      schema: {
        operationId: 'updateDomain',
        tags,
        summary: 'Change a disclosure domain',
        description: 'Names, description, display order, aliases. The code never changes. A rename keeps the former name as an alias unless `aliases` is sent too. Needs If-Match.',
        security: bearer,
        headers: ifMatch,
        params: DomainParams,
        body: UpdateDomainRequest,
        response: { 200: DomainResponse, ...problemResponses(401, 403, 404, 409, 412, 422, 428) },
      },
      config: { auth: adminOnly },
    },
    async (request, reply) => {
      const updated = await domainWrites.updateDomain(app.db, writeContext(request), request.params.code, requireIfMatch(request), request.body)
      setEtag(reply, domainWrites.domainEtag(updated))
      return toDomain(updated)
    },
  )
}
