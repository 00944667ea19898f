// Stage 5 of an import: the rows of an upload, whatever its format, checked the way a single item is: against the item
// schema of POST /v1/items (the same TypeBox schema, compiled here) and the catalog's own rules
// (`itemProblems`), plus what only a batch has — keys derived for rows without one, one department per
// upload, and the same item twice. Every problem of every row is collected, each with where it is:
// a row and column of a sheet, or an index and field of a JSON array.
import { Type, type TProperties } from 'typebox'
import { Compile, type Validator } from 'typebox/compile'
import { sha256Hex } from '../../lib/hashing.js'
import type { FieldError } from '../../lib/problems.js'
import type { CatalogElements } from './elements.js'
import { completeElements, itemProblems, type CatalogVocabulary, type ElementsInput } from './items.js'
import { parseTimeLimit } from './layout-time.js'
import type { ColumnRef, ReadRow } from './sheet-rows.js'
import { CreateItemRequest, itemSchemas, ItemKey, TimeLimitSchema } from './schemas.js'

/** A JSON row may leave out its key (derived like a sheet row's). */
/** A JSON row may leave out `timeLimit.rule` (derived from the wording, as in sheets). */
const BulkTimeLimit = Type.Object(
  { text: TimeLimitSchema.properties.text, rule: Type.Optional(TimeLimitSchema.properties.rule) },
  { additionalProperties: false, description: 'The time limit; without `rule`, the rule is derived from the wording (信息形成或者变更之日起20个工作日内 → within 20 working days) — 422 when the wording says no rule the parser knows.' },
)
export const BulkItemSchema = Type.Object(
  { ...CreateItemRequest.properties, key: Type.Optional(ItemKey), timeLimit: BulkTimeLimit },
  { additionalProperties: false, $id: 'BulkItem', description: 'A disclosure item to import: the elements of POST /v1/items; without `key`, one is derived from the domain, department and names; without `timeLimit.rule`, it is derived from the wording.' },
)

// The named schemas the item schema refers to, by $id, for the compiler to resolve its references.
const schemaContext: TProperties = Object.fromEntries(itemSchemas.map((s) => [(s as unknown as { $id: string }).$id, s]))
let validator: Validator | undefined

/** A row to check: its candidate item and how to say where a problem is. */
export interface UploadRow {
  /** The sheet row number, or the JSON array index. */
  row: number
  /** `row 14` or `item 3`, for messages that point at another row. */
  name: string
  /** null when the row is not an object at all (its problem says so). */
  candidate: Record<string, unknown> | null
  /** Problems found while reading the row (unreadable cells, unresolvable names). */
  problems: FieldError[]
  /** Assumptions made reading the row (a sheet's; none for JSON unless a rule was derived). */
  warnings: string[]
  /** A problem at an element path (`/audience/groupDescription`), said where the uploader will find it. */
  locate(path: string, message: string): FieldError
}

export interface CheckedRow {
  row: number
  warnings: string[]
  key: string
  elements: CatalogElements
  locate: UploadRow['locate']
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')

/**
 * A JSON item. A `timeLimit` without `rule` has it derived from the wording by the parser sheets use
 * (layout-time.ts); wording that says no rule the parser knows is a problem: give the rule.
 */
export function jsonRow(index: number, value: unknown): UploadRow {
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value)
  const locate: UploadRow['locate'] = (path, message) => ({ pointer: `/body/${index}${path}`, message: `item ${index}${path ? `, ${path.slice(1)}` : ''}: ${message}` })
  const candidate = isObject ? { ...(value as Record<string, unknown>) } : null
  const problems: FieldError[] = isObject ? [] : [{ pointer: `/body/${index}`, message: `item ${index}: must be an object (a disclosure item)` }]
  const warnings: string[] = []
  const timeLimit = candidate?.timeLimit
  if (timeLimit && typeof timeLimit === 'object' && !Array.isArray(timeLimit) && !('rule' in timeLimit) && typeof (timeLimit as { text?: unknown }).text === 'string') {
    const text = (timeLimit as { text: string }).text
    const rule = parseTimeLimit(text)
    if (rule.type === 'other') problems.push(locate('/timeLimit/rule', `cannot be derived from "${text}"; give the rule (within, before, realtime, promptly, permanent, fixed_date or other)`))
    else {
      candidate!.timeLimit = { ...timeLimit, rule }
      warnings.push(`timeLimit.rule derived from the wording: ${rule.type}`)
    }
  }
  return { row: index, name: `item ${index}`, candidate, problems, warnings, locate }
}

function where(row: number, column: ColumnRef) {
  return column.letter ? `row ${row}, column ${column.letter} (${column.label})` : `row ${row}, ${column.label} (no such column)`
}

export function sheetRow(read: ReadRow): UploadRow {
  const at = (column: ColumnRef, message: string): FieldError => ({ pointer: `/body/${read.row}/${escapePointer(column.label)}`, message: `${where(read.row, column)}: ${message}` })
  return {
    row: read.row,
    name: `row ${read.row}`,
    candidate: read.candidate,
    problems: read.problems.map((p) => at(p.column, p.message)),
    warnings: read.warnings,
    locate: (path, message) => at(read.columnOf(path), message),
  }
}

/**
 * A key for a row without one: the domain, then a digest of the department and the names (folded
 * widths and spaces), so the same sheet imported again names the same items. The department is part
 * of it because several departments (every subdistrict) may list an item of the same name.
 */
