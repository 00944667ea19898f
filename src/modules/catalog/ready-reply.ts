// Sending bytes that are already on hand (published-cache.ts, item-cache.ts): the tag, the 304 and the
// encoding are decided from headers alone, with no serialization, hashing or compression per request.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { chooseEncoding, type CachedResponse } from './published-cache.js'

/** The app-wide compression threshold (app.ts): smaller bodies are not worth a header and a lookup. */
const COMPRESS_FROM = 1024

/** RFC 9110 §13.1.2: If-None-Match compares weakly and may list several tags, or `*`. */
export function notModified(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match']
  if (!header) return false
  const strip = (t: string) => t.trim().replace(/^W\//, '')
  return header.split(',').some((t) => t.trim() === '*' || strip(t) === strip(etag))
}

/** Ready bytes (the hooks after the handler still see the headers set here). */
export async function sendReady(request: FastifyRequest, reply: FastifyReply, cached: CachedResponse, headers: { cacheControl?: string; contentLocation?: string | null } = {}) {
  reply.header('etag', cached.etag)
  if (headers.cacheControl) reply.header('cache-control', headers.cacheControl)
  reply.header('vary', 'accept-encoding')
  if (headers.contentLocation) reply.header('content-location', headers.contentLocation)
  if (notModified(request, cached.etag)) return reply.code(304).send()
  reply.type('application/json; charset=utf-8')
  const encoding = cached.body.length >= COMPRESS_FROM ? chooseEncoding(request.headers['accept-encoding']) : null
  if (!encoding) return reply.send(cached.body)
  reply.header('content-encoding', encoding)
  return reply.send(await cached.encoded(encoding))
}
