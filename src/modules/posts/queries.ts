// drizzle queries for posts. Handle first; services own transactions.
import { and, arrayContains, desc, eq, gte, inArray, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { posts, type PostRow } from './tables.js'

export async function findPost(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<PostRow | null> {
  const query = db.select().from(posts).where(eq(posts.id, id))
  const [row] = options.forUpdate ? await query.for('update') : await query
  return row ?? null
}

export interface PostFilter {
  regionCode: string
  /** Published posts only, or also the unpublished ones of these departments (null: all). */
  publicOnly: boolean
  departments: string[] | null
  /** With updatedSince: withdrawn posts that had been published, so a synced copy can drop them. */
  withTombstones: boolean
  category?: string | undefined
  department?: string | undefined
  domain?: string | undefined
  tag?: string | undefined
  state?: string | undefined
  updatedSince?: Date | undefined
  after?: { updatedAt: Date; id: string } | undefined
  limit: number
}

export function listPosts(db: Db, f: PostFilter) {
  const where: SQL[] = [eq(posts.regionCode, f.regionCode)]
  const published = f.withTombstones ? or(eq(posts.reviewState, 'published'), and(eq(posts.reviewState, 'withdrawn'), isNotNull(posts.publishedAt)))! : eq(posts.reviewState, 'published')
  if (f.publicOnly) where.push(published)
  else if (f.departments) where.push(or(published, f.departments.length ? inArray(posts.departmentCode, f.departments) : sql`false`)!)
  if (f.category) where.push(eq(posts.category, f.category))
  if (f.department) where.push(eq(posts.departmentCode, f.department))
  if (f.domain) where.push(eq(posts.domainCode, f.domain))
  if (f.tag) where.push(arrayContains(posts.tags, [f.tag]))
  if (f.state) where.push(eq(posts.reviewState, f.state))
  if (f.updatedSince) where.push(gte(posts.updatedAt, f.updatedSince))
  if (f.after) where.push(or(lt(posts.updatedAt, f.after.updatedAt), and(eq(posts.updatedAt, f.after.updatedAt), lt(posts.id, f.after.id)))!)
  return db
    .select()
    .from(posts)
    .where(and(...where))
    .orderBy(desc(posts.updatedAt), desc(posts.id))
    .limit(f.limit)
}
