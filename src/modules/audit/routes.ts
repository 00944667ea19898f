// Reading the audit log and verifying its hash chain (admins and auditors), and anchoring its head
// every few minutes (see anchors.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import type { AccessRule } from '../../http/access.js'
import { jsonResponse, ListOf, PaginationQuery, problemResponses, ref } from '../../http/schemas.js'
import type { SigningKeys } from '../auth/keys.js'
import { ANCHOR_INTERVAL_MS, anchorHead, anchorKeyOf, anchorLine, appendAnchorFile, listAnchors, verifyAnchoredChain } from './anchors.js'
import { listAudit } from './service.js'
import type { AuditAnchorRow, AuditRow } from './tables.js'
import { notFound } from '../../lib/problems.js'

const AuditEntrySchema = Type.Object(
  {
    seq: Type.Integer(),
    at: Type.String({ format: 'date-time' }),
    regionCode: Type.String(),
    actorType: Type.Enum(['user', 'client', 'system', 'public']),
    actorId: Type.Union([Type.String(), Type.Null()]),
    actorName: Type.String(),
    action: Type.String(),
    targetType: Type.String(),
    targetId: Type.String(),
    requestId: Type.Union([Type.String(), Type.Null()]),
    details: Type.Record(Type.String(), Type.Unknown()),
    prevHash: Type.String(),
    hash: Type.String(),
  },
  { $id: 'AuditEntry', additionalProperties: false },
)
type AuditEntryDto = Static<typeof AuditEntrySchema>

const example: AuditEntryDto = {
  seq: 42,
  at: '2026-11-02T01:00:00.000Z',
  regionCode: '230202',
  actorType: 'user',
  actorId: '7d3f0a52-5b8e-4c1e-9d55-0f6f3f4e2a11',
  actorName: 'li.na',
  action: 'user.create',
  targetType: 'user',
  targetId: '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9',
  requestId: '5f0c6c1e-8f0a-4d8e-9b3e-2f5a7c0d1e2f',
  details: { username: 'wang.fang' },
  prevHash: '9c1e…',
  hash: '4b7a…',
}

const VerificationSchema = Type.Object(
  {
    valid: Type.Boolean(),
    rowsChecked: Type.Integer(),
    lastSeq: Type.Union([Type.Integer(), Type.Null()]),
    firstBroken: Type.Union([Type.Object({ seq: Type.Integer(), reason: Type.String() }), Type.Null()]),
    anchor: Type.Union([Type.Object({ seq: Type.Integer(), hash: Type.String(), at: Type.String({ format: 'date-time' }) }), Type.Null()], {
      description: 'The latest signed checkpoint of the log the check reached (null: none yet). Compare it with the copies kept outside the database.',
    }),
  },
  { additionalProperties: false },
)

const AnchorSchema = Type.Object(
  {
    seq: Type.Integer({ description: 'The last sequence number of the log when anchored.' }),
    hash: Type.String({ description: 'Its digest.' }),
    at: Type.String({ format: 'date-time' }),
    kid: Type.String({ description: 'The key that signed it.' }),
    mac: Type.String({ description: 'HMAC-SHA256 over [seq, hash, at] under a key derived from the signing secret.' }),
  },
  { $id: 'AuditAnchor', additionalProperties: false },
)
const anchorExample = { seq: 1234, hash: '4b7a…', at: '2026-11-02T01:05:00.000Z', kid: '3f9a0c1e5b7d2e4f', mac: '9d1c…' }

