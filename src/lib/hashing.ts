// Hashing helpers with one meaning each: canonical JSON (stable key order, so a digest does not depend
// on how a database returns a jsonb object), SHA-256 digests, and random tokens.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * JSON with object keys sorted at every level (by UTF-16 code units, as `<` compares them); arrays keep
 * their order; undefined properties are left out and undefined array items written as null. Built in
 * one string without intermediate arrays: every audit row's digest and every field an import compares
 * goes through here (a 10,000-item import: tens of thousands of calls).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (value instanceof Date) return JSON.stringify(value.toISOString())
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i])
    return out + ']'
  }
  const object = value as Record<string, unknown>
  let out = '{'
  for (const key of Object.keys(object).sort()) {
    const item = object[key]
    if (item === undefined) continue
    out += (out.length > 1 ? ',' : '') + JSON.stringify(key) + ':' + canonicalJson(item)
  }
  return out + '}'
}

export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex')
}

/** A random secret of `bytes` bytes, base64url (no padding). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

/** Compares two hex digests in constant time. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  return x.length === y.length && timingSafeEqual(x, y)
}
