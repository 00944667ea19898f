// Response serialization for the notice routes: fast-json-stringify, as everywhere, on the same
// schemas with one rewrite — a nullable scalar written as `anyOf: [T, null]` (the shared Review
// schema's timestamps) is serialized as a type list. fast-json-stringify picks an `anyOf` branch by
// running the validator on the value: a date-time format check for every timestamp of every notice of
// a list page, a tenth of the list's CPU. The OpenAPI document is generated from the schemas as
// declared and does not change.
// (Belongs in src/http/validation.ts for every route, or in the Review schema itself; kept here while
// those are not this module's files.)
import SerializerSelector from '@fastify/fast-json-stringify-compiler'
import type { FastifySerializerCompiler } from 'fastify/types/schema.js'

type Json = Record<string, unknown>

function isNullSchema(s: unknown): boolean {
  return !!s && typeof s === 'object' && (s as Json).type === 'null' && Object.keys(s).length === 1
}

function isScalarSchema(s: unknown): s is Json {
  const type = (s as Json | null)?.type
  return !!s && typeof s === 'object' && typeof type === 'string' && type !== 'object' && type !== 'array' && type !== 'null' && !('$ref' in s)
}

/** The schema with every `anyOf: [scalar, null]` as `{ ...scalar, type: [its type, 'null'] }`. */
export function nullableAsTypeLists(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(nullableAsTypeLists)
  if (!schema || typeof schema !== 'object') return schema
  const out: Json = {}
  for (const [key, value] of Object.entries(schema)) out[key] = nullableAsTypeLists(value)
  const anyOf = out.anyOf
  if (Array.isArray(anyOf) && anyOf.length === 2) {
    const value = isNullSchema(anyOf[1]) ? anyOf[0] : isNullSchema(anyOf[0]) ? anyOf[1] : null
    if (isScalarSchema(value)) {
      const { anyOf: _, ...siblings } = out
      return { ...siblings, ...value, type: [value.type, 'null'] }
    }
  }
  return out
}

/** A serializer compiler over `externalSchemas` (by $id, as app.getSchemas() returns them), compiling each route's lazily. */
export function notNullCheckingSerializer(externalSchemas: Record<string, unknown>): FastifySerializerCompiler<unknown> {
  // Rewritten and compiled on first use, like every serializer (src/http/validation.ts): start-up pays nothing.
  let compile: ReturnType<ReturnType<typeof SerializerSelector>> | undefined
  const compiler = () => (compile ??= SerializerSelector()(Object.fromEntries(Object.entries(externalSchemas).map(([id, s]) => [id, nullableAsTypeLists(s)])) as never, {}))
  return (route) => {
    let compiled: ((data: unknown) => string) | undefined
    return (data: unknown) => (compiled ??= compiler()({ ...route, schema: nullableAsTypeLists(route.schema) } as never) as (data: unknown) => string)(data)
  }
}
