// Public reads of reference data: domains and departments, and a name resolved through the resolver.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { setEtag } from '../../http/preconditions.js'
import { readHandle, readOne } from '../../http/read-routing.js'
import { problemResponses } from '../../http/schemas.js'
import { referenceAdminRoutes } from './admin-routes.js'
import { departmentEtag } from './department-writes.js'
import { domainEtag } from './domain-writes.js'
import {
  departmentListDescription,
  DepartmentDetailQuery,
  DepartmentResponse,
  DepartmentListQuery,
  DepartmentListResponse,
  DepartmentParams,
  DomainResponse,
  DomainListResponse,
  DomainParams,
  toDepartment,
  toDepartmentTree,
  toDomain,
  toResolution,
} from './schemas.js'
import * as service from './service.js'
import { setChangesCursor, withChangesCursor } from '../events/list-cursor.js'

export const referenceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/domains',
    {
      schema: {
        operationId: 'listDomains',
        tags: ['reference'],
        summary: 'List the disclosure domains',
        description: 'The areas of disclosure (公开领域): the seven of the pilot and any added since. One page, in display order.',
        security: [],
        response: { 200: withChangesCursor(DomainListResponse), ...problemResponses() },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const db = readHandle(request)
      await setChangesCursor(reply, db)
      return { items: (await service.listDomains(db)).map(toDomain), nextCursor: null }
    },
  )

  app.get(
    '/v1/domains/:code',
    {
      schema: {
        operationId: 'getDomain',
        tags: ['reference'],
        summary: 'Get a disclosure domain',
        security: [],
        params: DomainParams,
        response: { 200: DomainResponse, ...problemResponses(404) },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const domain = await readOne(request, (db) => service.getDomain(db, request.params.code))
      setEtag(reply, domainEtag(domain))
      return toDomain(domain)
    },
  )

  app.get(
    '/v1/departments',
    {
      schema: {
        operationId: 'listDepartments',
        tags: ['reference'],
        summary: 'List departments, flat or as a tree, or resolve a name',
        description: departmentListDescription,
        security: [],
        querystring: DepartmentListQuery,
        response: { 200: withChangesCursor(DepartmentListResponse), ...problemResponses(404) },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const db = readHandle(request)
      await setChangesCursor(reply, db)
      const { region, kind, parent, view, limit, cursor, updatedSince, name } = request.query
      const regionCode = region ?? app.config.defaultRegion
      const status = request.query.status ?? 'active'
      const since = updatedSince ? new Date(updatedSince) : undefined
      if (name !== undefined) {
        const found = await service.findDepartmentsByName(db, regionCode, name)
        return { items: found.items.map(toDepartment), nextCursor: null, resolution: toResolution(found.resolution) }
      }
      if (view === 'tree') {
        const roots = await service.listDepartmentsTree(db, { regionCode, kind, parent, status, updatedSince: since })
        return { items: roots.map(toDepartmentTree), nextCursor: null }
      }
      const page = await service.listDepartmentsFlat(db, { regionCode, kind, parent, status, updatedSince: since, limit: limit ?? 50, cursor })
      return { items: page.items.map(toDepartment), nextCursor: page.nextCursor }
    },
  )

  app.get(
    '/v1/departments/:code',
    {
      schema: {
        operationId: 'getDepartment',
        tags: ['reference'],
        summary: 'Get a department by its code',
        description: 'Retired departments too (their items and notices still point at them). The ETag is what a change (PATCH, retire, merge) sends in If-Match.',
        security: [],
        params: DepartmentParams,
        querystring: DepartmentDetailQuery,
        response: { 200: DepartmentResponse, ...problemResponses(404) },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const department = await readOne(request, (db) => service.getDepartment(db, request.query.region ?? app.config.defaultRegion, request.params.code))
      setEtag(reply, departmentEtag(department))
      return toDepartment(department)
    },
  )

  await app.register(referenceAdminRoutes)
}
