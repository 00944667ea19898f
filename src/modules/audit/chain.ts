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
