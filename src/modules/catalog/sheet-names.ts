// Stage 4 of reading a catalog sheet: the names in it, resolved by THE name resolver of reference data
// (reference/resolve.ts; never a second one here). A 公开主体 cell may name several bodies (the first
// leads, the others are co-responsible); the domain comes from, in order, the 公开领域 column, the
// `domain` parameter, the sheet's title, the section heading above the row. Every assumption becomes a
// warning of its row; a body that resolves to nothing or to several departments is a problem of its row.
import type { DepartmentDirectory, DomainDirectory, Resolution } from '../reference/resolve.js'
import type { ReadRow } from './sheet-rows.js'

export interface BodySummary {
  /** A distinct 公开主体 text of the sheet, as written. */
  text: string
  /** The departments it resolved to, lead first. */
  departments: string[]
}

export interface NameDirectories {
  departments: DepartmentDirectory
  domains: DomainDirectory
}

export interface NameDefaults {
  department?: string | undefined
  domain?: string | undefined
}

// Where a title or heading names its domain: before 领域 (…救灾领域基层政务公开标准目录) or before the
// words that end a catalog's title.
const TITLE_END = /领域|基层政务公开|政务公开|标准目录|目录/

/** The one domain a title or heading names (by its name or an alias, after any place or numbering prefix), with the line that names it. */
export function domainOfHeading(lines: readonly string[], domains: DomainDirectory): { code: string; line: string } | undefined {
  const found = new Map<string, string>()
  for (const line of lines) {
    const text = line.normalize('NFKC').replace(/\s+/g, '')
    const end = TITLE_END.exec(text)
    const head = end ? text.slice(0, end.index) : text
    // The longest tail that names a domain: 龙沙区保障性住房 → 保障性住房, （二）救灾 → 救灾.
    for (let i = 0; i < head.length - 1; i++) {
      const r = domains.resolve(head.slice(i))
      if (r.status === 'resolved') {
        if (!found.has(r.code)) found.set(r.code, line)
        break
      }
    }
  }
  const [only] = found
  return found.size === 1 ? { code: only![0], line: only![1] } : undefined
}

const viaWords: Record<string, string> = { alias: 'an alias', prefix: 'a place-prefix variant', normalised: 'a variant in spacing or width', code: 'its code', name: 'its name' }

/**
 * Resolves the bodies and domain of every row, in place: sets `department` (the lead), `departments`
 * and `domain` on each candidate, adds a problem for each body that cannot be resolved and a warning
 * for each assumption. Returns the summary of every distinct 公开主体 text.
 */
export function resolveRowNames(rows: ReadRow[], title: readonly string[], directories: NameDirectories, defaults: NameDefaults): BodySummary[] {
  // Sheets repeat the same few 公开主体 texts on every row: each distinct cell is resolved once.
  const cellCache = new Map<string, { text: string; resolution: Resolution }[]>()
  const resolveCell = (cell: string) => {
    let r = cellCache.get(cell)
    if (!r) cellCache.set(cell, (r = directories.departments.resolveCell(cell)))
    return r
  }
  const summary = new Map<string, string[]>()
  const titleDomain = domainOfHeading(title, directories.domains)
  const headingDomains = new Map<string, { code: string; line: string } | undefined>()

  for (const row of rows) {
    // 公开主体: each body of the cell; the first resolved leads.
    const departmentRef = row.columnOf('/department')
    if (row.bodies) {
      const codes: string[] = []
      let failed = false
      for (const { text: body, resolution: r } of resolveCell(row.bodies)) {
        if (r.status === 'resolved') {
          if (!codes.includes(r.code)) codes.push(r.code)
          if (r.via !== 'code' && r.via !== 'name') row.warnings.push(`column ${departmentRef.letter} (${departmentRef.label}): "${body}" read as ${r.code} (${r.matched}), by ${viaWords[r.via] ?? r.via}`)
          if (r.retired) row.warnings.push(`column ${departmentRef.letter} (${departmentRef.label}): "${body}" names ${r.code}, a retired department`)
        } else {
          failed = true
          const message =
            r.status === 'ambiguous'
              ? `"${body}" may name any of ${r.candidates.join(', ')}; write the full name or the code`
              : `no department named "${body}" in this region (write its name, an alias or its code)`
          row.problems.push({ column: departmentRef, message })
        }
      }
      if (!summary.has(row.bodies)) summary.set(row.bodies, codes)
      if (codes.length) {
        row.candidate.department = codes[0]
        row.candidate.departments = codes
      } else if (!failed) row.candidate.department = row.bodies
    } else if (defaults.department) {
      row.candidate.department = defaults.department
    }

    // 公开领域: the column, the parameter, the title, the heading above the row.
    if (row.domainText) {
      const r = directories.domains.resolve(row.domainText)
      const domainRef = row.columnOf('/domain')
      if (r.status === 'resolved') {
        row.candidate.domain = r.code
        if (r.via !== 'code' && r.via !== 'name') row.warnings.push(`column ${domainRef.letter} (${domainRef.label}): "${row.domainText}" read as the domain ${r.code} (${r.matched})`)
      } else {
        row.candidate.domain = row.domainText
        row.problems.push({ column: domainRef, message: r.status === 'ambiguous' ? `"${row.domainText}" may name any of the domains ${r.candidates.join(', ')}` : `no domain named "${row.domainText}"` })
      }
    } else if (defaults.domain) row.candidate.domain = defaults.domain
    else {
      // The nearest heading (a section's, or the title lines above the first table), else the sheet's title.
      const key = row.heading.join('\n')
      if (!headingDomains.has(key)) headingDomains.set(key, domainOfHeading(row.heading, directories.domains))
      const named = headingDomains.get(key) ?? titleDomain
      if (named) {
        row.candidate.domain = named.code
        const where = named.line === title[0] ? "the sheet's title" : 'the section heading'
        row.warnings.push(`domain ${named.code} taken from ${where} "${named.line.slice(0, 40)}"`)
      }
    }
  }
  return [...summary].map(([text, departments]) => ({ text, departments }))
}
