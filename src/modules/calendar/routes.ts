// (placeholder, filled in by the calendar module work)
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { TSchema } from 'typebox'

export const calendarSchemas: TSchema[] = []
export const calendarRoutes: FastifyPluginAsyncTypebox = async () => {}
