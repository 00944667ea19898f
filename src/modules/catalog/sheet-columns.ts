// Stage 2 of reading a catalog sheet: what each header column holds. Labels are read as districts write
// them (legends, line breaks, wording variants: layout-columns.ts); level columns (区级, 镇街、村级,
// 乡、村级) are mapped to the region's own levels by tier, so a district's 区级 is the region's county level.
import { columnLetter, type HeaderLocation } from '../../lib/spreadsheet/grid.js'
import type { Level } from './elements.js'
import { columnNames, columnOfLabel, isEnglishLabel, type ColumnField, type PlainField } from './layout-columns.js'
import { levelLabels } from './layout.js'

export interface MappedColumn {
  index: number
  label: string
  field: ColumnField
  /** A level column: the region's levels a √ in it stands for. */
  levels: Level[]
  /** An English field-name column (true/false cells rather than √). */
  english: boolean
}

export interface ColumnMap {
  layout: 'published' | 'chinese' | 'fields'
  /** The column of each field (level columns apart). */
  byField: Map<PlainField, MappedColumn>
  levelColumns: MappedColumn[]
  /** Problems of the header as a whole (duplicate columns, no 二级事项): the sheet cannot be read. */
  problems: string[]
  warnings: string[]
}

// The tiers levels belong to: a sheet's 区级 and a region's county level are the same tier.
const tierOf: Record<Level, number> = { city: 0, district: 1, county: 1, town_subdistrict: 2, township: 2, village: 3 }

/** The region's level a sheet's level stands for: itself, or the region's level of the same tier. */
export function regionLevelOf(level: Level, regionLevels: readonly Level[]): Level | undefined {
  if (regionLevels.includes(level)) return level
  return regionLevels.find((l) => tierOf[l] === tierOf[level])
}

/** The region's levels a list of a sheet's levels stands for, and the ones the region has no tier for. */
export function regionLevelsOf(levels: readonly Level[], regionLevels: readonly Level[]): { levels: Level[]; unmatched: Level[] } {
  const mapped: Level[] = []
  const unmatched: Level[] = []
  for (const l of levels) {
    const r = regionLevelOf(l, regionLevels)
    if (r) mapped.push(r)
    else unmatched.push(l)
  }
  return { levels: [...new Set(mapped)], unmatched }
}

export function mapColumns(header: HeaderLocation, regionLevels: readonly Level[]): ColumnMap {
  const byField = new Map<PlainField, MappedColumn>()
  const levelColumns: MappedColumn[] = []
  const problems: string[] = []
  const warnings: string[] = []
  for (const c of header.columns) {
    const label = c.label.replace(/\s+/g, ' ').trim()
    const named = columnOfLabel(c.label)
    if (!named) {
      warnings.push(`column ${columnLetter(c.index)} (${label}) is not a catalog column and was not read`)
      continue
    }
    if (named.field === 'ignore') continue
    const english = isEnglishLabel(c.label)
    if (named.field === 'levelTick') {
      const { levels, unmatched } = regionLevelsOf(named.levels!, regionLevels)
      if (unmatched.length) warnings.push(`column ${columnLetter(c.index)} (${label}): this region has no ${unmatched.map((l) => levelLabels[l]).join('、')} level; ${levels.length ? 'read as ' + levels.map((l) => levelLabels[l]).join('、') : 'not read'}`)
      else if (named.levels!.some((l, i) => l !== levels[i])) warnings.push(`column ${columnLetter(c.index)} (${label}) read as the region's ${levels.map((l) => levelLabels[l]).join('、')} level`)
      if (levels.length) levelColumns.push({ index: c.index, label, field: 'levelTick', levels, english })
      continue
    }
    const field = named.field
    const before = byField.get(field)
    if (before) {
      problems.push(`columns ${columnLetter(before.index)} and ${columnLetter(c.index)} are both ${columnNames[field].zh} (${label})`)
      continue
    }
    byField.set(field, { index: c.index, label, field, levels: [], english })
  }
  if (!byField.has('secondLevel')) problems.push(`the sheet has no ${columnNames.secondLevel.zh} (${columnNames.secondLevel.en}) column`)
  const all = [...byField.values(), ...levelColumns]
  const layout = header.rowCount === 2 ? 'published' : all.every((c) => c.english || c.field === 'levelTick') ? 'fields' : 'chinese'
  return { layout, byField, levelColumns, problems, warnings }
}
