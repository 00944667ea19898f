// Objections: the public files one during the period and checks it by receipt; staff of the notice's
// department see, assign and resolve them. And the review deadlines of procedures that have one.
import { guardAnonymousResponses } from './leak-guard.js'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { writeContext, type AccessRule } from '../../http/access.js'
import { jsonResponse, ListOf, problemResponses, ref } from '../../http/schemas.js'
import { appendAudit } from '../audit/service.js'
import { assignObjection, departmentOfObjection, dismissObjections, objectionByReceipt, resolveObjection, submitObjection } from './objections.js'
import { toObjection, toReceipt } from './present.js'
import * as q from './queries.js'
import { AssignRequest, DeadlineQuery, DeadlineSchema, DismissObjectionsRequest, DismissObjectionsResponse, NoticeParams, ObjectionRequest, ObjectionSchema, ReceiptParams, ReceiptSchema, ResolveRequest } from './schemas.js'
import { departmentOfNotice, getNotice } from './service.js'
import { setChangesCursor, withChangesCursor } from '../events/list-cursor.js'

const bearer = [{ bearerAuth: [] }]
const receiptExample = { receipt: 'YY2025-7K3M-9QXD', status: 'open' as const, submittedAt: '2025-09-28T03:00:00.000Z', reply: null, resolvedAt: null, noticeId: '3f2a9c1e-5b7d-4e8f-9a01-2b3c4d5e6f70', noticeTitle: '2025年第三季度住房租赁补贴家庭名单公示' }
const objectionExample = {
  receipt: 'YY2025-7K3M-9QXD',
  noticeId: '3f2a9c1e-5b7d-4e8f-9a01-2b3c4d5e6f70',
  entryRow: 2,
  name: '赵强',
  contact: 'zhao.qiang@example.com',
  reason: '该户家庭有两套住房，不符合补贴条件。',
  channel: 'portal' as const,
  status: 'open' as const,
  assignee: null,
  reply: null,
  resolvedAt: null,
  resolvedBy: null,
  submittedAt: '2025-09-28T03:00:00.000Z',
  addressHash: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
}

