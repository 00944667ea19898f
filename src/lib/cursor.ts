// Opaque pagination cursors: the sort key of the last row returned, base64url-encoded JSON.
// A cursor that does not decode to the expected key is the client's error (400), never a crash.
import { ProblemError } from './problems.js'

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url')
}

type KeyType = 'string' | 'number'
type KeyOf<T extends readonly KeyType[]> = { -readonly [K in keyof T]: T[K] extends 'string' ? string : number }

/**
 * The key of a cursor this API issued, checked against the key's types (`['number', 'string']`):
 * undefined when there is no cursor, a 400 problem when it is not one of ours.
 */
export function readCursor<const T extends readonly KeyType[]>(cursor: string | undefined, types: T): KeyOf<T> | undefined {
  if (cursor === undefined) return undefined
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    value = null
  }
  if (!Array.isArray(value) || value.length !== types.length || !value.every((v, i) => typeof v === types[i])) {
    throw new ProblemError('invalid-cursor', 'The cursor is not one this API issued (or belongs to another query).')
  }
  return value as KeyOf<T>
}

