// Bulk import (POST /v1/items/bulk) and exports (GET /v1/items/export, GET /v1/catalog/versions/
// {n|current}/export) of the catalog, for scripts and spreadsheets. The CSV and XLSX body parsers are
// registered here only (encapsulated), as Buffers; the import's body is checked row by row by the
// service — so that JSON, CSV and XLSX rows are reported alike, every bad row with its row number and
// column in one 422 — not by the route's schema, which documents it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify'
import { writeContext } from '../../http/access.js'
import { attachment } from '../../http/content-disposition.js'
import { IdempotencyKeyHeader, withIdempotency } from '../../http/idempotency.js'
import { problemResponses } from '../../http/schemas.js'
import { schemaCompilers } from '../../http/validation.js'
import { forbidden, ProblemError } from '../../lib/problems.js'
import { readTable, SpreadsheetError, xlsxMediaType, type TableFormat } from '../../lib/spreadsheet/read.js'
import { holdsRole } from '../auth/guard.js'
import { bodyCellDescription } from '../reference/resolve.js'
import { bulkLimits, importItems, type BulkUpload } from './bulk.js'
import { BulkImportBody, BulkImportQuery, BulkImportResponse, bulkSchemas, ExportQuery, ExportResponse, VersionExportParams } from './bulk-schemas.js'
import { renderExport, versionExportEntries, workingSetEntries, type ExportFile, type ExportFormat } from './export.js'
import type { SheetLayout } from './layout-write.js'
import * as service from './service.js'
import { NotModified } from './version-schemas.js'

const tags = ['catalog']
const bearer = [{ bearerAuth: [] }]

export interface BulkRouteOptions {
  /** Most rows (items) one import takes (413 above it). */
  maxRows?: number
  /** Most bytes one import's body may have (413 above it). */
  maxBytes?: number
  /** Bench only (scripts/bench/catalog-bulk.ts): false imports without change events (see WriteItemsOptions). */
  changeEvents?: boolean
}

const formatOfMediaType: Record<string, TableFormat> = { 'text/csv': 'csv', [xlsxMediaType]: 'xlsx' }

/** The `charset` parameter of the Content-Type, if any. */
function charsetOf(request: FastifyRequest): string | null {
  const m = /;\s*charset="?([^";\s]+)"?/i.exec(request.headers['content-type'] ?? '')
  return m ? m[1]! : null
}

