// Notices: public reads for the portal, the E-Net app and WeChat (masked, small list payloads),
// drafting and the review workflow for department staff, conclusion and revision.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify'
import type { Static } from 'typebox'
import { writeContext, type AccessRule, type Principal } from '../../http/access.js'
import { IfMatchHeader, requireIfMatch, setEtag } from '../../http/preconditions.js'
import { readHandle } from '../../http/read-routing.js'
import { jsonResponse, ListOf, problemResponses, ref } from '../../http/schemas.js'
import { schemaCompilers } from '../../http/validation.js'
import { encodeCursor, readCursor } from '../../lib/cursor.js'
import { notFound, ProblemError } from '../../lib/problems.js'
import { readTable, SpreadsheetError, xlsxMediaType } from '../../lib/spreadsheet/read.js'
import { appendAudit } from '../audit/service.js'
import { departmentsSeenUnpublished, holdsRole, seesUnpublished } from '../auth/guard.js'
import { ReviewCommentRequest, WithdrawRequest } from '../review/schemas.js'
import type { ReviewAction } from '../review/workflow.js'
import { concludeNotice, recordDecision, reviseNotice, transitionNotice } from './lifecycle.js'
import { countsOf, ENTRIES_IN_DETAIL, maskEntry, publicColumns, toNotice, toSummary } from './present.js'
import * as q from './queries.js'
import {
  ConcludeRequest,
  CreateNoticeRequest,
  DecisionRequest,
  EntriesPageSchema,
  EntriesBody,
  EntriesQuery,
  EntriesRequest,
  NoticeListQuery,
  NoticeParams,
  NoticeSchema,
  NoticeSummarySchema,
  UpdateNoticeRequest,
} from './schemas.js'
import { anonymiseExpiredList, createNotice, departmentOfNotice, getNotice, listNotices, maxEntries, noticeEtag, putEntries, updateNotice, uploadEntries } from './service.js'
import { entriesArePublic, rawListExpired } from './status.js'
import { exampleNotice } from './examples.js'
import { pageValidUntil } from './page-validity.js'
import { guardAnonymousResponses, refuseLeak } from './leak-guard.js'
import { strongEtag } from '../catalog/published-cache.js'
import { sendReady } from '../catalog/ready-reply.js'
import { resolveNamedFields } from '../reference/department-field.js'
import { setChangesCursor, withChangesCursor, CHANGES_CURSOR_HEADER } from '../events/list-cursor.js'
import type { CachedResponse } from '../catalog/published-cache.js'

const bearer = [{ bearerAuth: [] }]
const entriesBodyLimit = 16 * 1024 * 1024

/** The `charset` parameter of a Content-Type, if any. */
function charsetOf(contentType: string | undefined): string | null {
  const m = /;\s*charset="?([^";\s]+)"?/i.exec(contentType ?? '')
  return m ? m[1]! : null
}
const ifMatch = { type: 'object', properties: IfMatchHeader } as const

/** Staff of a notice's department (or region-wide admins and auditors) with a scope for notices see it before publication. */
export function canSeeUnpublished(principal: Principal | null, departmentCode: string): boolean {
  return seesUnpublished(principal, 'notices:write', departmentCode)
}

