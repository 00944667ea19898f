// Posts of the special column (专题专栏): drafted by a department's editors, reviewed by its
// reviewers (author ≠ approver), published to the portal and the E-Net app, withdrawn with a reason.
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import type { Principal } from '../../http/access.js'
import { checkIfMatch, etagOf } from '../../http/preconditions.js'
import { encodeCursor, readCursor } from '../../lib/cursor.js'
import { catchNotFound, conflict, notFound, unprocessable, type FieldError } from '../../lib/problems.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { appendEvent } from '../events/outbox.js'
import { getDepartment, getDomain } from '../reference/service.js'
import { planReview, recordEdit, recordTransition, type ReviewAction } from '../review/workflow.js'
import * as q from './queries.js'
import { posts, type PostRow } from './tables.js'

export const postCategories = ['progress', 'case', 'highlight'] as const
export type PostCategory = (typeof postCategories)[number]

export const postEtag = (p: { id: string; version: number }) => etagOf('post', p.id, p.version)

export interface PostInput {
  departmentCode: string
  domainCode?: string | null | undefined
  category: PostCategory
  title: string
  summary?: string | undefined
  body?: string | undefined
  coverImageUrl?: string | null | undefined
  tags?: string[] | undefined
}

async function validate(db: Db, regionCode: string, input: Partial<PostInput>) {
  const errors: FieldError[] = []
  if (input.departmentCode) await catchNotFound(getDepartment(db, regionCode, input.departmentCode), () => errors.push({ pointer: '/body/departmentCode', message: `no department ${input.departmentCode}` }))
  if (input.domainCode) await catchNotFound(getDomain(db, input.domainCode), () => errors.push({ pointer: '/body/domainCode', message: `no domain ${input.domainCode}` }))
  if (errors.length) throw unprocessable('The post is not valid.', errors)
}

/** Tags trimmed, without repeats, in the order given. */
const cleanTags = (tags: string[] | undefined) => (tags ? [...new Set(tags.map((t) => t.trim()).filter(Boolean))] : undefined)

export async function createPost(db: Db, ctx: WriteContext, input: PostInput): Promise<PostRow> {
  await validate(db, ctx.regionCode, input)
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(posts)
      .values({
        regionCode: ctx.regionCode,
        departmentCode: input.departmentCode,
        domainCode: input.domainCode ?? null,
        category: input.category,
        title: input.title,
        summary: input.summary ?? '',
        body: input.body ?? '',
        coverImageUrl: input.coverImageUrl ?? null,
        tags: cleanTags(input.tags) ?? [],
        authorId: ctx.actor.id ?? 'system',
        authorName: ctx.actor.name,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning()
    await appendAudit(tx, ctx, { action: 'post.create', targetType: 'post', targetId: row!.id, details: { title: input.title, department: input.departmentCode, category: input.category } })
    return row!
  })
}

const editable = new Set(['draft', 'rejected'])

async function lock(tx: Db, id: string): Promise<PostRow> {
  const row = await q.findPost(tx, id, { forUpdate: true })
  if (!row) throw notFound(`No post ${id}.`)
  return row
}

/** Edits a draft or rejected post (If-Match). The department stays: a post is its department's. */
export async function updatePost(db: Db, ctx: WriteContext, id: string, ifMatch: string, patch: Partial<Omit<PostInput, 'departmentCode'>>): Promise<PostRow> {
  await validate(db, ctx.regionCode, patch)
  return db.transaction(async (tx) => {
    const row = await lock(tx, id)
    checkIfMatch(ifMatch, postEtag(row))
    if (!editable.has(row.reviewState)) throw conflict(`The post is ${row.reviewState}; only drafts (or rejected posts) can be edited. Withdraw it and write a new one.`)
    const tags = cleanTags(patch.tags)
    const [updated] = await tx
      .update(posts)
      .set({ ...patch, ...(tags ? { tags } : {}), version: row.version + 1, updatedAt: ctx.now })
      .where(eq(posts.id, id))
      .returning()
    await appendAudit(tx, ctx, { action: 'post.update', targetType: 'post', targetId: id, details: { fields: Object.keys(patch) } })
    await recordEdit(tx, ctx, { type: 'post', id }, row.reviewState)
    return updated!
  })
}

/** submit, approve, reject, publish, withdraw: the shared review workflow (author ≠ approver). */
export async function transitionPost(db: Db, ctx: WriteContext, principal: Principal, id: string, action: ReviewAction, body: { comment?: string | undefined; reason?: string | undefined }): Promise<PostRow> {
  return db.transaction(async (tx) => {
    const row = await lock(tx, id)
    const req = { action, departmentCode: row.departmentCode, comment: body.comment, reason: body.reason }
    const plan = await planReview(tx, { type: 'post', id }, row, req, principal, ctx.now)
    const [updated] = await tx
      .update(posts)
      .set({ ...plan.columns, version: row.version + 1, updatedAt: ctx.now })
      .where(eq(posts.id, id))
      .returning()
    await recordTransition(tx, ctx, { type: 'post', id }, plan, req)
    if (action === 'publish' || action === 'withdraw') {
      await appendEvent(tx, ctx, {
        type: action === 'publish' ? 'post.published' : 'post.withdrawn',
        // The special column appears on the portal and the E-Net app (webhooks' channel filter).
        data: { id, version: updated!.version, url: `/v1/posts/${id}`, department: updated!.departmentCode, domain: updated!.domainCode, channels: ['portal', 'e_net_app'] },
      })
    }
    return updated!
  })
}

export async function getPost(db: Db, id: string): Promise<PostRow> {
  const row = await q.findPost(db, id)
  if (!row) throw notFound(`No post ${id}.`)
  return row
}

/** The department that owns a post, for the access rule of routes that address it. */
export async function departmentOfPost(db: Db, id: string): Promise<string | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null
  return (await q.findPost(db, id))?.departmentCode ?? null
}

export type ListQuery = Omit<q.PostFilter, 'after' | 'limit' | 'withTombstones'> & { limit: number; cursor?: string | undefined }

export async function listPosts(db: Db, query: ListQuery) {
  const key = readCursor(query.cursor, ['number', 'uuid'])
  const after = key ? { updatedAt: new Date(key[0]), id: key[1] } : undefined
  const rows = await q.listPosts(db, { ...query, withTombstones: query.updatedSince !== undefined, after, limit: query.limit + 1 })
  const items = rows.slice(0, query.limit)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor([last.updatedAt.getTime(), last.id]) : null }
}
