// Input hygiene in one place, for every route: text that no database column can hold is refused
// before validation, with a pointer to the field, instead of reaching Postgres (which refuses NUL,
// SQLSTATE 22021, and lone surrogates in JSON, 22P05) or being stored mangled (a lone surrogate
// becomes U+FFFD in UTF-8). The same pass bounds what would otherwise cost the server more than the
// caller: the query string's length and number of parameters, and how deeply a JSON body nests
// (validators and serializers recurse; a body nested 100,000 deep would overflow the stack).
// The limits are the README's "Limits" table.
import fp from 'fastify-plugin'
import type { FieldError } from '../lib/problems.js'
import { ProblemError } from '../lib/problems.js'
import { unstorableCharacter } from '../lib/text-hygiene.js'

export const requestLimits = {
  /** Characters after the `?` (414 above). */
  queryLength: 4096,
  /** Parameters in the query string, repeated ones counted each time (400 above). */
  queryParameters: 64,
  /** Levels of arrays and objects in a JSON body (400 above). */
  jsonDepth: 32,
} as const

const MAX_REPORTED = 20

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1')

/**
 * Every string (and object key) in `value` that holds NUL or a lone surrogate, as field errors under
 * `prefix`; and, past `maxDepth`, the first place nesting goes too deep. Iterative: a hostile depth
 * cannot overflow the stack here.
 */
export function inspectValue(value: unknown, prefix: string, maxDepth = Infinity): FieldError[] {
  const errors: FieldError[] = []
  const stack: [unknown, string, number][] = [[value, prefix, 0]]
  while (stack.length && errors.length < MAX_REPORTED) {
    const [v, pointer, depth] = stack.pop()!
    if (typeof v === 'string') {
      const bad = unstorableCharacter(v)
      if (bad) errors.push({ pointer, message: `holds ${bad}, which no text field accepts` })
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      if (depth >= maxDepth) {
        errors.push({ pointer, message: `nests deeper than ${maxDepth} levels` })
        break
      }
      const entries = Array.isArray(v) ? v.map((item, i) => [String(i), item] as const) : Object.entries(v)
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i]!
        const bad = unstorableCharacter(key)
        if (bad) errors.push({ pointer: `${pointer}/${escapePointer(key)}`, message: `is a field name that holds ${bad}` })
        stack.push([item, `${pointer}/${escapePointer(key)}`, depth + 1])
      }
    }
  }
  return errors
}

function refuse(errors: FieldError[]): never {
  throw new ProblemError('validation-failed', errors.map((e) => `${e.pointer} ${e.message}`).join('; '), { errors })
}

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0')
}

export const inputHygiene = fp(
  async (app) => {
    app.addHook('onRequest', async (request) => {
      // RFC 9110 §9.3.1: content in a GET has no meaning; refusing it beats silently ignoring it.
      if ((request.method === 'GET' || request.method === 'HEAD') && hasBody(request.headers)) {
        refuse([{ pointer: '/body', message: `must be absent: a ${request.method} request carries no body` }])
      }
      const q = request.url.indexOf('?')
      if (q < 0) return
      const query = request.url.slice(q + 1)
      if (query.length > requestLimits.queryLength) {
        throw new ProblemError('uri-too-long', `The query string is longer than ${requestLimits.queryLength} characters.`)
      }
      let count = 1
      for (let i = query.indexOf('&'); i >= 0; i = query.indexOf('&', i + 1)) count++
      if (count > requestLimits.queryParameters) {
        refuse([{ pointer: '/query', message: `has more than ${requestLimits.queryParameters} parameters` }])
      }
    })
    // Before validation, so the caller learns which field holds the character rather than a schema
    // error about it, and so the validators never see a hostile depth.
    app.addHook('preValidation', async (request) => {
      const errors = [
        ...inspectValue(request.params, '/params'),
        ...inspectValue(request.query, '/query'),
        ...inspectValue(request.body, '/body', requestLimits.jsonDepth),
      ]
      if (errors.length) refuse(errors.slice(0, MAX_REPORTED))
    })
  },
  { name: 'input-hygiene' },
)
