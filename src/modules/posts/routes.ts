// The special column (专题专栏): public reads for the portal and the E-Net app (published posts, newest
// change first), drafting and the review workflow for department staff.
import { guardAnonymousResponses } from '../notices/leak-guard.js'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { writeContext, type AccessRule } from '../../http/access.js'
import { IfMatchHeader, requireIfMatch, setEtag } from '../../http/preconditions.js'
import { jsonResponse, ListOf, problemResponses, ref } from '../../http/schemas.js'
import { notFound } from '../../lib/problems.js'
import { departmentsSeenUnpublished, seesUnpublished } from '../auth/guard.js'
import { ReviewCommentRequest, WithdrawRequest } from '../review/schemas.js'
import type { ReviewAction } from '../review/workflow.js'
import { examplePost } from './examples.js'
import { toPost, toPostSummary } from './present.js'
import { CreatePostRequest, PostListQuery, PostParams, PostSchema, PostSummarySchema, UpdatePostRequest } from './schemas.js'
import { createPost, departmentOfPost, getPost, listPosts, postEtag, transitionPost, updatePost } from './service.js'
import { setChangesCursor, withChangesCursor } from '../events/list-cursor.js'

export { postSchemas } from './schemas.js'

const bearer = [{ bearerAuth: [] }]
const ifMatch = { type: 'object', properties: IfMatchHeader } as const

/** Departments whose unpublished posts the caller sees: [] anonymous, null region-wide staff. */

export const postRoutes: FastifyPluginAsyncTypebox = async (app) => {
  guardAnonymousResponses(app)
  const ofPost = (request: FastifyRequest) => departmentOfPost(app.db, (request.params as { id: string }).id)
  const edit: AccessRule = { scopes: ['posts:write'], roles: ['editor'], department: ofPost }
  const review: AccessRule = { scopes: ['review:approve'], roles: ['reviewer'], department: ofPost }

  app.get(
    '/v1/posts',
    {
      schema: {
        operationId: 'listPosts',
        tags: ['posts'],
        summary: 'List the special column (progress, typical cases, highlights)',
        description:
          'Public: published posts only, without their bodies, newest change first (a post\'s publication is its last change). With `updatedSince`, also posts withdrawn since (review.state `withdrawn`) so that a synced copy can drop them. With a staff token, also the unpublished posts of your departments.',
        security: [],
        querystring: PostListQuery,
        response: { 200: withChangesCursor(jsonResponse(ListOf(ref(PostSummarySchema)), { items: [examplePost.summary], nextCursor: null }, 'Posts, newest change first.')), ...problemResponses(401) },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      await setChangesCursor(reply, app.db)
      const { limit, cursor, updatedSince, ...filters } = request.query
      const page = await listPosts(app.db, {
        ...filters,
        regionCode: app.config.defaultRegion,
        publicOnly: request.principal === null,
        departments: departmentsSeenUnpublished(request.principal, 'posts:write'),
        updatedSince: updatedSince ? new Date(updatedSince) : undefined,
        limit: limit ?? 20,
        cursor,
      })
      return { items: page.items.map(toPostSummary), nextCursor: page.nextCursor }
    },
  )

  app.get(
    '/v1/posts/:id',
    {
      schema: {
        operationId: 'getPost',
        tags: ['posts'],
        summary: 'Get a post',
        description: 'Public once published; before that (and once withdrawn) only staff of its department, admins and auditors see it.',
        security: [],
        params: PostParams,
        response: { 200: jsonResponse(ref(PostSchema), examplePost.post, 'The post.'), ...problemResponses(401, 404) },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const row = await getPost(app.db, request.params.id)
      if (row.reviewState !== 'published' && !seesUnpublished(request.principal, 'posts:write', row.departmentCode)) throw notFound(`No post ${request.params.id}.`)
      setEtag(reply, postEtag(row))
      return toPost(row)
    },
  )

  app.post(
    '/v1/posts',
    {
      schema: {
        operationId: 'createPost',
        tags: ['posts'],
        summary: 'Draft a post',
        security: bearer,
        body: CreatePostRequest,
        response: { 201: jsonResponse(ref(PostSchema), examplePost.draft, 'The draft.'), ...problemResponses(401, 403, 422) },
      },
      config: { auth: { scopes: ['posts:write'], roles: ['editor'], department: (r) => (r.body as { departmentCode: string }).departmentCode } },
    },
    async (request, reply) => {
      const row = await createPost(app.db, writeContext(request), request.body)
      setEtag(reply, postEtag(row))
      reply.header('location', `/v1/posts/${row.id}`)
      return reply.code(201).send(toPost(row))
    },
  )

  app.patch(
    '/v1/posts/:id',
    {
      schema: {
        operationId: 'updatePost',
        tags: ['posts'],
        summary: 'Edit a draft post',
        security: bearer,
        params: PostParams,
        headers: ifMatch,
        body: UpdatePostRequest,
        response: { 200: jsonResponse(ref(PostSchema), examplePost.draft, 'The draft.'), ...problemResponses(401, 403, 404, 409, 412, 422, 428) },
      },
      config: { auth: edit },
    },
    async (request, reply) => {
      const row = await updatePost(app.db, writeContext(request), request.params.id, requireIfMatch(request), request.body)
      setEtag(reply, postEtag(row))
      return toPost(row)
    },
  )

  const transitions: { action: ReviewAction; summary: string; description: string; rule: AccessRule; body: typeof ReviewCommentRequest | typeof WithdrawRequest }[] = [
    { action: 'submit', summary: 'Submit a post for review', description: 'draft or rejected → submitted.', rule: edit, body: ReviewCommentRequest },
    { action: 'approve', summary: 'Approve a post', description: 'By a reviewer of the department (or an admin) who is not its author.', rule: review, body: ReviewCommentRequest },
    { action: 'reject', summary: 'Reject a post, with a comment', description: 'By a reviewer of the department (or an admin) who is not its author.', rule: review, body: ReviewCommentRequest },
    { action: 'publish', summary: 'Publish an approved post to the column', description: 'approved → published: it appears on the portal and in the app.', rule: edit, body: ReviewCommentRequest },
    { action: 'withdraw', summary: 'Withdraw a post, with a reason', description: 'Takes it off the column at any stage.', rule: edit, body: WithdrawRequest },
  ]
  for (const t of transitions) {
    app.post(
      `/v1/posts/:id/${t.action}`,
      {
        schema: {
          operationId: `${t.action}Post`,
          tags: ['posts'],
          summary: t.summary,
          description: t.description,
          security: bearer,
          params: PostParams,
          body: t.body,
          response: { 200: jsonResponse(ref(PostSchema), examplePost.post, 'The post after the transition.'), ...problemResponses(401, 403, 404, 409, 422) },
        },
        config: { auth: t.rule },
      },
      async (request, reply) => {
        const body = request.body as { comment?: string; reason?: string }
        const row = await transitionPost(app.db, writeContext(request), request.principal!, request.params.id, t.action, body)
        setEtag(reply, postEtag(row))
        return toPost(row)
      },
    )
  }
}