const AuditQuery = Type.Object(
  {
    actorId: Type.Optional(Type.String({ maxLength: 64 })),
    action: Type.Optional(Type.String({ maxLength: 64 })),
    targetType: Type.Optional(Type.String({ maxLength: 64 })),
    targetId: Type.Optional(Type.String({ maxLength: 128 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    ...PaginationQuery,
  },
  { additionalProperties: false },
)

const anchorDto = (a: AuditAnchorRow) => ({ seq: a.seq, hash: a.hash, at: a.at.toISOString(), kid: a.kid, mac: a.mac })
const toDto = (r: AuditRow): AuditEntryDto => ({ ...r, at: r.at.toISOString(), actorType: r.actorType as AuditEntryDto['actorType'] })
const rule: AccessRule = { scopes: ['audit:read'], roles: ['admin', 'auditor'] }

export const auditSchemas = [AuditEntrySchema, AnchorSchema]

export const auditRoutes: FastifyPluginAsyncTypebox<{ keys: SigningKeys }> = async (app, opts) => {
  const keys = [opts.keys.current, ...(opts.keys.previous ? [opts.keys.previous] : [])].map(anchorKeyOf)
  // The embedded database keeps a copy of each anchor next to it; elsewhere the log line is the copy.
  const anchorDir = !opts.keys.ephemeral && !app.config.databaseUrl ? app.config.dataDir : null
  const checkpoint = async () => {
    const anchor = await anchorHead(app.db, keys[0]!, app.clock.now())
    if (!anchor) return null
    app.log.info({ auditAnchor: JSON.parse(anchorLine(anchor)) }, 'audit log anchored')
    if (anchorDir) await appendAnchorFile(anchorDir, anchor)
    return anchor
  }
  const timer = setInterval(() => checkpoint().catch((err) => app.log.warn({ err }, 'audit anchor failed; retried at the next interval')), ANCHOR_INTERVAL_MS)
  timer.unref()
  app.addHook('onClose', async () => clearInterval(timer))

  app.get(
    '/v1/audit',
    {
      schema: {
        operationId: 'listAuditEntries',
        tags: ['audit'],
        summary: 'Read the audit log, newest first',
        security: [{ bearerAuth: [] }],
        querystring: AuditQuery,
        response: { 200: jsonResponse(ListOf(ref(AuditEntrySchema)), { items: [example], nextCursor: null }, 'Audit entries, newest first.'), ...problemResponses(401, 403) },
      },
      config: { auth: rule },
    },
    async (request) => {
      const { from, to, limit, ...rest } = request.query
      const page = await listAudit(app.db, { ...rest, regionCode: request.principal!.regionCode, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined, limit: limit ?? 50 })
      return { items: page.items.map(toDto), nextCursor: page.nextCursor }
    },
  )

  app.get(
    '/v1/audit/verify',
    {
      schema: {
        operationId: 'verifyAuditChain',
        tags: ['audit'],
        summary: 'Verify the hash chain of the audit log',
        description:
          'Recomputes every digest in order and reports the first row where the chain breaks (altered, removed or inserted rows), then checks that the log reaches its latest signed anchor with the anchored digest (rows removed from its end, or the log rewritten). The whole log, every region.',
        security: [{ bearerAuth: [] }],
        response: {
          200: jsonResponse(VerificationSchema, { valid: true, rowsChecked: 1234, lastSeq: 1234, firstBroken: null, anchor: { seq: 1230, hash: '4b7a…', at: '2026-11-02T01:05:00.000Z' } }, 'The result of the check.'),
          ...problemResponses(401, 403),
        },
      },
      config: { auth: rule },
    },
    async () => verifyAnchoredChain(app.db, keys),
  )

  app.get(
    '/v1/audit/anchors',
    {
      schema: {
        operationId: 'listAuditAnchors',
        tags: ['audit'],
        summary: "Signed checkpoints of the audit log's head, newest first",
        description:
          'Every five minutes in which the log grew, its last sequence number and digest are signed and stored here, written to the server log and (embedded database) to DATA_DIR/audit-anchors.jsonl. Keep copies: a log that no longer reaches an anchor has lost rows at its end.',
        security: [{ bearerAuth: [] }],
        querystring: Type.Object(PaginationQuery, { additionalProperties: false }),
        response: { 200: jsonResponse(ListOf(ref(AnchorSchema)), { items: [anchorExample], nextCursor: null }, 'Anchors, newest first.'), ...problemResponses(400, 401, 403) },
      },
      config: { auth: rule },
    },
    async (request) => {
      const page = await listAnchors(app.db, { limit: request.query.limit ?? 50, cursor: request.query.cursor })
      return { items: page.items.map(anchorDto), nextCursor: page.nextCursor }
    },
  )

  app.post(
    '/v1/audit/anchors',
    {
      schema: {
        operationId: 'anchorAuditLog',
        tags: ['audit'],
        summary: "Anchor the audit log's head now",
        description:
          'What the five-minute timer does, on demand (before a backup or maintenance): 201 with the new anchor, or 200 with the latest one when the head is already anchored. Changes nothing in the log itself.',
        security: [{ bearerAuth: [] }],
        response: {
          200: jsonResponse(ref(AnchorSchema), anchorExample, 'The head was already anchored: the latest anchor.'),
          201: jsonResponse(ref(AnchorSchema), anchorExample, 'The new anchor.'),
          ...problemResponses(401, 403, 404),
        },
      },
      config: { auth: rule },
    },
    async (_request, reply) => {
      const anchor = await checkpoint()
      if (anchor) return reply.code(201).send(anchorDto(anchor))
      const [latest] = (await listAnchors(app.db, { limit: 1 })).items
      if (!latest) throw notFound('The audit log is empty: there is nothing to anchor.')
      return anchorDto(latest)
    },
  )
}
