// The catalog (公开事项标准目录): the working set of disclosure items (/v1/items) and the catalog
// versions that freeze, review and publish it (/v1/catalog/versions), and each region's catalog
// settings (/v1/catalog/settings).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { TSchema } from 'typebox'
import { itemRoutes } from './item-routes.js'
import { itemSchemas } from './schemas.js'
import { settingsRoutes } from './settings-routes.js'
import { versionRoutes } from './version-routes.js'
import { versionSchemas } from './version-schemas.js'

export const catalogSchemas: TSchema[] = [...itemSchemas, ...versionSchemas]

export const catalogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(itemRoutes)
  await app.register(versionRoutes)
  await app.register(settingsRoutes)
}
