// Catalog versions (/v1/catalog/versions). Published versions are
// public, immutable and cacheable forever (strong ETag, `immutable`), served from memory as ready
// bytes (identity, br, gzip); `current` is resolved from each instance's in-memory pointer (at most a
// second behind a publish elsewhere, see current-pointer.ts) and cached briefly by clients. Versions
// still in review are visible to the region's staff only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../../db/client.js'
import { writeContext, type AccessRule } from '../../http/access.js'
import { IfMatchHeader, requireIfMatch, setEtag } from '../../http/preconditions.js'
import { readHandle, readOne } from '../../http/read-routing.js'
import { problemResponses } from '../../http/schemas.js'
import { setChangesCursor, withChangesCursor } from '../events/list-cursor.js'
import { ReviewCommentRequest, WithdrawRequest } from '../review/schemas.js'
import type { ReviewAction } from '../review/workflow.js'
import { PublishedResponseCache, type CachedResponse } from './published-cache.js'
import { sendReady } from './ready-reply.js'
import * as service from './service.js'
import {
  CreateVersionRequest,
  DiffParams,
  DiffResponse,
  NotModified,
  toCatalogDiff,
  toCatalogVersion,
  UpdateVersionRequest,
  VersionItemsQuery,
  VersionItemsResponse,
  VersionListQuery,
  VersionListResponse,
  VersionParams,
  VersionReadQuery,
  VersionRefParams,
  VersionResponse,
} from './version-schemas.js'

