// The region's catalog settings (/v1/catalog/settings): which disclosure levels its items may use.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { writeContext } from '../../http/access.js'
import { IfMatchHeader, requireIfMatch, setEtag } from '../../http/preconditions.js'
import { problemResponses } from '../../http/schemas.js'
import * as service from './service.js'
import { SettingsRequest, SettingsResponse, toCatalogSettings, VersionReadQuery } from './version-schemas.js'

const tags = ['catalog']
const bearer = [{ bearerAuth: [] }]
const ifMatch = { type: 'object', properties: IfMatchHeader } as const

export const settingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/catalog/settings',
    {
      schema: {
        operationId: 'getCatalogSettings',
        tags,
        summary: "Get the region's catalog settings",
        description: 'The disclosure levels (公开层级) items of this region may use.',
        security: [],
        querystring: VersionReadQuery,
        response: { 200: SettingsResponse, ...problemResponses() },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const settings = await service.getCatalogSettings(app.db, request.query.region ?? app.config.defaultRegion)
      setEtag(reply, service.settingsEtag(settings))
      return toCatalogSettings(settings)
    },
  )

  app.put(
    '/v1/catalog/settings',
    {
      schema: {
        operationId: 'updateCatalogSettings',
        tags,
        summary: "Set the region's disclosure levels",
        description: 'A level still used by an active item cannot be dropped (409). Needs If-Match.',
        security: bearer,
        headers: ifMatch,
        body: SettingsRequest,
        response: { 200: SettingsResponse, ...problemResponses(401, 403, 409, 412, 428) },
      },
      config: { auth: { scopes: ['catalog:publish'], roles: ['admin'] } },
    },
    async (request, reply) => {
      const settings = await service.updateCatalogSettings(app.db, writeContext(request), requireIfMatch(request), request.body)
      setEtag(reply, service.settingsEtag(settings))
      return toCatalogSettings(settings)
    },
  )
}
