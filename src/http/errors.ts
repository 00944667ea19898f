// One place turns every failure into RFC 9457 problem details: validation errors with a JSON pointer
// per field, Fastify's own 4xx errors (bad JSON, wrong content type, body too large), the
// services' ProblemErrors, database errors (mapped by SQLSTATE, found on err.cause), and anything
// unexpected (500, no stack, a request id the operator can find in the logs).
import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { CalendarInputError } from '../lib/calendar/dates.js'
import { ProblemError, problemTypes, problemTypeUri, type FieldError, type ProblemCode } from '../lib/problems.js'
import type { Problem } from './schemas.js'

const partNames: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' }

interface AjvError {
  instancePath: string
  message?: string
  keyword: string
  params: Record<string, unknown>
}

export function validationErrors(context: string, errors: AjvError[]): FieldError[] {
  const part = partNames[context] ?? context
  return errors.map((e) => {
    let pointer = `/${part}${e.instancePath}`
    let message = e.message ?? 'is invalid'
    if (e.keyword === 'required') pointer += `/${String(e.params.missingProperty)}`
    if (e.keyword === 'additionalProperties') {
      pointer += `/${String(e.params.additionalProperty)}`
      message = 'is not a known field'
    }
    if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues)) message += `: ${e.params.allowedValues.join(', ')}`
    return { pointer, message }
  })
}

const statusCodes: Record<number, ProblemCode> = {
  400: 'malformed-body',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  408: 'request-timeout',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  422: 'unprocessable-content',
  428: 'precondition-required',
  429: 'too-many-requests',
  431: 'headers-too-large',
  503: 'service-unavailable',
}

// SQLSTATEs that say something about the request or the database's availability, not a bug. Input
// checks (input-hygiene.ts, the schemas, the cursors) refuse bad input before it reaches the database;
// these are the backstop, so a value the checks missed is still the caller's 4xx, never a 500.
const sqlStates: Record<string, { code: ProblemCode; detail: string }> = {
  '23505': { code: 'conflict', detail: 'A resource with the same identifier already exists.' },
  '23503': { code: 'conflict', detail: 'The resource refers to, or is referred to by, another resource.' },
  '23514': { code: 'unprocessable-content', detail: 'A value breaks a rule of the stored data.' },
  // Class 22, data exceptions: a value the database cannot take as given (text with NUL or a lone
  // surrogate, a malformed number, UUID or date, a value out of range or too long).
  '22021': { code: 'validation-failed', detail: 'A text value holds a character that cannot be stored (NUL or an invalid byte sequence).' },
  '22P05': { code: 'validation-failed', detail: 'A text value holds a character that cannot be stored (a lone surrogate or an untranslatable character).' },
  '22P02': { code: 'validation-failed', detail: 'A value is not in the form its field needs (a number, an identifier, a date).' },
  '22003': { code: 'validation-failed', detail: 'A number is out of range.' },
  '22007': { code: 'validation-failed', detail: 'A date or time is not valid.' },
  '22008': { code: 'validation-failed', detail: 'A date or time is out of range.' },
  '22001': { code: 'validation-failed', detail: 'A value is longer than its field allows.' },
  '22023': { code: 'validation-failed', detail: 'A value is not allowed for its field.' },
  '22025': { code: 'validation-failed', detail: 'A search pattern holds an invalid escape.' },
  '2201B': { code: 'validation-failed', detail: 'A search pattern is not valid.' },
  // Class 54, program limits: a value too large for the database (an index entry, a search vector).
  '54000': { code: 'payload-too-large', detail: 'A value is too large to store.' },
  '54001': { code: 'payload-too-large', detail: 'The request is too deeply nested or too large to process.' },
  '40001': { code: 'service-unavailable', detail: 'A concurrent transaction interfered; retry the request.' },
  '40P01': { code: 'service-unavailable', detail: 'A concurrent transaction interfered; retry the request.' },
  '57P01': { code: 'service-unavailable', detail: 'The database is restarting.' },
  '57P03': { code: 'service-unavailable', detail: 'The database is not accepting connections yet.' },
  // Resources of the database server (class 53) and its file I/O: the request was fine, retry later.
  '53100': { code: 'service-unavailable', detail: 'The database is out of disk space; writes resume once space is freed.' },
  '53200': { code: 'service-unavailable', detail: 'The database is out of memory.' },
  '53300': { code: 'service-unavailable', detail: 'The database has too many connections.' },
  '58030': { code: 'service-unavailable', detail: 'The database could not read or write its files.' },
}
// Whole classes that mean the database is unavailable, not that the request is wrong: 08 connection
// exceptions, 53 insufficient resources (too many connections, disk full), 57P operator intervention.
const unavailableClasses = ['08', '53', '57P']
const connectionErrors = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH'])

