// Request validation: query strings, path parameters and headers are text on the wire, so they are
// coerced to the declared types; bodies are JSON and must already have the right types. Unknown
// fields are rejected (`additionalProperties: false` means "refuse", never "silently drop"), and
// every error is reported, not only the first.
import AjvCompiler from '@fastify/ajv-compiler'
import type { FastifyServerOptions } from 'fastify'

const common = { removeAdditional: false, useDefaults: true, allErrors: true, strict: false } as const

export function validatorCompilers(): NonNullable<FastifyServerOptions['schemaController']> {
  const factory = AjvCompiler()
  return {
    compilersFactory: {
      buildValidator(externalSchemas, serverOptions) {
        type Options = Parameters<typeof factory>[1]
        const coercing = factory(externalSchemas, { ...serverOptions, customOptions: { ...common, coerceTypes: 'array' } } as Options)
        const strict = factory(externalSchemas, { ...serverOptions, customOptions: { ...common, coerceTypes: false } } as Options)
        return (route) => (route.httpPart === 'body' ? strict(route) : coercing(route))
      },
    },
  }
}
