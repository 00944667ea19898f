// Errors that happen before a request reaches a route, as problem details like every other error
// (RFC 9457): a URL Fastify cannot decode or whose path parameter is too long (frameworkErrors), and
// requests Node's HTTP parser refuses — headers too large, a method it does not know, a request that
// does not arrive in time (clientErrorHandler, which only has the socket, so it writes the response
// itself). Each carries a request id, as every response does.
import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'
import { problemTypes, problemTypeUri, type ProblemCode } from '../lib/problems.js'
import { sendProblem } from './errors.js'

/** Fastify's `frameworkErrors` option: FST_ERR_BAD_URL (400) and FST_ERR_MAX_PARAM_LENGTH (414). */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
  reply.header('x-request-id', request.id)
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendProblem(request, reply, 'uri-too-long', 'A path parameter is longer than the API accepts.')
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    return sendProblem(request, reply, 'validation-failed', 'The URL is not valid: a percent-encoding does not decode to UTF-8 text.', {
      errors: [{ pointer: '/params', message: 'holds an invalid percent-encoding' }],
    })
  }
  request.log.error({ err: error }, 'framework error')
  return sendProblem(request, reply, 'internal', 'An unexpected error occurred; the operator can find it by the requestId.')
}

// What Node's parser reports, by error code, and the problem each becomes.
const clientErrors: Record<string, ProblemCode> = {
  HPE_HEADER_OVERFLOW: 'headers-too-large',
  ERR_HTTP_REQUEST_TIMEOUT: 'request-timeout',
  HPE_INVALID_METHOD: 'method-not-allowed',
}

/** The raw HTTP/1.1 response for a request the parser refused (the connection is closed after it). */
export function clientErrorResponse(code: string | undefined): string {
  const problem = clientErrors[code ?? ''] ?? 'validation-failed'
  const { status, title } = problemTypes[problem]
  const requestId = randomUUID()
  const detail = problem === 'validation-failed' ? 'The request is not valid HTTP.' : title
  const body = JSON.stringify({ type: problemTypeUri(problem), title, status, detail, requestId })
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${requestId}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n')
}

/** Fastify's `clientErrorHandler` option (the server's 'clientError' event). */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket) {
  // A reset connection has nobody to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  if (socket.writable) socket.write(clientErrorResponse(err.code))
  socket.destroy(err)
}