export const noticeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  guardAnonymousResponses(app)
  const ofNotice = (request: FastifyRequest) => departmentOfNotice(app.db, (request.params as { id: string }).id)
  const edit: AccessRule = { scopes: ['notices:write'], roles: ['editor'], department: ofNotice }
  const staffOf: AccessRule = { scopes: ['notices:write'], roles: ['editor', 'reviewer'], department: ofNotice }
  const review: AccessRule = { scopes: ['review:approve'], roles: ['reviewer'], department: ofNotice }

  async function visible(request: FastifyRequest, id: string) {
    const row = await getNotice(app.db, id)
    if (row.reviewState !== 'published' && !canSeeUnpublished(request.principal, row.departmentCode)) throw notFound(`No notice ${id}.`)
    return row
  }
  async function countsFor(ids: string[]) {
    return q.objectionCounts(app.db, ids)
  }
  const detail = async (row: Awaited<ReturnType<typeof getNotice>>) => {
    const now = app.clock.now()
    const entries = await q.entriesOf(app.db, row.id, { afterRow: 0, limit: ENTRIES_IN_DETAIL })
    return toNotice(row, (await countsFor([row.id])).get(row.id), entries, now)
  }
  const detailEtag = (row: Awaited<ReturnType<typeof getNotice>>, dto: { status: string; daysRemaining: number | null; objections: { total: number; open: number } }) =>
    noticeEtag(row).replace(/"$/, `-${dto.status}-${dto.daysRemaining ?? 'x'}-${dto.objections.total}.${dto.objections.open}"`)

  /** The X-Changes-Cursor of each cached public page: recorded when its bytes were built, gone with them. */
  const cursorsOfPages = new WeakMap<CachedResponse, string>()

  app.get(
    '/v1/notices',
    {
      schema: {
        operationId: 'listNotices',
        tags: ['notices'],
        summary: 'List notices (in publicity now, ending soon, recently concluded…)',
        description:
          'Public: published notices only, without their lists (see the detail). With a staff token, also the unpublished notices of your departments. Newest change first; `updatedSince` for incremental sync.',
        security: [],
        querystring: NoticeListQuery,
        response: { 200: withChangesCursor(jsonResponse(ListOf(ref(NoticeSummarySchema)), { items: [exampleNotice.summary], nextCursor: null }, 'Notices, newest change first.')), ...problemResponses(401) },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const { limit, cursor, updatedSince, ...filters } = request.query
      const db = readHandle(request)
      // The page and its X-Changes-Cursor, the feed's head read in the page's own query (service.ts).
      const list = async () => {
        const now = app.clock.now()
        const departments = departmentsSeenUnpublished(request.principal, 'notices:write')
        const page = await listNotices(db, {
          ...filters,
          regionCode: app.config.defaultRegion,
          publicOnly: departments !== null && departments.length === 0,
          departments,
          now,
          updatedSince: updatedSince ? new Date(updatedSince) : undefined,
          limit: limit ?? 20,
          cursor,
        })
        const body = { items: page.items.map((n) => toSummary(n, countsOf(n.objectionCounts), now)), nextCursor: page.nextCursor }
        return { body, changesCursor: page.changesCursor, page, now }
      }
      const fresh = async () => {
        const { body, changesCursor } = await list()
        reply.header(CHANGES_CURSOR_HEADER, changesCursor)
        return body
      }
      // Staff see their unpublished notices and read back their own writes: never from the cache.
      if (request.principal) return fresh()
      // The public list (portal, app and WeChat ask for the same pages over and over): the page's bytes,
      // kept while nothing it shows can have changed (item-cache.ts, page-validity.ts), checked for
      // unmasked numbers once when rendered, with the X-Changes-Cursor of the query that built them (a
      // hit costs no round trip).
      let built: string | undefined
      const cached = await app.publicListResponses.getOrRender(request.url, async () => {
        const { body: dto, changesCursor, page, now } = await list()
        built = changesCursor
        const body = JSON.stringify(dto)
        refuseLeak(request, body)
        // How long the bytes may be kept: worked out only for the pages that are kept (staff's are not).
        const slidingWindow = filters.endingWithinDays !== undefined || filters.concludedWithinDays !== undefined
        return { body, etag: strongEtag(body), keep: { until: pageValidUntil(page.items, { now, nextTurn: page.nextTurn, slidingWindow }), mark: page.epoch } }
      })
      if (built) cursorsOfPages.set(cached, built)
      const recorded = cursorsOfPages.get(cached)
      if (!recorded) {
        // A hit that overtook the render's own bookkeeping (not expected): the head now would be newer
        // than those bytes, so answer fresh instead.
        return fresh()
      }
      reply.header(CHANGES_CURSOR_HEADER, recorded)
      return sendReady(request, reply, cached)
    },
  )

  app.get(
    '/v1/notices/:id',
    {
      schema: {
        operationId: 'getNotice',
        tags: ['notices'],
        summary: 'Get a notice with its (masked) list',
        description: 'Personal columns are masked; the list is omitted once its retention ends (its summary and counts stay). Up to 500 entries; page through the rest with /entries.',
        security: [],
        params: NoticeParams,
        response: { 200: jsonResponse(ref(NoticeSchema), exampleNotice.detail, 'The notice.'), ...problemResponses(401, 404) },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const row = await visible(request, request.params.id)
      const dto = await detail(row)
      setEtag(reply, detailEtag(row, dto))
      return dto
    },
  )

  app.get(
    '/v1/notices/:id/entries',
    {
      schema: {
        operationId: 'listNoticeEntries',
        tags: ['notices'],
        summary: "Page through a notice's list",
        description: 'Masked for everyone. `raw=true` returns the unmasked data to staff of the department holding read:private; every such read is audited.',
        security: [],
        params: NoticeParams,
        querystring: EntriesQuery,
        response: { 200: withChangesCursor(jsonResponse(EntriesPageSchema, { items: [{ row: 1, data: { name: '张*明', id_number: '23*************123', household_size: 3 } }], nextCursor: null, masked: true }, 'Entries by row number.')), ...problemResponses(401, 403, 404) },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      await setChangesCursor(reply, app.db)
      const row = await visible(request, request.params.id)
      const now = app.clock.now()
      const { raw, limit = 100, cursor } = request.query
      const [afterRow = 0] = readCursor(cursor, ['number']) ?? []
      if (raw) {
        const p = request.principal
        if (!p) throw new ProblemError('unauthorized', 'Unmasked data needs an access token.')
        if (!p.scopes.includes('read:private') || !holdsRole(p, ['editor', 'reviewer', 'admin', 'auditor'], row.departmentCode)) {
          throw new ProblemError('forbidden', 'Unmasked personal data needs the read:private scope on this department.')
        }
      }
      const unpublished = row.reviewState !== 'published'
      if (raw && !unpublished && !entriesArePublic(row, now) && rawListExpired(row, now, (await q.objectionCounts(app.db, [row.id])).get(row.id)?.open ?? 0)) {
        await anonymiseExpiredList(app.db, writeContext(request), row)
        throw new ProblemError('not-found', 'The unmasked list was anonymised when its retention ended (PIPL art. 47); its masked entries and counts remain.', { headers: { 'Cache-Control': 'no-store' } })
      }
      if (!raw && !unpublished && !entriesArePublic(row, now)) throw new ProblemError('not-found', 'The list is no longer public: its retention period has ended.')
      const entries = await q.entriesOf(app.db, row.id, { afterRow, limit: limit + 1 })
      const pageRows = entries.slice(0, limit)
      if (raw) {
        await app.db.transaction((tx) =>
          appendAudit(tx, writeContext(request), { action: 'notice.entries.read_raw', targetType: 'notice', targetId: row.id, details: { fromRow: afterRow + 1, rows: pageRows.length } }),
        )
      }
      const columns = raw ? row.columns : publicColumns(row, row.endsAt !== null && now >= row.endsAt)
      return {
        items: pageRows.map((e) => ({ row: e.rowNo, data: raw ? e.data : maskEntry(columns, e.data) })),
        nextCursor: entries.length > limit ? encodeCursor([pageRows[pageRows.length - 1]!.rowNo]) : null,
        masked: !raw,
      }
    },
  )

  app.post(
    '/v1/notices',
    {
      schema: {
        operationId: 'createNotice',
        tags: ['notices'],
        summary: 'Draft a notice',
        description: 'Columns naming bank accounts, health or disability are refused (422). `formedAt` gives the publication due date; `materialsReceivedAt` the review decision due date (REVIEW_15D).',
        security: bearer,
        body: CreateNoticeRequest,
        response: { 201: jsonResponse(ref(NoticeSchema), exampleNotice.draft, 'The draft.'), ...problemResponses(401, 403, 422) },
      },
      // A name (区住建局) becomes its code before the body is checked and the editor's grants are.
      preValidation: resolveNamedFields({ domains: true }),
      config: { auth: { scopes: ['notices:write'], roles: ['editor'], department: (r) => (r.body as { departmentCode: string }).departmentCode } },
    },
    async (request, reply) => {
      const row = await createNotice(app.db, writeContext(request), request.body)
      setEtag(reply, noticeEtag(row))
      reply.header('location', `/v1/notices/${row.id}`)
      return reply.code(201).send(await detail(row))
    },
  )

  app.patch(
    '/v1/notices/:id',
    {
      schema: {
        operationId: 'updateNotice',
        tags: ['notices'],
        summary: 'Edit a draft notice',
        security: bearer,
        params: NoticeParams,
        headers: ifMatch,
        body: UpdateNoticeRequest,
        response: { 200: jsonResponse(ref(NoticeSchema), exampleNotice.draft, 'The draft.'), ...problemResponses(401, 403, 404, 409, 412, 422, 428) },
      },
      config: { auth: edit },
    },
    async (request, reply) => {
      const row = await updateNotice(app.db, writeContext(request), request.params.id, requireIfMatch(request), request.body)
      setEtag(reply, noticeEtag(row))
      return detail(row)
    },
  )

  // Lists also arrive as spreadsheets, as bytes; only this plugin's routes take them (encapsulated).
  app.addContentTypeParser(['text/csv', xlsxMediaType], { parseAs: 'buffer', bodyLimit: entriesBodyLimit }, (_request, body, done) => done(null, body))
  // JSON bodies are validated by their schema as everywhere else; a sheet's cells by the service, which
  // reports every bad cell with its row and column.
  const validators = schemaCompilers().compilersFactory!.buildValidator!({}, { ajv: { customOptions: {}, plugins: [] } } as never) as unknown as FastifySchemaCompiler<unknown>
  const sheetsCheckedByService: FastifySchemaCompiler<unknown> = (route) =>
    route.httpPart === 'body' && (route as { contentType?: string }).contentType !== 'application/json' ? () => true : validators(route)

  app.put(
    '/v1/notices/:id/entries',
    {
      schema: {
        operationId: 'replaceNoticeEntries',
        tags: ['notices'],
        summary: "Replace a draft notice's list (JSON, CSV or XLSX)",
        description: [
          'JSON: `{ entries: [...] }`, one object per row keyed by column key. CSV (UTF-8 with or without BOM, or GBK/GB18030 by `charset` or detected) or XLSX (the first worksheet): ',
          "a header row naming the notice's declared columns by key or by label (title lines above it, blank rows and a 序号 column are skipped); cells are read as their column's type ",
          '(whole numbers, amounts with or without ¥/元 and thousands separators, dates as 2025-09-18, 2025/9/18 or 2025年9月18日). ',
          'A column the kind must not publish (bank account, health, disability) or one not declared, and every bad cell: 422 listing each with its row and column ',
          '(`errors[].pointer` `/body/{row}/{column label}` for a sheet, `/body/entries/{index}/{key}` for JSON), and nothing is written. ',
          `At most ${maxEntries} rows and ${entriesBodyLimit / 1024 / 1024} MB (413 above). Only while the notice is a draft (or rejected); by an editor of its department.`,
        ].join(''),
        security: bearer,
        params: NoticeParams,
        headers: ifMatch,
        body: EntriesBody,
        response: { 200: jsonResponse(ref(NoticeSchema), exampleNotice.draft, 'The draft with its list.'), ...problemResponses(401, 403, 404, 409, 412, 413, 415, 422, 428) },
      },
      config: { auth: edit },
      bodyLimit: entriesBodyLimit,
      validatorCompiler: sheetsCheckedByService,
    },
    async (request, reply) => {
      const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
      const ctx = writeContext(request)
      let row
      if (mediaType === 'application/json') {
        row = await putEntries(app.db, ctx, request.params.id, requireIfMatch(request), (request.body as Static<typeof EntriesRequest>).entries)
      } else {
        const ifMatchTag = requireIfMatch(request)
        const format = mediaType === 'text/csv' ? 'csv' : 'xlsx'
        let table
        try {
          table = await readTable(request.body as Buffer, format, charsetOf(request.headers['content-type']))
        } catch (err) {
          if (err instanceof SpreadsheetError) throw new ProblemError('malformed-body', `The ${format.toUpperCase()} file cannot be read: ${err.message}.`)
          throw err
        }
        row = await uploadEntries(app.db, ctx, request.params.id, ifMatchTag, table)
      }
      setEtag(reply, noticeEtag(row))
      return detail(row)
    },
  )

  const transitions: { action: ReviewAction; summary: string; description: string; rule: AccessRule; body: typeof ReviewCommentRequest | typeof WithdrawRequest }[] = [
    { action: 'submit', summary: 'Submit a notice for review', description: 'draft or rejected → submitted.', rule: edit, body: ReviewCommentRequest },
    { action: 'approve', summary: 'Approve a notice', description: 'By a reviewer of the department (or an admin) who is not its author. A list with personal columns needs a recorded privacy impact assessment.', rule: review, body: ReviewCommentRequest },
    { action: 'reject', summary: 'Reject a notice, with a comment', description: 'By a reviewer of the department (or an admin) who is not its author.', rule: review, body: ReviewCommentRequest },
    { action: 'publish', summary: 'Publish an approved notice', description: 'Fixes the publicity period from the calendar: it starts now (or at requestedStartAt) and ends at 24:00 of its last day.', rule: staffOf, body: ReviewCommentRequest },
    { action: 'withdraw', summary: 'Withdraw a notice, with a reason', description: 'Takes it down at any stage; the reason is public.', rule: staffOf, body: WithdrawRequest },
  ]
  for (const t of transitions) {
    app.post(
      `/v1/notices/:id/${t.action}`,
      {
        schema: {
          operationId: `${t.action}Notice`,
          tags: ['notices'],
          summary: t.summary,
          description: t.description,
          security: bearer,
          params: NoticeParams,
          body: t.body,
          response: { 200: jsonResponse(ref(NoticeSchema), exampleNotice.detail, 'The notice after the transition.'), ...problemResponses(401, 403, 404, 409, 422) },
        },
        config: { auth: t.rule },
      },
      async (request) => {
        const body = request.body as { comment?: string; reason?: string }
        return detail(await transitionNotice(app.db, writeContext(request), request.principal!, request.params.id, t.action, body))
      },
    )
  }

  app.post(
    '/v1/notices/:id/conclude',
    {
      schema: {
        operationId: 'concludeNotice',
        tags: ['notices'],
        summary: 'Conclude a notice after its period',
        description: 'Refused (409, saying why) before the period ends, while an objection is open, or when an objection was upheld (publish a revision instead).',
        security: bearer,
        params: NoticeParams,
        body: ConcludeRequest,
        response: { 200: jsonResponse(ref(NoticeSchema), exampleNotice.detail, 'The concluded notice.'), ...problemResponses(401, 403, 404, 409) },
      },
      config: { auth: staffOf },
    },
    async (request) => detail(await concludeNotice(app.db, writeContext(request), request.params.id, request.body.outcome)),
  )

  app.post(
    '/v1/notices/:id/revisions',
    {
      schema: {
        operationId: 'reviseNotice',
        tags: ['notices'],
        summary: 'Start a revision after an upheld objection',
        description: 'Creates a new draft linked to this notice (revisionOf), which leaves publicity as `revised`. The revision goes through review and gets a fresh full period when published.',
        security: bearer,
        params: NoticeParams,
        response: { 201: jsonResponse(ref(NoticeSchema), exampleNotice.draft, 'The new draft revision.'), ...problemResponses(401, 403, 404, 409) },
      },
      config: { auth: staffOf },
    },
    async (request, reply) => {
      const revision = await reviseNotice(app.db, writeContext(request), request.params.id)
      reply.header('location', `/v1/notices/${revision.id}`)
      return reply.code(201).send(await detail(revision))
    },
  )

  app.post(
    '/v1/notices/:id/decision',
    {
      schema: {
        operationId: 'recordNoticeDecision',
        tags: ['notices'],
        summary: 'Record the review decision of a procedure with a deadline',
        description: 'Once, not in the future; the entry time is kept (`decisionRecordedAt`). A recorded decision is corrected only by a reviewer of the department, with a `reason` (audited with the value it replaces).',
        security: bearer,
        params: NoticeParams,
        body: DecisionRequest,
        response: { 200: jsonResponse(ref(NoticeSchema), exampleNotice.detail, 'The notice with its decision.'), ...problemResponses(401, 403, 404, 409, 422) },
      },
      config: { auth: staffOf },
    },
    async (request) => detail(await recordDecision(app.db, writeContext(request), request.principal!, request.params.id, new Date(request.body.decidedAt), request.body.reason)),
  )

}