export const objectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  guardAnonymousResponses(app)
  const ofNotice = (request: FastifyRequest) => departmentOfNotice(app.db, (request.params as { id: string }).id)
  const ofObjection = (request: FastifyRequest) => departmentOfObjection(app.db, (request.params as { receipt: string }).receipt)
  const handle: AccessRule = { scopes: ['notices:write'], roles: ['editor', 'reviewer'], department: ofObjection }
  const decide: AccessRule = { scopes: ['review:approve'], roles: ['reviewer'], department: ofObjection }

  app.post(
    '/v1/notices/:id/objections',
    {
      schema: {
        operationId: 'submitObjection',
        tags: ['objections'],
        summary: 'Object to a notice (public, during its period)',
        description: 'No token needed. Accepted only while the notice is in publicity (409 otherwise). Rate-limited per address and per notice (429 with Retry-After). Keep the receipt to check the outcome.',
        security: [],
        params: NoticeParams,
        body: ObjectionRequest,
        response: { 201: jsonResponse(ref(ReceiptSchema), receiptExample, 'The receipt.'), ...problemResponses(404, 409, 422, 429) },
      },
      config: { auth: 'public', rateLimit: { max: 5, timeWindow: 10 * 60_000 } },
    },
    async (request, reply) => {
      const notice = await getNotice(app.db, request.params.id)
      const { row, surge } = await submitObjection(app.db, writeContext(request), request.params.id, request.body, request.ip)
      // An alert for staff and the operator, not a block: see objections.ts.
      if (surge !== null) request.log.warn({ noticeId: request.params.id, lastHour: surge }, 'objection surge on a notice: check for spam (POST …/objections/dismiss)')
      reply.header('location', `/v1/objections/${row.receipt}`)
      return reply.code(201).send(toReceipt(row, notice.title))
    },
  )

  app.get(
    '/v1/objections/:receipt',
    {
      schema: {
        operationId: 'getObjectionStatus',
        tags: ['objections'],
        summary: 'Check an objection by its receipt',
        description: 'Shows only the status and the official reply. Rate-limited per address (429 with Retry-After), never cached.',
        security: [],
        params: ReceiptParams,
        response: { 200: jsonResponse(ref(ReceiptSchema), receiptExample, 'The status.'), ...problemResponses(404, 429) },
      },
      // Receipts are the objector's only key: guessing them is slowed per address, answers stay private.
      config: { auth: 'public', noStore: true, rateLimit: { max: 30, timeWindow: 60_000 } },
    },
    async (request) => {
      const row = await objectionByReceipt(app.db, request.params.receipt)
      return toReceipt(row, (await getNotice(app.db, row.noticeId)).title)
    },
  )

  app.get(
    '/v1/notices/:id/objections',
    {
      schema: {
        operationId: 'listNoticeObjections',
        tags: ['objections'],
        summary: "List a notice's objections (staff)",
        description: 'With the objectors\' names and contacts: staff of the department only; every read is audited.',
        security: bearer,
        params: NoticeParams,
        response: { 200: withChangesCursor(jsonResponse(ListOf(ref(ObjectionSchema)), { items: [objectionExample], nextCursor: null }, 'The objections, oldest first.')), ...problemResponses(401, 403, 404) },
      },
      config: { auth: { scopes: ['notices:write'], roles: ['editor', 'reviewer'], department: ofNotice } },
    },
    async (request, reply) => {
      await setChangesCursor(reply, app.db)
      await getNotice(app.db, request.params.id)
      const rows = await q.objectionsOf(app.db, request.params.id)
      await app.db.transaction((tx) => appendAudit(tx, writeContext(request), { action: 'objection.list_read', targetType: 'notice', targetId: request.params.id, details: { count: rows.length } }))
      return { items: rows.map(toObjection), nextCursor: null }
    },
  )

  app.post(
    '/v1/notices/:id/objections/dismiss',
    {
      schema: {
        operationId: 'dismissObjections',
        tags: ['objections'],
        summary: 'Close obvious spam in bulk (reviewers)',
        description: 'Rejects, with one reply, the open objections of the notice among `receipts` or from one `addressHash` (see the staff list). By a reviewer of the department; audited with every receipt.',
        security: bearer,
        params: NoticeParams,
        body: DismissObjectionsRequest,
        response: { 200: jsonResponse(DismissObjectionsResponse, { dismissed: ['YY2025-7KQ2-M9XD'] }, 'The receipts dismissed.'), ...problemResponses(401, 403, 404, 422) },
      },
      config: { auth: { scopes: ['review:approve'], roles: ['reviewer'], department: ofNotice } },
    },
    async (request) => ({ dismissed: await dismissObjections(app.db, writeContext(request), request.params.id, request.body, request.body.reply) }),
  )

  app.post(
    '/v1/objections/:receipt/assign',
    {
      schema: {
        operationId: 'assignObjection',
        tags: ['objections'],
        summary: 'Assign an objection to a member of staff',
        security: bearer,
        params: ReceiptParams,
        body: AssignRequest,
        response: { 200: jsonResponse(ref(ObjectionSchema), { ...objectionExample, status: 'assigned' as const, assignee: 'wang.fang' }, 'The objection.'), ...problemResponses(401, 403, 404, 409) },
      },
      config: { auth: handle },
    },
    async (request) => toObjection(await assignObjection(app.db, writeContext(request), request.params.receipt, request.body.assignee)),
  )

  app.post(
    '/v1/objections/:receipt/resolve',
    {
      schema: {
        operationId: 'resolveObjection',
        tags: ['objections'],
        summary: 'Uphold or reject an objection, with the official reply',
        description: 'By a reviewer of the department (or an admin). An upheld objection leads to a revision of the notice.',
        security: bearer,
        params: ReceiptParams,
        body: ResolveRequest,
        response: { 200: jsonResponse(ref(ObjectionSchema), { ...objectionExample, status: 'rejected' as const, reply: '经核查，该户仅有一套住房，符合条件。', resolvedAt: '2025-09-30T03:00:00.000Z', resolvedBy: '李娜' }, 'The objection.'), ...problemResponses(401, 403, 404, 409) },
      },
      config: { auth: decide },
    },
    async (request) => toObjection(await resolveObjection(app.db, writeContext(request), request.params.receipt, request.body.outcome, request.body.reply)),
  )

  app.get(
    '/v1/review-deadlines',
    {
      schema: {
        operationId: 'listReviewDeadlines',
        tags: ['notices'],
        summary: 'Review decisions due or overdue, per department',
        description: 'Procedures with a decision deadline (rental subsidy: 15 days from receiving the materials, REVIEW_15D): what is due within `withinDays`, overdue, met or missed.',
        security: bearer,
        querystring: DeadlineQuery,
        response: {
          200: withChangesCursor(
            jsonResponse(
              ListOf(DeadlineSchema),
              { items: [{ noticeId: '3f2a9c1e-5b7d-4e8f-9a01-2b3c4d5e6f70', title: '住房租赁补贴复审', departmentCode: 'housing', materialsReceivedAt: '2025-09-10T02:00:00.000Z', decisionDueAt: '2025-09-25T16:00:00.000Z', decidedAt: null, state: 'overdue' }], nextCursor: null },
              'Deadlines, earliest first.',
            ),
          ),
          ...problemResponses(401, 403),
        },
      },
      config: {
        auth: {
          roles: ['editor', 'reviewer', 'admin', 'auditor'],
          // Without ?department=, staff of a department see their own.
          department: (r) => (r.query as { department?: string }).department ?? r.principal?.grants.find((g) => g.departmentCode)?.departmentCode ?? null,
        },
      },
    },
    async (request, reply) => {
      await setChangesCursor(reply, app.db)
      const now = app.clock.now()
      const p = request.principal!
      const regionWide = p.grants.some((g) => g.departmentCode === null)
      const rows = await q.deadlines(app.db, {
        regionCode: app.config.defaultRegion,
        department: request.query.department,
        departments: regionWide ? null : p.grants.map((g) => g.departmentCode!).filter(Boolean),
        until: new Date(now.getTime() + (request.query.withinDays ?? 7) * 86_400_000),
      })
      return {
        items: rows.map((n) => {
          const due = n.decisionDueAt!
          const state = n.decidedAt ? (n.decidedAt <= due ? 'met' : 'missed') : now > due ? 'overdue' : 'due'
          return { noticeId: n.id, title: n.title, departmentCode: n.departmentCode, materialsReceivedAt: n.materialsReceivedAt!.toISOString(), decisionDueAt: due.toISOString(), decidedAt: n.decidedAt?.toISOString() ?? null, state: state as 'due' }
        }),
        nextCursor: null,
      }
    },
  )
}