export function derivedKey(domain: string, department: string, names: (string | null | undefined)[]): string {
  const fold = (s: string | null | undefined) => (s ?? '').normalize('NFKC').replace(/\s+/g, ' ').trim()
  return `${domain}.item_${sha256Hex([department, ...names].map(fold).join('\u001f')).slice(0, 12)}`
}

interface SchemaError {
  instancePath: string
  keyword: string
  params: Record<string, unknown>
  message: string
}

/** Schema errors as element paths with plain messages, one per path. */
function schemaProblems(candidate: Record<string, unknown>): { path: string; message: string }[] {
  const compiled = (validator ??= Compile(schemaContext, CreateItemRequest))
  if (compiled.Check(candidate)) return []
  const found = new Map<string, string>()
  const add = (path: string, message: string) => {
    if (!found.has(path)) found.set(path, message)
  }
  for (const e of compiled.Errors(candidate) as unknown as SchemaError[]) {
    const path = e.instancePath
    // A union (the time rule) reports every variant's complaint; one line says it better.
    if (path.startsWith('/timeLimit/rule')) {
      add('/timeLimit/rule', 'is not a time rule (within, before, realtime, promptly, permanent, fixed_date or other, with their fields)')
      continue
    }
    switch (e.keyword) {
      case 'required':
        for (const p of (e.params.requiredProperties as string[] | undefined) ?? []) add(`${path}/${p}`, 'is required')
        break
      case 'additionalProperties':
        for (const p of (e.params.additionalProperties as string[] | undefined) ?? []) add(`${path}/${p}`, 'is not a known field')
        break
      case 'boolean':
        add(path, 'is not a known field')
        break
      case 'minLength':
      case 'minItems':
        add(path, e.params.limit === 1 ? 'is empty' : e.message)
        break
      case 'pattern':
        if (e.params.pattern === '\\S') add(path, 'is empty')
        else if (path === '/key') add(path, 'must be lower-case words joined by dots, the domain first (land_acquisition.pre_announcement)')
        else if (path === '/domain') add(path, 'is not a domain code')
        else add(path, e.message)
        break
      case 'maxLength':
        add(path, `is longer than ${String(e.params.limit)} characters`)
        break
      case 'uniqueItems':
        add(path, 'lists the same value twice')
        break
      default:
        add(path, e.message)
    }
  }
  return [...found].map(([path, message]) => ({ path, message }))
}

export interface RowCheckOptions {
  /** Fills rows without a department; when set, every row must name it (as lead or co-responsible). */
  department?: string | undefined
  /** Fills rows without a domain. */
  domain?: string | undefined
}

/** Checks every row; returns the valid ones and every problem of the others. */
export function checkRows(rows: UploadRow[], vocab: CatalogVocabulary, options: RowCheckOptions): { valid: CheckedRow[]; errors: FieldError[] } {
  const valid: CheckedRow[] = []
  const errors: FieldError[] = []
  const firstRowOfKey = new Map<string, { name: string; derived: boolean }>()
  for (const row of rows) {
    const candidate = row.candidate
    const rowErrors = [...row.problems]
    if (!candidate) {
      errors.push(...rowErrors)
      continue
    }
    if (candidate.department === undefined && options.department) candidate.department = options.department
    if (candidate.domain === undefined && options.domain) candidate.domain = options.domain
    const derived = candidate.key === undefined
    if (derived) {
      const { domain, department, firstLevel, secondLevel, thirdLevel } = candidate
      if (typeof domain === 'string' && /^[a-z][a-z0-9_]{1,63}$/.test(domain) && typeof department === 'string' && typeof firstLevel === 'string' && typeof secondLevel === 'string') {
        candidate.key = derivedKey(domain, department, [firstLevel, secondLevel, typeof thirdLevel === 'string' ? thirdLevel : null])
      }
    }
    // Every problem of the row, each place once (a cell that could not be read is not also "required").
    const reported = new Set(rowErrors.map((e) => e.pointer))
    const report = (error: FieldError) => {
      if (!reported.has(error.pointer)) rowErrors.push(error)
      reported.add(error.pointer)
    }
    const shapeProblems = schemaProblems(candidate).filter((p) => !(p.path === '/key' && derived)) // missing names are reported instead
    for (const p of shapeProblems) report(row.locate(p.path, p.message))
    if (shapeProblems.length || candidate.key === undefined) {
      errors.push(...rowErrors)
      continue
    }
    // The rules of a single item, on a candidate whose shape is right (even if a cell failed to read).
    const key = candidate.key as string
    const elements = completeElements(candidate as unknown as ElementsInput)
    for (const p of itemProblems(vocab, elements, '')) report(row.locate(p.pointer, p.message))
    if (options.department && !elements.departments.includes(options.department)) {
      report(row.locate('/department', `is ${elements.departments.join(', ')}, but this upload is for department ${options.department}`))
    }
    const earlier = firstRowOfKey.get(key)
    if (earlier) {
      report(row.locate('/key', derived && earlier.derived ? `names the same item as ${earlier.name} (same domain, department and names)` : `${key} is also on ${earlier.name}`))
    } else firstRowOfKey.set(key, { name: row.name, derived })
    if (rowErrors.length) errors.push(...rowErrors)
    else valid.push({ row: row.row, warnings: row.warnings, key, elements, locate: row.locate })
  }
  return { valid, errors }
}
