// The working set of disclosure items (/v1/items): public reads; writes by editors of the item's
// department (an admin anywhere), with If-Match on every change of an existing item.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { writeContext, type AccessRule } from '../../http/access.js'
import { IfMatchHeader, requireIfMatch, setEtag } from '../../http/preconditions.js'
import { readHandle, readOne } from '../../http/read-routing.js'
import { problemResponses } from '../../http/schemas.js'
import { forbidden } from '../../lib/problems.js'
import { holdsRole } from '../auth/guard.js'
import { setChangesCursor, withChangesCursor } from '../events/list-cursor.js'
import {
  CreateItemRequest,
  HistoryQuery,
  ItemHistoryResponse,
  ItemListQuery,
  ItemListResponse,
  ItemParams,
  ItemReadQuery,
  ItemResponse,
  toItem,
  toItemChange,
  UpdateItemRequest,
} from './schemas.js'
import { sendReady } from './ready-reply.js'
import * as service from './service.js'
import { NotModified } from './version-schemas.js'

const tags = ['catalog']
const bearer = [{ bearerAuth: [] }]
const ifMatch = { type: 'object', properties: IfMatchHeader } as const

export const itemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const regionOf = (query: { region?: string | undefined }) => query.region ?? app.config.defaultRegion
  const writerRegion = (request: FastifyRequest) => request.principal?.regionCode ?? app.config.defaultRegion

  /**
   * Editors of any department responsible for the stored item, lead or co-responsible (404 first when
   * there is none): the rule is asked about the one of them the caller edits, else the lead.
   */
  const editStoredItem: AccessRule = {
    scopes: ['items:write'],
    roles: ['editor'],
    department: async (request) => {
      const item = await service.getItem(app.db, writerRegion(request), (request.params as { key: string }).key)
      const departments = item.departmentCodes.length ? item.departmentCodes : [item.departmentCode]
      return departments.find((code) => request.principal && holdsRole(request.principal, ['editor'], code)) ?? item.departmentCode
    },
  }

  app.get(
    '/v1/items',
    {
      schema: {
        operationId: 'listItems',
        tags,
        summary: 'List the disclosure items of the working set',
        description:
          'The working set as the departments keep it now (published catalogs are under /v1/catalog/versions). Filters combine; `q` matches a substring of the names, content, basis, time limit and department. With `updatedSince`, retired items are listed too, so a sync sees retirements.',
        security: [],
        querystring: ItemListQuery,
        response: { 200: withChangesCursor(ItemListResponse), ...problemResponses() },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const { region, updatedSince, limit, ...filters } = request.query
      const db = readHandle(request)
      await setChangesCursor(reply, db)
      const page = await service.listItems(db, { ...filters, regionCode: regionOf({ region }), updatedSince: updatedSince ? new Date(updatedSince) : undefined, limit: limit ?? 50 })
      return { items: page.items.map(toItem), nextCursor: page.nextCursor }
    },
  )

  app.post(
    '/v1/items',
    {
      schema: {
        operationId: 'createItem',
        tags,
        summary: 'Add a disclosure item',
        description: 'By an editor of the responsible department (`department`). The key is permanent. 422 lists every element that breaks a rule (unknown domain or department, a level the region does not use, `other` channel without `channelsOther`, …).',
        security: bearer,
        body: CreateItemRequest,
        response: { 201: ItemResponse, ...problemResponses(401, 403, 409, 422) },
      },
      config: { auth: { scopes: ['items:write'], roles: ['editor'], department: (request) => (request.body as { department: string }).department } },
    },
    async (request, reply) => {
      const row = await service.createItem(app.db, writeContext(request), request.body)
      setEtag(reply, service.itemEtag(row))
      reply.header('location', `/v1/items/${row.key}`)
      return reply.code(201).send(toItem(row))
    },
  )

  app.get(
    '/v1/items/:key',
    {
      schema: {
        operationId: 'getItem',
        tags,
        summary: 'Get a disclosure item',
        description: 'Its ETag (also in the `etag` field) is what PATCH, retire and reinstate need in If-Match.',
        security: [],
        params: ItemParams,
        querystring: ItemReadQuery,
        response: { 200: ItemResponse, 304: NotModified, ...problemResponses(404) },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const region = regionOf(request.query)
      const { key } = request.params
      // Staff read the primary, uncached: what they just wrote (item-cache.ts).
      if (request.principal) {
        const row = await service.readItem(app.db, region, key)
        setEtag(reply, service.itemEtag(row))
        return toItem(row)
      }
      const cached = await app.itemResponses.getOrRender(JSON.stringify([region, key]), async () => {
        const row = await readOne(request, (db) => service.readItem(db, region, key))
        return { body: JSON.stringify(toItem(row)), etag: service.itemEtag(row) }
      })
      return sendReady(request, reply, cached)
    },
  )

  app.patch(
    '/v1/items/:key',
    {
      schema: {
        operationId: 'updateItem',
        tags,
        summary: 'Change elements of a disclosure item',
        description:
          'Needs If-Match with the ETag you read: 428 without it, 412 when someone changed the item since. Only the elements sent change. Moving an item to another department needs editor rights on both. A PATCH that changes nothing keeps the ETag.',
        security: bearer,
        params: ItemParams,
        headers: ifMatch,
        body: UpdateItemRequest,
        response: { 200: ItemResponse, ...problemResponses(401, 403, 404, 409, 412, 422, 428) },
      },
      config: { auth: editStoredItem },
    },
    async (request, reply) => {
      const target = request.body.department
      if (target && !holdsRole(request.principal!, ['editor'], target)) throw forbidden(`Moving the item to ${target} needs the role editor of department ${target}.`)
      const row = await service.updateItem(app.db, writeContext(request), request.params.key, requireIfMatch(request), request.body)
      setEtag(reply, service.itemEtag(row))
      return toItem(row)
    },
  )

  for (const action of ['retire', 'reinstate'] as const) {
    app.post(
      `/v1/items/:key/${action}`,
      {
        schema: {
          operationId: `${action}Item`,
          tags,
          summary: action === 'retire' ? 'Retire a disclosure item' : 'Reinstate a retired disclosure item',
          description:
            action === 'retire'
              ? 'Soft: the item stays readable with its history and leaves the next catalog version. Needs If-Match.'
              : 'The item becomes active again and returns in the next catalog version. Needs If-Match.',
          security: bearer,
          params: ItemParams,
          headers: ifMatch,
          response: { 200: ItemResponse, ...problemResponses(401, 403, 404, 409, 412, 428) },
        },
        config: { auth: editStoredItem },
      },
      async (request, reply) => {
        const change = action === 'retire' ? service.retireItem : service.reinstateItem
        const row = await change(app.db, writeContext(request), request.params.key, requireIfMatch(request))
        setEtag(reply, service.itemEtag(row))
        return toItem(row)
      },
    )
  }

  app.get(
    '/v1/items/:key/history',
    {
      schema: {
        operationId: 'listItemHistory',
        tags,
        summary: "List a disclosure item's changes",
        description: 'Every change, oldest first: who made it, when, and each changed element with its old and new value.',
        security: [],
        params: ItemParams,
        querystring: HistoryQuery,
        response: { 200: withChangesCursor(ItemHistoryResponse), ...problemResponses(404) },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      await setChangesCursor(reply, app.db)
      const page = await service.itemHistory(app.db, regionOf(request.query), request.params.key, { limit: request.query.limit ?? 50, cursor: request.query.cursor })
      return { items: page.items.map(toItemChange), nextCursor: page.nextCursor }
    },
  )
}
