// One rewrite of response schemas before fast-json-stringify compiles them: a nullable scalar written
// as `anyOf: [T, null]` (TypeBox's Nullable, e.g. the shared Review schema's timestamps) becomes a
// type list. fast-json-stringify picks an `anyOf` branch by running the validator on the value — a
// date-time format check for every timestamp of every row of a list page (a tenth of the notices
// list's CPU). Output is the same; the OpenAPI document is generated from the schemas as declared.
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
