// Reference data: regions (the tenants), disclosure domains and the departments of each region.
import { sql } from 'drizzle-orm'
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core'

export const regions = pgTable('regions', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

export const domains = pgTable('domains', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  description: text('description').notNull().default(''),
  sortOrder: integer('sort_order').notNull().default(0),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Other names of a domain (the national guides' names: 国有土地上房屋征收与补偿 for 拆迁安置), unique once normalised. */
export const domainAliases = pgTable('domain_aliases', {
  aliasKey: text('alias_key').primaryKey(),
  alias: text('alias').notNull(),
  domainCode: text('domain_code')
    .notNull()
    .references(() => domains.code, { onDelete: 'cascade' }),
})

export const departments = pgTable(
  'departments',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    regionCode: text('region_code').notNull().references(() => regions.code),
    code: text('code').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    kind: text('kind').notNull(),
    parentId: uuid('parent_id').references((): AnyPgColumn => departments.id),
    pilot: boolean('pilot').notNull().default(false),
    sortOrder: integer('sort_order').notNull().default(0),
    version: integer('version').notNull().default(1),
    /** Set when the body is dissolved: it keeps its items and notices, readable, but takes no new ones. */
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    /** Set when it was merged into another body (then also retired): its names became that body's aliases. */
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => departments.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('departments_region_code_uq').on(t.regionCode, t.code), index('departments_parent_idx').on(t.parentId)],
)

/**
 * Other names of a department: short forms (区住建局), former names after a reform (区国土局), the plan's
 * abbreviations. Unique within a region once normalised (`alias_key`), so one text names one body.
 */
export const departmentAliases = pgTable(
  'department_aliases',
  {
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    aliasKey: text('alias_key').notNull(),
    alias: text('alias').notNull(),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ name: 'department_aliases_pk', columns: [t.regionCode, t.aliasKey] }), index('department_aliases_department_idx').on(t.departmentId)],
)

/** Each state a department has had, after each change, with who made it: the department's history. */
export const departmentHistory = pgTable(
  'department_history',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    action: text('action').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorName: text('actor_name').notNull(),
    actorId: text('actor_id'),
    state: jsonb('state').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('department_history_department_idx').on(t.departmentId, t.seq)],
)

export type DepartmentRow = typeof departments.$inferSelect
export type DomainRow = typeof domains.$inferSelect
export type DepartmentAliasRow = typeof departmentAliases.$inferSelect