export const catalogBulkRoutes: FastifyPluginAsyncTypebox<BulkRouteOptions> = async (app, options) => {
  const maxRows = options.maxRows ?? bulkLimits.rows
  const maxBytes = options.maxBytes ?? bulkLimits.bytes
  const changeEvents = options.changeEvents !== false
  const regionOf = (query: { region?: string | undefined }) => query.region ?? app.config.defaultRegion
  for (const schema of bulkSchemas) app.addSchema(schema)

  // Spreadsheets arrive as bytes; only this plugin's routes take them.
  app.addContentTypeParser(['text/csv', xlsxMediaType], { parseAs: 'buffer' }, (_request, body, done) => done(null, body))

  // Query and headers are validated (and coerced) as everywhere else; the body is left to the service.
  const validators = schemaCompilers().compilersFactory!.buildValidator!({}, { ajv: { customOptions: {}, plugins: [] } } as never) as unknown as FastifySchemaCompiler<unknown>
  const bodyCheckedByService: FastifySchemaCompiler<unknown> = (route) => (route.httpPart === 'body' ? () => true : validators(route))

  app.post(
    '/v1/items/bulk',
    {
      schema: {
        operationId: 'importItems',
        tags,
        summary: 'Import many disclosure items at once (JSON, CSV or XLSX)',
        description: [
          'A whole catalog or a department\'s part of it as one atomic update: JSON (an array of items), CSV or XLSX (the first worksheet) in the layout districts publish. ',
          'A row without a key gets a stable one derived from its domain, department and names, so importing the same sheet again changes nothing. ',
          '`dryRun=true` says exactly what would happen and writes nothing. Any invalid row: 422 listing every problem of every row ',
          '(`errors[].pointer` is `/body/{row}/{column}` for a sheet, `/body/{index}/{field}` for JSON; `message` says row, column and reason) and nothing is written. ',
          `At most ${maxRows} rows and ${Math.round(maxBytes / 1024 / 1024)} MB (413 above). `,
          'By an editor of `department` (items:write), or an admin or region-wide client for any department. Each change is versioned, kept in the item\'s history and audited. ',
          'A dry run also says how the sheet was read: `rowWarnings` (every assumption, by row), `skipped` (rows that are not items) and `bodies` (each distinct 公开主体 text and the departments it resolved to). ',
          '\n\n**What a 公开主体 cell may contain.** ',
          bodyCellDescription,
          '\n\nExamples: `龙沙区民政局` (full name) → civil_affairs; `区住建局` (alias) → housing; `区民政局、各街道办事处` → lead civil_affairs and the subdistrict offices co-responsible; `区教育局\\n龙沙区实验学校` (one per line) → education, experimental_school. ',
          'A body that resolves to nothing is a 422 naming the row, column and text; one that may name several departments is a 422 naming the candidates — nothing is ever guessed.',
        ].join(''),
        security: bearer,
        querystring: BulkImportQuery,
        headers: { type: 'object', properties: IdempotencyKeyHeader },
        body: BulkImportBody,
        response: { 200: BulkImportResponse, ...problemResponses(401, 403, 413, 415, 422) },
      },
      bodyLimit: maxBytes,
      validatorCompiler: bodyCheckedByService,
      config: {
        auth: {
          scopes: ['items:write'],
          roles: ['editor'],
          department: (request) => {
            const department = (request.query as { department?: string }).department
            const principal = request.principal!
            if (!department && !holdsRole(principal, ['editor'], null)) {
              throw forbidden('Editors import into their own department: pass department=<code> in the query.')
            }
            return department ?? null
          },
        },
      },
    },
    async (request, reply) => {
      const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
      let upload: BulkUpload
      if (mediaType === 'application/json') {
        if (!Array.isArray(request.body)) throw new ProblemError('validation-failed', 'A JSON upload is an array of items.', { errors: [{ pointer: '/body', message: 'must be an array' }] })
        upload = { format: 'json', items: request.body }
      } else {
        const format = formatOfMediaType[mediaType]
        if (!format) throw new ProblemError('unsupported-media-type', 'The body must be JSON, CSV or XLSX (a Content-Type naming it).')
        try {
          upload = { format, table: await readTable(request.body as Buffer, format, charsetOf(request)) } as BulkUpload
        } catch (err) {
          if (err instanceof SpreadsheetError) throw new ProblemError('malformed-body', `The ${format.toUpperCase()} file cannot be read: ${err.message}.`)
          throw err
        }
      }
      const { mode = 'upsert', dryRun = false, department, domain } = request.query
      const principal = request.principal!
      const ctx = writeContext(request)
      const response = await withIdempotency(app.db, request, ctx.now, async (tx) => {
        const result = await importItems(tx, ctx, { mode, dryRun, department, domain, upload, maxRows, changeEvents, mayEdit: (code) => holdsRole(principal, ['editor'], code) })
        return { status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(result) }
      })
      if (response.replayed) reply.header('idempotent-replayed', 'true')
      // The stored body is sent as stored (a replay must be byte for byte the first response).
      return (reply as FastifyReply).code(response.status).type(response.contentType).send(response.body)
    },
  )

  function sendFile(reply: FastifyReply, file: ExportFile) {
    reply.header('content-disposition', attachment(file.filename))
    return reply.type(file.contentType).send(file.body)
  }

  app.get(
    '/v1/items/export',
    {
      schema: {
        operationId: 'exportItems',
        tags,
        summary: 'Export the working set (JSON, CSV or XLSX)',
        description:
          "The active items as the departments keep them now. XLSX is the layout districts print: two header rows (公开事项 over 一级事项/二级事项, 公开对象, 公开方式, 公开层级 over the region's levels), √ marks, channels as a ■/□ checklist, 公开领域 and 一级事项 merged down over their rows; CSV the same in UTF-8 with a BOM, blank cells continuing the one above. Importing an export changes nothing.",
        security: [],
        querystring: ExportQuery,
        response: { 200: ExportResponse, 304: NotModified, ...problemResponses(404) },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const { format = 'json', layout = 'published', department, domain } = request.query
      const region = regionOf(request.query)
      const filter = { department, domain }
      const entries = await workingSetEntries(app.db, region, filter)
      reply.header('cache-control', 'no-cache')
      return sendFile(reply, await renderExport(app.db, region, entries, { format: format as ExportFormat, layout: layout as SheetLayout, version: null, filter }))
    },
  )

  app.get(
    '/v1/catalog/versions/:version/export',
    {
      schema: {
        operationId: 'exportCatalogVersion',
        tags,
        summary: 'Export a catalog version (JSON, CSV or XLSX)',
        description:
          'The items a version froze, in the formats and layouts of GET /v1/items/export; `current` is the latest published version (Content-Location names its number). Published versions are public and cacheable forever; versions in review are for staff of the region.',
        security: [],
        params: VersionExportParams,
        querystring: ExportQuery,
        response: { 200: ExportResponse, 304: NotModified, ...problemResponses(404) },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const { format = 'json', layout = 'published', department, domain } = request.query
      const region = regionOf(request.query)
      const number = await service.resolveVersionNumber(app.db, region, request.params.version, app.currentVersions)
      const version = await service.getVersion(app.db, region, number, request.principal)
      if (!service.isPublished(version)) reply.header('cache-control', 'private, no-store')
      else if (request.params.version === 'current') {
        reply.header('cache-control', 'public, max-age=60')
        reply.header('content-location', request.url.replace('/current/', `/${number}/`))
      } else reply.header('cache-control', 'public, max-age=31536000, immutable')
      const filter = { department, domain }
      const entries = await versionExportEntries(app.db, version, filter)
      return sendFile(reply, await renderExport(app.db, region, entries, { format: format as ExportFormat, layout: layout as SheetLayout, version: number, filter }))
    },
  )
}
