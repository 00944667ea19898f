// Optimistic concurrency: resources carry a version; their ETag is derived from it, and updates must
// send it back in If-Match (428 when missing, 412 when someone else changed the resource meanwhile).
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ProblemError } from '../lib/problems.js'

export function etagOf(kind: string, id: string, version: number): string {
  return `"${kind}-${id}-v${version}"`
}

export function setEtag(reply: FastifyReply, etag: string): void {
  reply.header('etag', etag)
}

/** The ETag the client says it edited; throws 428 when the header is missing. */
export function requireIfMatch(request: FastifyRequest): string {
  const value = request.headers['if-match']
  if (!value) {
    throw new ProblemError('precondition-required', 'Send the ETag of the version you edited in If-Match.')
  }
  return value.trim()
}

/** Throws 412 unless `ifMatch` names the current version (or is `*`). */
export function checkIfMatch(ifMatch: string, current: string): void {
  if (ifMatch === '*') return
  const candidates = ifMatch.split(',').map((s) => s.trim().replace(/^W\//, ''))
  if (!candidates.includes(current)) {
    throw new ProblemError('precondition-failed', `The resource has changed (its ETag is now ${current}); fetch it again and reapply your change.`)
  }
}

export const IfMatchHeader = {
  'if-match': { type: 'string', description: 'The ETag of the version being edited (required).' },
} as const
