// Request validation and response serialization. Query strings, path parameters and headers are
// text on the wire, so they are coerced to the declared types; bodies are JSON and must already have
// the right types. Unknown fields are rejected (`additionalProperties: false` means "refuse", never
// "silently drop"), and every error is reported, not only the first.
//
// Both compilers are lazy: a route's validator and serializers are compiled on its first use, not at
// start-up. Compiling all of them up front took most of a start (measured: ~1.7 s of ~2 s), and most
// instances — and most tests — never call most routes. The exception is the few routes named in
// `eagerResponses` (the probes): their success response is compiled when Fastify compiles the routes
// (as the server becomes ready), so that the first readiness probe is not the one paying for it, and
// on its own (below), so that it costs milliseconds rather than ~0.35 s.
import AjvCompiler from '@fastify/ajv-compiler'
import SerializerSelector from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'
import { nullableAsTypeLists } from './nullable-types.js'

const common = { removeAdditional: false, useDefaults: true, allErrors: true, strict: false } as const

type Validator = ((data: unknown) => boolean | Promise<unknown>) & { errors?: unknown }

function lazyValidator(compile: () => Validator): Validator {
  let compiled: Validator | undefined
  const validate: Validator = (data) => {
    compiled ??= compile()
    const result = compiled(data)
    validate.errors = compiled.errors
    return result
  }
  return validate
}

export function schemaCompilers({ eagerResponses = [] }: { eagerResponses?: string[] } = {}): NonNullable<FastifyServerOptions['schemaController']> {
  const eager = new Set(eagerResponses)
  const validators = AjvCompiler()
  const serializers = SerializerSelector()
  return {
    compilersFactory: {
      buildValidator(externalSchemas, serverOptions) {
        type Options = Parameters<typeof validators>[1]
        // The two Ajv instances are created on first use too: each adds and checks every shared
        // schema against the meta-schema (~50 ms apiece).
        let coercing: ReturnType<typeof validators> | undefined
        let strict: ReturnType<typeof validators> | undefined
        const compile = (route: Parameters<ReturnType<typeof validators>>[0]): Validator => {
          if (route.httpPart === 'body') {
            strict ??= validators(externalSchemas, { ...serverOptions, customOptions: { ...common, coerceTypes: false } } as Options)
            return strict(route) as Validator
          }
          coercing ??= validators(externalSchemas, { ...serverOptions, customOptions: { ...common, coerceTypes: 'array' } } as Options)
          return coercing(route) as Validator
        }
        // Fastify only calls the function and reads `errors`; Ajv's other members are not needed.
        return ((route: Parameters<typeof compile>[0]) => lazyValidator(() => compile(route))) as unknown as ReturnType<typeof validators>
      },
      buildSerializer(externalSchemas, serializerOptions) {
        // Nullable scalars as type lists (nullable-types.ts), rewritten on first use like the rest.
        let compile: ReturnType<typeof serializers> | undefined
        const compiler = () =>
          (compile ??= serializers(
            Object.fromEntries(Object.entries(externalSchemas as Record<string, unknown>).map(([id, s]) => [id, nullableAsTypeLists(s)])) as typeof externalSchemas,
            serializerOptions,
          ))
        return (route) => {
          const compile = () => compiler()({ ...route, schema: nullableAsTypeLists(route.schema) as typeof route.schema }) as (data: unknown) => string
          // A probe's response is compiled without the shared schemas when it refers to none:
          // fast-json-stringify checks and indexes every external schema it is given, for each
          // compilation (~0.35 s for ours), and this one is on the path to the first 200 from /readyz.
          const standalone = () =>
            JSON.stringify(route.schema).includes('"$ref"')
              ? undefined
              : (serializers({}, serializerOptions)({ ...route, schema: literalUnionsAsEnums(nullableAsTypeLists(route.schema)) as typeof route.schema }) as (data: unknown) => string)
          let compiled = eager.has(route.url) && String(route.httpStatus).startsWith('2') ? (standalone() ?? compile()) : undefined
          return (data: unknown) => (compiled ??= compile())(data)
        }
      },
    },
  }
}

/**
 * `anyOf` of string constants (TypeBox's union of literals) as one string `enum`, for a probe's
 * response: fast-json-stringify picks an `anyOf` branch with a validator, and building its Ajv costs
 * ~0.1 s per compilation. The output of a string is the same either way.
 */
function literalUnionsAsEnums(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(literalUnionsAsEnums)
  if (!schema || typeof schema !== 'object') return schema
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(schema)) out[key] = literalUnionsAsEnums(value)
  const anyOf = out.anyOf
  const isStringConst = (s: unknown) => !!s && typeof s === 'object' && Object.keys(s).length === 2 && (s as Record<string, unknown>).type === 'string' && typeof (s as Record<string, unknown>).const === 'string'
  if (Array.isArray(anyOf) && anyOf.length > 0 && anyOf.every(isStringConst)) {
    const { anyOf: _, ...siblings } = out
    return { ...siblings, type: 'string', enum: anyOf.map((s) => (s as { const: string }).const) }
  }
  return out
}
