// The declared columns of a notice's list and the rows under them. Personal columns (name, ID number,
// phone, address) are flagged by their type; columns that no publicity purpose justifies — bank
// accounts, health, disability (PIPL art. 28: sensitive personal information) — are refused.
import { findUnmasked, personalFieldOf, personalKinds, type PersonalKind, type UnmaskedKind } from '../../lib/masking.js'
import type { FieldError } from '../../lib/problems.js'
import type { NoticeColumn } from './tables.js'
import { idNumberProblem } from '../../lib/id-number.js'

export const columnTypes = ['text', 'integer', 'decimal', 'amount', 'date', 'name', 'id_number', 'phone', 'address', 'email'] as const

export const isPersonal = (c: Pick<NoticeColumn, 'type'>): c is { type: PersonalKind } => (personalKinds as readonly string[]).includes(c.type)

// Keys and labels that name sensitive information a notice must never publish.
const forbidden: { pattern: RegExp; what: string }[] = [
  { pattern: /bank|account_?(no|number)|card_?(no|number)|银行|账号|帐号|卡号/i, what: 'bank account' },
  { pattern: /health|medical|disease|illness|diagnos|病|健康|医疗|诊断/i, what: 'health' },
  { pattern: /disab|handicap|残疾|伤残/i, what: 'disability' },
]

/** What sensitive information a column name (key or label) announces, if any: 'bank account', 'health', 'disability'. */
export function forbiddenInformation(name: string): string | null {
  return forbidden.find((f) => f.pattern.test(name))?.what ?? null
}

export function columnProblems(columns: NoticeColumn[], pointer: string): FieldError[] {
  const problems: FieldError[] = []
  const seen = new Set<string>()
  columns.forEach((c, i) => {
    const at = `${pointer}/${i}`
    const what = forbiddenInformation(c.key) ?? forbiddenInformation(c.label)
    if (what) problems.push({ pointer: at, message: `the column "${c.label}" (${c.key}) holds ${what} information, which a notice must not publish` })
    // Masking follows the type, so a personal field declared as text would be published as it is.
    const personal = personalFieldOf(c.label) ?? personalFieldOf(c.key)
    if (!what && personal && !isPersonal(c)) problems.push({ pointer: `${at}/type`, message: `the column "${c.label}" (${c.key}) names personal information: declare it as ${personal}, so that it is masked` })
    if (seen.has(c.key)) problems.push({ pointer: `${at}/key`, message: `duplicates the column ${c.key}` })
    seen.add(c.key)
  })
  return problems
}

const personalValue: Record<UnmaskedKind, string> = { idNumber: 'an ID number', mobile: 'a mobile phone number', landline: 'a phone number', email: 'an e-mail address' }

const datePattern = /^\d{4}-\d{2}-\d{2}$/

/** Checks each row against the columns; returns every problem with its row and column. */
export function entryProblems(columns: NoticeColumn[], rows: Record<string, unknown>[], pointer: string): FieldError[] {
  const byKey = new Map(columns.map((c) => [c.key, c]))
  const problems: FieldError[] = []
  rows.forEach((row, i) => {
    for (const key of Object.keys(row)) {
      if (!byKey.has(key)) problems.push({ pointer: `${pointer}/${i}/${key}`, message: 'is not a declared column' })
    }
    for (const c of columns) {
      const v = row[c.key]
      const at = `${pointer}/${i}/${c.key}`
      if (v === undefined || v === null || v === '') continue
      if (c.type === 'integer' && !Number.isInteger(v)) problems.push({ pointer: at, message: 'must be a whole number' })
      else if ((c.type === 'decimal' || c.type === 'amount') && (typeof v !== 'number' || !Number.isFinite(v))) problems.push({ pointer: at, message: 'must be a number' })
      else if (c.type === 'date' && (typeof v !== 'string' || !datePattern.test(v))) problems.push({ pointer: at, message: 'must be a date YYYY-MM-DD' })
      else if (['text', 'name', 'id_number', 'phone', 'address', 'email'].includes(c.type) && typeof v !== 'string') problems.push({ pointer: at, message: 'must be text' })
      else if (c.type === 'id_number' && idNumberProblem(String(v))) problems.push({ pointer: at, message: idNumberProblem(String(v))! })
      else if (c.type === 'phone' && !/^[0-9+\s-]{7,20}$/.test(String(v))) problems.push({ pointer: at, message: 'must be a phone number' })
      else if (c.type === 'email' && !/^[^\s@]{1,64}@[^\s@]{1,255}$/.test(String(v))) problems.push({ pointer: at, message: 'must be an e-mail address' })
      else if (!isPersonal(c)) {
        // A value that is personal data in a column that is not declared so would be published unmasked.
        const found = findUnmasked(String(v))
        if (found) problems.push({ pointer: at, message: `looks like ${personalValue[found.kind]}, which the column "${c.label}" would publish unmasked: declare the column as personal or remove the value` })
      }
    }
  })
  return problems
}
