// ETags of a calendar year and the If-Match check of its updates. The tag carries the year's stored
// version (what If-Match compares: did someone else load or correct this year since you read it?) and
// the region's revision (closures and the neighbouring years show in the view, so If-None-Match must
// change with them).
import { ProblemError } from '../../lib/problems.js'

export function yearEtag(year: number, version: number, revision: number | null): string {
  return `W/"calendar-${year}-v${version}-r${revision ?? 0}"`
}

/** The stored version a tag made by yearEtag() names for `year`, or null when it is not one of ours. */
export function versionOfEtag(tag: string, year: number): number | null {
  const m = /^(?:W\/)?"calendar-(\d+)-v(\d+)-r\d+"$/.exec(tag.trim())
  return m && Number(m[1]) === year ? Number(m[2]) : null
}

/**
 * A year already stored (version > 0) is changed only with an If-Match naming its current version, or
 * `*` (428 without one, 412 when stale); loading a year nobody has stored yet needs none.
 */
export function checkIfMatch(ifMatch: string | undefined, year: number, version: number): void {
  if (ifMatch === undefined) {
    if (version === 0) return
    throw new ProblemError('precondition-required', `The ${year} calendar is already stored: send its ETag (GET /v1/calendar/${year}) in If-Match, or * to overwrite it knowingly.`)
  }
  const tags = ifMatch.split(',').map((t) => t.trim())
  if (tags.includes('*') || tags.some((t) => versionOfEtag(t, year) === version)) return
  throw new ProblemError(
    'precondition-failed',
    `The ${year} calendar changed since you read it (it is at version ${version} now). Fetch it again and reapply your change.`,
  )
}