export function databaseProblem(err: unknown): { code: ProblemCode; detail: string } | null {
  for (let e: any = err, depth = 0; e && depth < 4; e = e.cause, depth++) {
    if (typeof e.code === 'string') {
      if (sqlStates[e.code]) return sqlStates[e.code]!
      if (/^[0-9A-Z]{5}$/.test(e.code) && unavailableClasses.some((c) => e.code.startsWith(c))) return { code: 'service-unavailable', detail: 'The database is unavailable.' }
      if (connectionErrors.has(e.code)) return { code: 'service-unavailable', detail: 'The database is unreachable.' }
    }
    if (typeof e.message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(e.message)) {
      return { code: 'service-unavailable', detail: 'The database is unreachable.' }
    }
  }
  return null
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ProblemCode,
  detail?: string,
  extra: { errors?: FieldError[] | undefined; headers?: Record<string, string>; status?: number } = {},
) {
  const type = problemTypes[code]
  const status = extra.status ?? type.status
  const body: Problem = {
    type: problemTypeUri(code),
    title: type.title,
    status,
    ...(detail ? { detail } : {}),
    instance: request.url,
    requestId: String(request.id),
    ...(extra.errors && extra.errors.length ? { errors: extra.errors } : {}),
  }
  for (const [name, value] of Object.entries(extra.headers ?? {})) reply.header(name, value)
  return reply.code(status).type('application/problem+json').send(body)
}

export const problemHandling = fp(
  async (app) => {
    app.setNotFoundHandler((request, reply) =>
      sendProblem(request, reply, 'route-not-found', `No operation at ${request.method} ${request.url.split('?')[0]}.`),
    )

    app.setErrorHandler((err: FastifyError, request, reply) => {
      if (err instanceof ProblemError) {
        if (err.status >= 500) request.log.error({ err }, err.message)
        return sendProblem(request, reply, err.code, err.message, { errors: err.errors, headers: err.headers })
      }
      // A date outside the calendar's range (1901–2099) reached from any route: the caller's date, not a bug.
      if (err instanceof CalendarInputError) return sendProblem(request, reply, 'unprocessable-content', `A date is outside the working-day calendar: ${err.message}.`)
      if (err.validation) {
        const errors = validationErrors(err.validationContext ?? 'body', err.validation as AjvError[])
        const detail = errors.map((e) => `${e.pointer} ${e.message}`).join('; ')
        return sendProblem(request, reply, 'validation-failed', detail, { errors })
      }
      const status = err.statusCode ?? 500
      if (status >= 400 && status < 500) {
        const code = statusCodes[status] ?? 'validation-failed'
        const headers: Record<string, string> = {}
        const retryAfter = reply.getHeader('retry-after')
        if (retryAfter !== undefined) headers['Retry-After'] = String(retryAfter)
        return sendProblem(request, reply, code, err.message, { status, headers })
      }
      const db = databaseProblem(err)
      if (db) {
        request.log.warn({ err }, 'database problem')
        return sendProblem(request, reply, db.code, db.detail, db.code === 'service-unavailable' ? { headers: { 'Retry-After': '1' } } : {})
      }
      request.log.error({ err }, 'unhandled error')
      return sendProblem(request, reply, 'internal', 'An unexpected error occurred; the operator can find it by the requestId.')
    })
  },
  { name: 'problem-handling' },
)
