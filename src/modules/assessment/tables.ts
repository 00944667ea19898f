// A region's assessment settings: the weight of each indicator in a department's score.
import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core'
import { regions } from '../reference/tables.js'

export const assessmentSettings = pgTable('assessment_settings', {
  regionCode: text('region_code')
    .primaryKey()
    .references(() => regions.code),
  weights: jsonb('weights').notNull().$type<Record<string, number>>(),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
})
