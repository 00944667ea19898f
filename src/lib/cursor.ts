// Opaque pagination cursors: the sort key of the last row returned, base64url-encoded JSON.
// A cursor that does not decode to the expected key is the client's error (400), never a crash:
// each part is checked by type *and* range before it reaches a query (a forged `[1e20,"x"]` would
// otherwise be an invalid date and a non-UUID, both refused by the database as a 500).
import { ProblemError } from './problems.js'
import { unstorableCharacter } from './text-hygiene.js'

/** Longest cursor accepted (the README's limits); ours are far shorter. */
export const MAX_CURSOR_LENGTH = 512
/** Longest string part: keys, codes and user names are all shorter. */
const MAX_STRING_PART = 256
/** Numbers are row numbers, sequence numbers or epoch milliseconds: whole, ≥ 0, and a valid Date. */
const MAX_NUMBER_PART = 8.64e15
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url')
}

type KeyType = 'string' | 'number' | 'uuid'
type KeyOf<T extends readonly KeyType[]> = { -readonly [K in keyof T]: T[K] extends 'number' ? number : string }

const partIsValid: Record<KeyType, (v: unknown) => boolean> = {
  number: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_NUMBER_PART,
  string: (v) => typeof v === 'string' && v.length <= MAX_STRING_PART && unstorableCharacter(v) === null,
  uuid: (v) => typeof v === 'string' && uuidPattern.test(v),
}

/**
 * The key of a cursor this API issued, checked against the key's types (`['number', 'uuid']`):
 * undefined when there is no cursor, a 400 problem when it is not one of ours.
 */
export function readCursor<const T extends readonly KeyType[]>(cursor: string | undefined, types: T): KeyOf<T> | undefined {
  if (cursor === undefined) return undefined
  let value: unknown = null
  if (cursor.length <= MAX_CURSOR_LENGTH) {
    try {
      value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    } catch {
      value = null
    }
  }
  if (!Array.isArray(value) || value.length !== types.length || !value.every((v, i) => partIsValid[types[i]!](v))) {
    throw new ProblemError('invalid-cursor', 'The cursor is not one this API issued (or belongs to another query).', {
      errors: [{ pointer: '/query/cursor', message: 'is not a cursor this API issued' }],
    })
  }
  return value as KeyOf<T>
}
