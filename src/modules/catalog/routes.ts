// (placeholder, filled in by the catalog module work)
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { TSchema } from 'typebox'

export const catalogSchemas: TSchema[] = []
export const catalogRoutes: FastifyPluginAsyncTypebox = async () => {}
