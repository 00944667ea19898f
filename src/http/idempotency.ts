// Idempotency-Key on POSTs that scripts retry (DESIGN.md, "API conventions"). The first request with
// a key claims it inside the transaction that does the work, and the response is stored with the
// claim: a retry with the same key and the same request gets the stored status and body (and
// `Idempotent-Replayed: true`); the same key with a different request is refused (422). A concurrent
// retry waits on the claim's row until the first commits. Failed requests roll their claim back, so a
// retry after an error is a new attempt. Keys are per caller and kept for 24 hours.
import type { FastifyRequest } from 'fastify'
import { and, eq, lt } from 'drizzle-orm'
import { Type } from 'typebox'
import type { Db } from '../db/client.js'
import { canonicalJson, sha256Hex } from '../lib/hashing.js'
import { unprocessable } from '../lib/problems.js'
import { idempotencyKeys } from './idempotency-tables.js'

export const IDEMPOTENCY_HOURS = 24

/** The request header, for a route's `headers` schema. */
export const IdempotencyKeyHeader = {
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x21-\\x7e]+$',
      description: `Makes a retry safe: a retry with the same key and the same request returns the first response (status and body) instead of doing the work again; the same key with a different request is refused (422). Keys are per caller, kept for ${IDEMPOTENCY_HOURS} hours. A UUID is a good key.`,
      examples: ['3f1c2a9e-0d5b-4c1e-9f7a-6b2d8e4c1a07'],
    }),
  ),
}

export interface StoredResponse {
  status: number
  contentType: string
  body: string
}

/** What makes two requests "the same": method, path and query, media type, and body (JSON compared by value). */
export function requestFingerprint(request: FastifyRequest): string {
  const body = request.body
  const bodyDigest = Buffer.isBuffer(body) ? sha256Hex(body) : sha256Hex(canonicalJson(body ?? null))
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  return sha256Hex([request.method, request.url, mediaType, bodyDigest].join('\n'))
}

/**
 * Runs `work` in a transaction, once per Idempotency-Key of the caller: without a key (or an
 * anonymous caller) it simply runs; with one it claims the key, runs and stores the response, or
 * returns the response stored for that key.
 */
export async function withIdempotency(
  db: Db,
  request: FastifyRequest,
  now: Date,
  work: (tx: Db) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const key = request.headers['idempotency-key']
  const principal = request.principal
  if (typeof key !== 'string' || !key || !principal) return { ...(await db.transaction(work)), replayed: false }
  const owner = `${principal.type}:${principal.id}`
  const operation = `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`
  const fingerprint = requestFingerprint(request)
  return db.transaction(async (tx) => {
    // Expired keys of this caller go first, so an old key can be used again.
    await tx.delete(idempotencyKeys).where(and(eq(idempotencyKeys.principal, owner), lt(idempotencyKeys.expiresAt, now)))
    const expiresAt = new Date(now.getTime() + IDEMPOTENCY_HOURS * 3_600_000)
    const claimed = await tx
      .insert(idempotencyKeys)
      .values({ principal: owner, key, operation, fingerprint, status: 0, contentType: '', body: '', createdAt: now, expiresAt })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key })
    if (!claimed.length) {
      const [stored] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.principal, owner), eq(idempotencyKeys.key, key)))
      if (!stored || stored.operation !== operation || stored.fingerprint !== fingerprint) {
        throw unprocessable(`The Idempotency-Key ${key} was used for a different request in the last ${IDEMPOTENCY_HOURS} hours; use a new key for a new request.`, [
          { pointer: '/headers/idempotency-key', message: 'was used for a different request' },
        ])
      }
      return { status: stored.status, contentType: stored.contentType, body: stored.body, replayed: true }
    }
    const response = await work(tx)
    await tx
      .update(idempotencyKeys)
      .set({ status: response.status, contentType: response.contentType, body: response.body })
      .where(and(eq(idempotencyKeys.principal, owner), eq(idempotencyKeys.key, key)))
    return { ...response, replayed: false }
  })
}
