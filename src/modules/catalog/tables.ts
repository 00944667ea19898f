// The catalog: the working set of disclosure items (edited by their departments) with each item's
// change history, the catalog versions that freeze it (reviewed, then published and immutable) with
// their frozen items, and each region's choice of disclosure levels.
import { sql } from 'drizzle-orm'
import { boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { departments, domains, regions } from '../reference/tables.js'
import { reviewColumns } from '../review/tables.js'
import type { Audience, CatalogEntry, ContentElement, FieldChange, LegalBasis, TimeLimit } from './elements.js'

export const catalogItems = pgTable(
  'catalog_items',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    key: text('key').notNull(),
    domain: text('domain')
      .notNull()
      .references(() => domains.code),
    firstLevel: text('first_level').notNull(),
    secondLevel: text('second_level').notNull(),
    thirdLevel: text('third_level'),
    content: jsonb('content').notNull().$type<ContentElement[]>(),
    basis: jsonb('basis').notNull().$type<LegalBasis[]>(),
    timeLimit: jsonb('time_limit').notNull().$type<TimeLimit>(),
    departmentCode: text('department_code').notNull(),
    /** Every responsible department, the lead (`department_code`) first. */
    departmentCodes: text('department_codes').array().notNull().default(sql`'{}'::text[]`),
    channels: text('channels').array().notNull(),
    channelsOther: text('channels_other'),
    audience: jsonb('audience').notNull().$type<Audience>(),
    proactive: boolean('proactive').notNull(),
    onRequest: boolean('on_request').notNull(),
    levels: text('levels').array().notNull(),
    status: text('status').notNull().default('active'),
    /** Lower-cased names, content, basis and department, for substring search (`q`). */
    searchText: text('search_text').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('catalog_items_region_key_uq').on(t.regionCode, t.key),
    index('catalog_items_region_updated_idx').on(t.regionCode, t.updatedAt),
    index('catalog_items_region_department_idx').on(t.regionCode, t.departmentCode),
    index('catalog_items_region_domain_idx').on(t.regionCode, t.domain),
    foreignKey({ name: 'catalog_items_department_fk', columns: [t.regionCode, t.departmentCode], foreignColumns: [departments.regionCode, departments.code] }),
  ],
)

/** One row per change of an item: who, when, and each changed field's old and new value. */
export const catalogItemChanges = pgTable(
  'catalog_item_changes',
  {
    itemId: uuid('item_id')
      .notNull()
      .references(() => catalogItems.id),
    /** The item's version after the change. */
    version: integer('version').notNull(),
    action: text('action').notNull(), // create | update | retire | reinstate
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name').notNull(),
    requestId: text('request_id'),
    at: timestamp('at', { withTimezone: true }).notNull(),
    changes: jsonb('changes').notNull().$type<FieldChange[]>(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.version] })],
)

export const catalogVersions = pgTable(
  'catalog_versions',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    number: integer('number').notNull(),
    changeNote: text('change_note').notNull(),
    itemCount: integer('item_count').notNull(),
    ...reviewColumns(),
    /** Row version, for If-Match on the few writes an unpublished version takes. */
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('catalog_versions_region_number_uq').on(t.regionCode, t.number),
    // `current`: the highest published number of a region, resolved on every request.
    index('catalog_versions_region_state_number_idx').on(t.regionCode, t.reviewState, t.number),
  ],
)

/** The items a version froze, as they were (`data`), with the columns its filters use. */
export const catalogVersionItems = pgTable(
  'catalog_version_items',
  {
    versionId: uuid('version_id')
      .notNull()
      .references(() => catalogVersions.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    domain: text('domain').notNull(),
    departmentCode: text('department_code').notNull(),
    levels: text('levels').array().notNull(),
    proactive: boolean('proactive').notNull(),
    onRequest: boolean('on_request').notNull(),
    searchText: text('search_text').notNull(),
    data: jsonb('data').notNull().$type<CatalogEntry>(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.key] })],
)

/** A region's disclosure levels (公开层级); without a row, the default county and township. */
export const catalogSettings = pgTable('catalog_settings', {
  regionCode: text('region_code')
    .primaryKey()
    .references(() => regions.code),
  levels: text('levels').array().notNull(),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

export type CatalogItemRow = typeof catalogItems.$inferSelect
export type CatalogItemChangeRow = typeof catalogItemChanges.$inferSelect
export type CatalogVersionRow = typeof catalogVersions.$inferSelect
export type CatalogVersionItemRow = typeof catalogVersionItems.$inferSelect
