// Opaque pagination cursors: the sort key of the last row returned, base64url-encoded JSON.
// A cursor that does not decode is the client's error (400), never a crash.

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url')
}

/** Returns the decoded key, or null when the cursor is not one this API issued. */
export function decodeCursor(cursor: string, arity: number): (string | number)[] | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (!Array.isArray(value) || value.length !== arity) return null
    if (!value.every((v) => typeof v === 'string' || typeof v === 'number')) return null
    return value as (string | number)[]
  } catch {
    return null
  }
}
