// Schemas shared by every module: the problem document, references to named components, list
// envelopes and pagination parameters. Named schemas are registered once (registerSchemas) and
// referenced with `ref()`, which keeps handler typing and names the component in the spec.
import { Type, type Static, type TSchema } from 'typebox'
import { problemTypes, problemTypeUri, type ProblemCode } from '../lib/problems.js'

/** A reference to a named component that still types the handler (STYLE.md). */
export function ref<T extends TSchema>(schema: T) {
  const id = (schema as { $id?: unknown }).$id
  if (typeof id !== 'string') throw new Error('ref() needs a schema with an $id')
  return Type.Unsafe<Static<T>>(Type.Ref(id))
}

export const FieldErrorSchema = Type.Object(
  {
    pointer: Type.String({ description: 'JSON pointer into the request, prefixed by its part (`/body/…`, `/query/…`, `/params/…`, `/headers/…`).' }),
    message: Type.String(),
  },
  { $id: 'FieldError', additionalProperties: false },
)

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URI of the problem type; dereference it for a description.' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String({ description: 'The request path.' })),
    requestId: Type.Optional(Type.String({ description: 'Quote this to the operator; it is in the server logs.' })),
    errors: Type.Optional(Type.Array(ref(FieldErrorSchema))),
  },
  {
    $id: 'Problem',
    description: 'RFC 9457 problem details.',
    additionalProperties: false,
  },
)
export type Problem = Static<typeof ProblemSchema>

const problemExamples: Partial<Record<number, Problem>> = {
  400: {
    type: problemTypeUri('validation-failed'),
    title: problemTypes['validation-failed'].title,
    status: 400,
    detail: 'querystring/limit must be <= 200',
    instance: '/v1/departments?limit=1000',
    requestId: '5f0c6c1e-8f0a-4d8e-9b3e-2f5a7c0d1e2f',
    errors: [{ pointer: '/query/limit', message: 'must be <= 200' }],
  },
}

function exampleFor(code: ProblemCode): Problem {
  const status = problemTypes[code].status
  return (
    problemExamples[status] ?? {
      type: problemTypeUri(code),
      title: problemTypes[code].title,
      status,
      detail: problemTypes[code].description,
      requestId: '5f0c6c1e-8f0a-4d8e-9b3e-2f5a7c0d1e2f',
    }
  )
}

const defaultCodeByStatus: Record<number, ProblemCode> = {
  400: 'validation-failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  406: 'not-acceptable',
  409: 'conflict',
  410: 'cursor-expired',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable-content',
  428: 'precondition-required',
  429: 'too-many-requests',
  500: 'internal',
  503: 'service-unavailable',
}

/**
 * The problem responses of an operation, keyed by status, as `application/problem+json`.
 * 400 and 500 are part of every operation; pass the others the operation can answer.
 */
export function problemResponses(...statuses: number[]) {
  const all = [...new Set([400, ...statuses, 500])].sort((a, b) => a - b)
  const responses: Record<number, unknown> = {}
  for (const status of all) {
    const code = defaultCodeByStatus[status]
    if (!code) throw new Error(`no problem type for status ${status}`)
    responses[status] = {
      description: problemTypes[code].title,
      content: { 'application/problem+json': { schema: ref(ProblemSchema), example: exampleFor(code) } },
    }
  }
  return responses
}

/**
 * A JSON response with a named example, in the form both Fastify (serialization) and the
 * OpenAPI generator understand: `{ description, content: { 'application/json': { schema, example } } }`.
 */
export function jsonResponse<T extends TSchema>(schema: T, example: Static<T>, description?: string) {
  const fallback = (schema as { description?: string }).description
  return {
    description: description ?? fallback ?? 'OK',
    content: { 'application/json': { schema, example } },
  }
}

/** `{ items, nextCursor }`: the envelope of every list. */
export function ListOf<T extends TSchema>(item: T, options: { examples?: unknown[] } = {}) {
  return Type.Object(
    {
      items: Type.Array(item),
      nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last page.' }),
    },
    { additionalProperties: false, ...options },
  )
}

export const PaginationQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size.' })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'The `nextCursor` of the previous page.' })),
}

export const UpdatedSinceQuery = {
  updatedSince: Type.Optional(Type.String({ format: 'date-time', description: 'Only what changed at or after this instant (RFC 3339), for incremental sync.' })),
}

/** Every named schema the app registers, in order (dependencies first). */
export const sharedSchemas: TSchema[] = [FieldErrorSchema, ProblemSchema]
