// The working-day calendar: the State Council's yearly arrangement (national, one row a year, stored
// as its holiday ranges and make-up working days), each region's own closures on top, the period
// rules, and a revision counter per region that every instance checks before using a cached calendar.
import { sql } from 'drizzle-orm'
import { bigint, boolean, date, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { regions } from '../reference/tables.js'

export interface StoredHoliday {
  name: string
  nameEn?: string
  from: string
  to: string
}
export interface StoredMakeupDay {
  date: string
  name?: string
}

export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  status: text('status').notNull(), // 'official' | 'provisional' (provisional years are computed, rarely stored)
  holidays: jsonb('holidays').notNull().$type<StoredHoliday[]>(),
  makeupWorkdays: jsonb('makeup_workdays').notNull().$type<StoredMakeupDay[]>(),
  source: text('source').notNull(), // 'package' (seeded from chinese-days) | 'admin'
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by'),
})

export const regionClosures = pgTable(
  'region_closures',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    regionCode: text('region_code').notNull().references(() => regions.code),
    date: date('date', { mode: 'string' }).notNull(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by'),
  },
  (t) => [uniqueIndex('region_closures_region_date_uq').on(t.regionCode, t.date)],
)

export const periodRules = pgTable(
  'period_rules',
  {
    regionCode: text('region_code').notNull().references(() => regions.code),
    code: text('code').notNull(),
    unit: text('unit').notNull(), // 'calendar_day' | 'working_day'
    length: integer('length').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    legalSource: text('legal_source').notNull(),
    description: text('description').notNull().default(''),
    builtIn: boolean('built_in').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.code] })],
)

export const calendarRevisions = pgTable('calendar_revisions', {
  regionCode: text('region_code').primaryKey(),
  revision: bigint('revision', { mode: 'number' }).notNull().default(1),
})
