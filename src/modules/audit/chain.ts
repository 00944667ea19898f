// The digest of an audit row: SHA-256 over the canonical JSON of its content and the previous digest.
// Any change to a stored row, or a row removed or inserted, breaks the chain from there on.
import { canonicalJson, sha256Hex } from '../../lib/hashing.js'

export const GENESIS_HASH = '0'.repeat(64)

export interface ChainedContent {
  seq: number
  at: Date
  regionCode: string
  actorType: string
  actorId: string | null
  actorName: string
  action: string
  targetType: string
  targetId: string
  requestId: string | null
  details: Record<string, unknown>
  prevHash: string
}

export function digestOf(row: ChainedContent): string {
  return sha256Hex(
    canonicalJson([
      row.seq,
      row.at.toISOString(),
      row.regionCode,
      row.actorType,
      row.actorId,
      row.actorName,
      row.action,
      row.targetType,
      row.targetId,
      row.requestId,
      row.details,
      row.prevHash,
    ]),
  )
}

/** The last row of the log: what the next row is chained to. */
export interface ChainHead {
  seq: number
  hash: string
}

/**
 * Chains `entries` after `head` (null: the log is empty), in order: each takes the next sequence
 * number, the previous row's digest as its prevHash, and its own digest. Pure, so a batch of rows is
 * linked in memory and written in one statement.
 */
export function chainAfter<T extends Omit<ChainedContent, 'seq' | 'prevHash'>>(head: ChainHead | null, entries: T[]): (T & { seq: number; prevHash: string; hash: string })[] {
  let seq = head?.seq ?? 0
  let prevHash = head?.hash ?? GENESIS_HASH
  return entries.map((entry) => {
    const content = { ...entry, seq: ++seq, prevHash }
    prevHash = digestOf(content)
    return { ...content, hash: prevHash }
  })
}
