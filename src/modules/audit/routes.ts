// Reading the audit log and verifying its hash chain (admins and auditors).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import type { AccessRule } from '../../http/access.js'
import { jsonResponse, ListOf, PaginationQuery, problemResponses, ref } from '../../http/schemas.js'
import { listAudit, verifyAuditChain } from './service.js'
import type { AuditRow } from './tables.js'

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
  },
  { additionalProperties: false },
)

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

const toDto = (r: AuditRow): AuditEntryDto => ({ ...r, at: r.at.toISOString(), actorType: r.actorType as AuditEntryDto['actorType'] })
const rule: AccessRule = { scopes: ['audit:read'], roles: ['admin', 'auditor'] }

export const auditSchemas = [AuditEntrySchema]

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
      const page = await listAudit(app.db, { ...rest, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined, limit: limit ?? 50 })
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
        description: 'Recomputes every digest in order and reports the first row where the chain breaks (altered, removed or inserted rows).',
        security: [{ bearerAuth: [] }],
        response: { 200: jsonResponse(VerificationSchema, { valid: true, rowsChecked: 1234, lastSeq: 1234, firstBroken: null }, 'The result of the check.'), ...problemResponses(401, 403) },
      },
      config: { auth: rule },
    },
    async () => verifyAuditChain(app.db),
  )
}
