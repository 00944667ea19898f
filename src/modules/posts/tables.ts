// Posts of the special column (专题专栏) on the portal and the E-Net app: work progress, typical cases
// and highlights, written by departments and published through the review workflow.
import { sql } from 'drizzle-orm'
import { foreignKey, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { departments, domains } from '../reference/tables.js'
import { reviewColumns } from '../review/tables.js'

export const posts = pgTable(
  'posts',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    regionCode: text('region_code').notNull(),
    departmentCode: text('department_code').notNull(),
    domainCode: text('domain_code').references(() => domains.code),
    category: text('category').notNull(), // progress | case | highlight
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    /** Markdown. */
    body: text('body').notNull().default(''),
    coverImageUrl: text('cover_image_url'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    ...reviewColumns(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // The public column: published posts of a region, newest change first.
    index('posts_public_idx').on(t.regionCode, t.reviewState, t.updatedAt, t.id),
    index('posts_department_idx').on(t.regionCode, t.departmentCode, t.updatedAt),
    foreignKey({ name: 'posts_department_fk', columns: [t.regionCode, t.departmentCode], foreignColumns: [departments.regionCode, departments.code] }),
  ],
)

export type PostRow = typeof posts.$inferSelect
