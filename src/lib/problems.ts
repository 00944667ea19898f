// Every kind of problem the API reports, in one list (RFC 9457). Codes are stable and never reused:
// the `type` URI of a problem is `/problems/{code}`, served by the API itself with this description.
// Services throw `ProblemError`s; one error handler turns them into application/problem+json.

export interface ProblemType {
  status: number
  title: string
  description: string
}

export const problemTypes = {
  'validation-failed': { status: 400, title: 'Request validation failed', description: 'A parameter, header or body field is missing, of the wrong type, out of range or not allowed. `errors` lists each one with a JSON pointer into the request.' },
  'malformed-body': { status: 400, title: 'Malformed request body', description: 'The body could not be parsed in its declared content type (for example invalid JSON).' },
  'invalid-cursor': { status: 400, title: 'Invalid cursor', description: 'The pagination cursor was not issued by this API or belongs to another query.' },
  unauthorized: { status: 401, title: 'Authentication required', description: 'No valid access token was presented.' },
  forbidden: { status: 403, title: 'Not allowed', description: 'The authenticated caller lacks the scope or role this operation needs.' },
  'not-found': { status: 404, title: 'Not found', description: 'The resource does not exist (or is not visible to the caller).' },
  'route-not-found': { status: 404, title: 'No such route', description: 'No operation exists at this method and path. See /openapi.json.' },
  'method-not-allowed': { status: 405, title: 'Method not allowed', description: 'The HTTP method is not one the API understands.' },
  'not-acceptable': { status: 406, title: 'Not acceptable', description: 'The API cannot produce a representation that the Accept header allows.' },
  'request-timeout': { status: 408, title: 'Request timeout', description: 'The request was not received completely in time.' },
  conflict: { status: 409, title: 'Conflict', description: 'The request conflicts with the current state of the resource.' },
  'cursor-expired': { status: 410, title: 'Cursor expired', description: 'The change-feed cursor points before the retained events (retention is at least 13 months): resynchronise by listing the resources, then follow the feed from the `resync` link (`after=now`).' },
  'precondition-failed': { status: 412, title: 'Precondition failed', description: 'The If-Match header does not match the current ETag: someone else changed the resource. Fetch it again and reapply your change.' },
  'payload-too-large': { status: 413, title: 'Payload too large', description: 'The request body exceeds the size limit of this operation.' },
  'uri-too-long': { status: 414, title: 'URI too long', description: 'The path, a path parameter or the query string is longer than the API accepts (see the README\'s limits).' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type', description: 'The Content-Type of the request is not one this operation accepts.' },
  'unprocessable-content': { status: 422, title: 'Unprocessable content', description: 'The request is well-formed but breaks a business rule; `errors` says where.' },
  'precondition-required': { status: 428, title: 'Precondition required', description: 'This update needs an If-Match header with the ETag of the version you edited.' },
  'too-many-requests': { status: 429, title: 'Too many requests', description: 'Rate limit reached; retry after the number of seconds in Retry-After.' },
  'headers-too-large': { status: 431, title: 'Request headers too large', description: 'The request line and headers together exceed the size the server accepts.' },
  internal: { status: 500, title: 'Internal error', description: 'An unexpected error. Quote the requestId to the operator; it is in the server logs.' },
  'service-unavailable': { status: 503, title: 'Service unavailable', description: 'A dependency (the database) is unreachable or overloaded. Retry later.' },
} as const satisfies Record<string, ProblemType>

export type ProblemCode = keyof typeof problemTypes

export interface FieldError {
  /** JSON pointer into the request, prefixed by its part: `/body/items/3/key`, `/query/limit`. */
  pointer: string
  message: string
}

export function problemTypeUri(code: ProblemCode): string {
  return `/problems/${code}`
}

export class ProblemError extends Error {
  override name = 'ProblemError'
  readonly code: ProblemCode
  readonly status: number
  readonly errors: FieldError[] | undefined
  readonly headers: Record<string, string>

  constructor(code: ProblemCode, detail?: string, options: { errors?: FieldError[]; headers?: Record<string, string> } = {}) {
    super(detail ?? problemTypes[code].title)
    this.code = code
    this.status = problemTypes[code].status
    this.errors = options.errors
    this.headers = options.headers ?? {}
  }
}

export const notFound = (detail: string) => new ProblemError('not-found', detail)
export const conflict = (detail: string) => new ProblemError('conflict', detail)
export const forbidden = (detail: string) => new ProblemError('forbidden', detail)
export const unprocessable = (detail: string, errors?: FieldError[]) => new ProblemError('unprocessable-content', detail, errors ? { errors } : {})
export const badRequest = (detail: string, errors?: FieldError[]) => new ProblemError('validation-failed', detail, errors ? { errors } : {})

export function isNotFound(err: unknown): err is ProblemError {
  return err instanceof ProblemError && err.code === 'not-found'
}

/**
 * For lookups whose absence is the caller's mistake (a department code in a body): runs `onMissing`
 * when the lookup throws the not-found problem, and rethrows anything else — a lost database
 * connection must stay a 503, never become "no such department" (a 4xx).
 */
export function catchNotFound<T, R>(lookup: Promise<T>, onMissing: () => R): Promise<T | R> {
  return lookup.catch((err: unknown) => {
    if (isNotFound(err)) return onMissing()
    throw err
  })
}
