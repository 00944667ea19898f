// Public reads of reference data: domains and departments.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problemResponses } from '../../http/schemas.js'
import {
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
} from './schemas.js'
import * as service from './service.js'

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
        response: { 200: DomainListResponse, ...problemResponses() },
      },
      config: { auth: 'public' },
    },
    async () => ({ items: (await service.listDomains(app.db)).map(toDomain), nextCursor: null }),
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
    async (request) => toDomain(await service.getDomain(app.db, request.params.code)),
  )

  app.get(
    '/v1/departments',
    {
      schema: {
        operationId: 'listDepartments',
        tags: ['reference'],
        summary: 'List departments, flat or as a tree',
        description: 'Flat lists page by code with `limit` and `cursor`. `view=tree` returns the whole hierarchy (or the subtree under `parent`) in one page.',
        security: [],
        querystring: DepartmentListQuery,
        response: { 200: DepartmentListResponse, ...problemResponses(404) },
      },
      config: { auth: 'public' },
    },
    async (request) => {
      const { region, kind, parent, view, limit, cursor, updatedSince } = request.query
      const regionCode = region ?? app.config.defaultRegion
      const since = updatedSince ? new Date(updatedSince) : undefined
      if (view === 'tree') {
        const roots = await service.listDepartmentsTree(app.db, { regionCode, kind, parent, updatedSince: since })
        return { items: roots.map(toDepartmentTree), nextCursor: null }
      }
      const page = await service.listDepartmentsFlat(app.db, { regionCode, kind, parent, updatedSince: since, limit: limit ?? 50, cursor })
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
        security: [],
        params: DepartmentParams,
        querystring: DepartmentDetailQuery,
        response: { 200: DepartmentResponse, ...problemResponses(404) },
      },
      config: { auth: 'public' },
    },
    async (request) => toDepartment(await service.getDepartment(app.db, request.query.region ?? app.config.defaultRegion, request.params.code)),
  )
}