const tags = ['catalog']
const bearer = [{ bearerAuth: [] }]
const ifMatch = { type: 'object', properties: IfMatchHeader } as const
/** The district office owns the catalog and its versions (DESIGN.md, "Who uses it"). */
const publish: AccessRule = { scopes: ['catalog:publish'], roles: ['admin'] }
const review: AccessRule = { scopes: ['review:approve'], roles: ['admin'] }
const IMMUTABLE = 'public, max-age=31536000, immutable'
const CURRENT = 'public, max-age=60'
const PRIVATE = 'private, no-store'
export const versionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = new PublishedResponseCache()
  const regionOf = (query: { region?: string | undefined }) => query.region ?? app.config.defaultRegion

  const resolveNumber = (region: string, ref: string) => service.resolveVersionNumber(app.db, region, ref, app.currentVersions)

  /**
   * A version and the handle that has it: the replica for the public, the primary for staff and for a
   * version the replica does not have published yet (`current` comes from the primary, so it may be ahead).
   */
  const findVersion = (request: FastifyRequest, region: string, number: number) =>
    readOne(request, async (db) => ({ db, version: await service.getVersion(db, region, number, request.principal) }))

  const sendCached = (request: FastifyRequest, reply: FastifyReply, cached: CachedResponse, viaCurrent: string | null) =>
    sendReady(request, reply, cached, { cacheControl: viaCurrent ? CURRENT : IMMUTABLE, contentLocation: viaCurrent })

  /**
   * Serves what `render` produces for version `ref`: from memory when the version is published, else
   * (staff only) fresh and uncacheable. `cacheKey` must name everything the response depends on.
   */
  async function serveVersioned(
    request: FastifyRequest,
    reply: FastifyReply,
    input: {
      region: string
      ref: string
      path: (n: number) => string
      cacheKey: (n: number) => string
      /** Renders from `db`, the handle that has the version (the replica for the public when it has caught up). */
      render: (v: service.CatalogVersionRow, db: Db) => Promise<unknown>
      /** The ETag of a version in review (what If-Match needs); published responses are tagged by their bytes. */
      draftEtag?: (v: service.CatalogVersionRow) => string
      /** A list: a version in review gets X-Changes-Cursor; a published one never changes, so none (no round trip on a hit). */
      changesCursor?: boolean
    },
  ) {
    const number = await resolveNumber(input.region, input.ref)
    const viaCurrent = input.ref === 'current' ? input.path(number) : null
    const key = input.cacheKey(number)
    const hit = cache.get(key)
    if (hit) return sendCached(request, reply, await hit, viaCurrent)
    const { version, db } = await findVersion(request, input.region, number)
    if (service.isPublished(version)) {
      const cached = await cache.getOrRender(key, async () => JSON.stringify(await input.render(version, db)))
      return sendCached(request, reply, cached, viaCurrent)
    }
    reply.header('cache-control', PRIVATE)
    if (input.draftEtag) setEtag(reply, input.draftEtag(version))
    if (input.changesCursor) await setChangesCursor(reply, db)
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(await input.render(version, db)))
  }

  app.get(
    '/v1/catalog/versions',
    {
      schema: {
        operationId: 'listCatalogVersions',
        tags,
        summary: 'List catalog versions',
        description: 'Newest first. The public sees published versions; staff of the region also those in review.',
        security: [],
        querystring: VersionListQuery,
        response: { 200: withChangesCursor(VersionListResponse), ...problemResponses() },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const db = readHandle(request)
      await setChangesCursor(reply, db)
      const page = await service.listVersions(db, regionOf(request.query), request.principal, { limit: request.query.limit ?? 50, cursor: request.query.cursor })
      return { items: page.items.map(toCatalogVersion), nextCursor: page.nextCursor }
    },
  )

  app.post(
    '/v1/catalog/versions',
    {
      schema: {
        operationId: 'createCatalogVersion',
        tags,
        summary: 'Freeze the working set as a new catalog version',
        description: 'Snapshots every active item as version n+1, in draft, for review (submit → approve by another admin → publish). One version is in review at a time.',
        security: bearer,
        body: CreateVersionRequest,
        response: { 201: VersionResponse, ...problemResponses(401, 403, 409) },
      },
      config: { auth: publish },
    },
    async (request, reply) => {
      const row = await service.createVersion(app.db, writeContext(request), request.body)
      setEtag(reply, service.versionEtag(row))
      reply.header('location', `/v1/catalog/versions/${row.number}`)
      return reply.code(201).send(toCatalogVersion(row))
    },
  )

  app.get(
    '/v1/catalog/versions/:version',
    {
      schema: {
        operationId: 'getCatalogVersion',
        tags,
        summary: 'Get a catalog version and its review record',
        description: 'A number, or `current` for the latest published version. Published versions carry a strong ETag and are cacheable forever; `current` for a minute.',
        security: [],
        params: VersionRefParams,
        querystring: VersionReadQuery,
        response: { 200: VersionResponse, 304: NotModified, ...problemResponses(404) },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const region = regionOf(request.query)
      return serveVersioned(request, reply, {
        region,
        ref: request.params.version,
        path: (n) => `/v1/catalog/versions/${n}`,
        cacheKey: (n) => JSON.stringify(['version', region, n]),
        render: async (v) => toCatalogVersion(v),
        draftEtag: service.versionEtag,
      })
    },
  )

  app.patch(
    '/v1/catalog/versions/:version',
    {
      schema: {
        operationId: 'updateCatalogVersion',
        tags,
        summary: "Edit a draft version's change note",
        description: 'Only while the version is a draft or rejected; a published version answers 409. Needs If-Match.',
        security: bearer,
        params: VersionParams,
        headers: ifMatch,
        body: UpdateVersionRequest,
        response: { 200: VersionResponse, ...problemResponses(401, 403, 404, 409, 412, 428) },
      },
      config: { auth: publish },
    },
    async (request, reply) => {
      const row = await service.updateVersion(app.db, writeContext(request), request.params.version, requireIfMatch(request), request.body)
      setEtag(reply, service.versionEtag(row))
      return toCatalogVersion(row)
    },
  )

  // Every step takes a JSON body (`{}` when there is nothing to say), as the other publishable kinds do.
  const steps: { action: ReviewAction; summary: string; description: string; rule: AccessRule; body: typeof ReviewCommentRequest | typeof WithdrawRequest }[] = [
    { action: 'submit', summary: 'Submit a catalog version for review', description: 'From draft or rejected.', rule: publish, body: ReviewCommentRequest },
    {
      action: 'approve',
      summary: 'Approve a catalog version',
      description: 'By an admin who is not its author (four-eyes rule); API clients cannot review. Accountable for the version (谁审查谁负责).',
      rule: review,
      body: ReviewCommentRequest,
    },
    { action: 'reject', summary: 'Reject a catalog version', description: 'By an admin who is not its author; a comment is required. The author may resubmit.', rule: review, body: ReviewCommentRequest },
    { action: 'publish', summary: 'Publish an approved catalog version', description: 'It becomes `current` at once, on every instance, and never changes again.', rule: publish, body: ReviewCommentRequest },
    { action: 'withdraw', summary: 'Withdraw a catalog version still in review', description: 'With a reason. A published version cannot be withdrawn (409): publish a new one instead.', rule: publish, body: WithdrawRequest },
  ]
  for (const step of steps) {
    app.post(
      `/v1/catalog/versions/:version/${step.action}`,
      {
        schema: {
          operationId: `${step.action}CatalogVersion`,
          tags,
          summary: step.summary,
          description: `${step.description} Any write to a published version answers 409.`,
          security: bearer,
          params: VersionParams,
          body: step.body,
          response: { 200: VersionResponse, ...problemResponses(401, 403, 404, 409, 422) },
        },
        config: { auth: step.rule },
      },
      async (request, reply) => {
        const row = await service.transitionVersion(app.db, writeContext(request), request.principal!, request.params.version, step.action, request.body as { comment?: string; reason?: string })
        if (service.isPublished(row)) app.currentVersions.advance(row.regionCode, row.number)
        setEtag(reply, service.versionEtag(row))
        return toCatalogVersion(row)
      },
    )
  }

  app.get(
    '/v1/catalog/versions/:version/items',
    {
      schema: {
        operationId: 'listCatalogVersionItems',
        tags,
        summary: "List a catalog version's items",
        description: 'The items as the version froze them, with the filters of the working set. `current` lists the latest published catalog (Content-Location names its number).',
        security: [],
        params: VersionRefParams,
        querystring: VersionItemsQuery,
        response: {
          200: withChangesCursor(
            VersionItemsResponse,
            'Only on a version still in review: a published version (by number or `current`) never changes and is served from memory without it; a newer version is announced as `catalog.version.published`, so list the versions (their X-Changes-Cursor) before reading one.',
          ),
          304: NotModified,
          ...problemResponses(404),
        },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const { region: _region, limit, cursor, ...filters } = request.query
      const region = regionOf(request.query)
      const query = { ...filters, limit: limit ?? 50, cursor }
      const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''
      return serveVersioned(request, reply, {
        region,
        ref: request.params.version,
        path: (n) => `/v1/catalog/versions/${n}/items${search}`,
        cacheKey: (n) => JSON.stringify(['items', region, n, query.domain, query.department, query.level, query.mode, query.q?.trim().toLowerCase(), query.limit, query.cursor]),
        render: async (v, db) => service.versionItems(db, v, query),
        changesCursor: true,
      })
    },
  )

  app.get(
    '/v1/catalog/versions/:version/diff/:other',
    {
      schema: {
        operationId: 'diffCatalogVersions',
        tags,
        summary: 'Compare two catalog versions',
        description: 'What `other` adds, retires and changes relative to `version`, item by item; each changed element with its old and new value (lists such as basis and channels whole).',
        security: [],
        params: DiffParams,
        querystring: VersionReadQuery,
        response: { 200: DiffResponse, 304: NotModified, ...problemResponses(404) },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const region = regionOf(request.query)
      const [a, b] = await Promise.all([
        resolveNumber(region, request.params.version),
        resolveNumber(region, request.params.other),
      ])
      const viaCurrent = request.params.version === 'current' || request.params.other === 'current' ? `/v1/catalog/versions/${a}/diff/${b}` : null
      const key = JSON.stringify(['diff', region, a, b])
      const hit = cache.get(key)
      if (hit) return sendCached(request, reply, await hit, viaCurrent)
      const [from, to] = [await findVersion(request, region, a), await findVersion(request, region, b)]
      const db = from.db === to.db ? from.db : app.db
      const render = async () => JSON.stringify(toCatalogDiff(a, b, await service.diffVersions(db, from.version, to.version)))
      if (service.isPublished(from.version) && service.isPublished(to.version)) return sendCached(request, reply, await cache.getOrRender(key, render), viaCurrent)
      reply.header('cache-control', PRIVATE)
      return (reply as FastifyReply).type('application/json; charset=utf-8').send(await render())
    },
  )
}
