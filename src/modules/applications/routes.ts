// HTTP routes of applications for disclosure on request. Addressed by receipt number everywhere:
// anyone holding it sees the status view; staff of the department see the full record (masked unless
// raw=true with read:private, which is audited). The public POST is rate-limited per address.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { writeContext, type AccessRule } from '../../http/access.js'
import { IdempotencyKeyHeader, withIdempotency } from '../../http/idempotency.js'
import { setEtag } from '../../http/preconditions.js'
import { jsonResponse, ListOf, problemResponses, ref } from '../../http/schemas.js'
import { ProblemError } from '../../lib/problems.js'
import { addConsultation, addRemedy, answerConsultation, approveExtension, decideRemedy, noticeFee, payFee, receiveCorrection, requestCorrection, requestExtension } from './actions.js'
import { applicationExample, statusExample } from './examples.js'
import { toApplication, toStatus } from './present.js'
import { moveReply, saveReply } from './reply.js'
import {
  ApplicationDeadlineSchema,
  ApplicationListQuery,
  ApplicationRequest,
  ApplicationSchema,
  ApplicationStatusSchema,
  ConsultationAnswer,
  ConsultationRequest,
  CorrectionReceived,
  CorrectionRequest,
  DeadlineQuery,
  EmptyBody,
  ExtensionRequest,
  FeeNotice,
  FeePayment,
  RawQuery,
  ReceiptParams,
  RemedyOutcomeRequest,
  RemedyRequest,
  ReplyActionParams,
  ReplyActionRequest,
  ReplyRequest,
  SeqParams,
} from './schemas.js'
import { applicationDeadlines, applicationEtag, auditRawRead, createApplication, departmentOfApplication, findRow, isStaffOf, listApplicationViews, proactiveItemOf, viewOf } from './service.js'
import type { ApplicationRow } from './tables.js'
import { Type } from 'typebox'
import { setChangesCursor, withChangesCursor } from '../events/list-cursor.js'

const bearer = [{ bearerAuth: [] }]
const full = (description: string) => jsonResponse(ref(ApplicationSchema), applicationExample, description)

export const applicationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ofApplication = (request: FastifyRequest) => departmentOfApplication(app.db, (request.params as { receipt: string }).receipt)
  const handle: AccessRule = { scopes: ['applications:write'], roles: ['editor', 'reviewer'], department: ofApplication }
  const staffDepartment = (r: FastifyRequest) => (r.query as { department?: string }).department ?? r.principal?.grants.find((g) => g.departmentCode)?.departmentCode ?? null
  const departmentsOf = (request: FastifyRequest) => {
    const p = request.principal!
    return p.grants.some((g) => g.departmentCode === null) ? null : p.grants.map((g) => g.departmentCode!).filter(Boolean)
  }

  async function sendFull(reply: FastifyReply, row: ApplicationRow) {
    const view = await viewOf(app.db, row, app.clock.now())
    setEtag(reply, applicationEtag(view.rec))
    return toApplication(view.rec, view.state, view.proactiveItem, false)
  }

  app.post(
    '/v1/applications',
    {
      schema: {
        operationId: 'createApplication',
        tags: ['applications'],
        summary: 'Receive an application for disclosure on request',
        description:
          'Staff (editor or reviewer of the department) enter letters, faxes and counter visits with the date of receipt (art. 31). Without a token this is the public form of the portal, the E-Net app and WeChat: received now, rate-limited per address (429 with Retry-After), answered with the status view — keep the receipt number.',
        security: [{}, { bearerAuth: [] }],
        headers: { type: 'object', properties: IdempotencyKeyHeader },
        body: ApplicationRequest,
        response: {
          201: { description: 'The application (full record for staff, the status view for the public form).', content: { 'application/json': { schema: Type.Union([ref(ApplicationSchema), ref(ApplicationStatusSchema)]), example: applicationExample } } },
          ...problemResponses(401, 403, 422, 429),
        },
      },
      config: { auth: 'public', rateLimit: { max: 5, timeWindow: 10 * 60_000, allowList: (req) => Boolean(req.headers.authorization) } },
    },
    async (request, reply) => {
      const ctx = writeContext(request)
      // A script retrying with the same Idempotency-Key gets the first response, not a second application.
      const response = await withIdempotency(app.db, request, ctx.now, async (tx) => {
        const row = await createApplication(tx, ctx, request.principal, request.body, request.ip)
        const view = await viewOf(tx, row, ctx.now)
        const dto = request.principal ? toApplication(view.rec, view.state, view.proactiveItem, false) : toStatus(view.rec, view.state, view.proactiveItem)
        return { status: 201, contentType: 'application/json; charset=utf-8', body: JSON.stringify(dto) }
      })
      if (response.replayed) reply.header('idempotent-replayed', 'true')
      const { receipt } = JSON.parse(response.body) as { receipt: string }
      reply.header('location', `/v1/applications/${receipt}`)
      return (reply as FastifyReply).code(response.status).type(response.contentType).send(response.body)
    },
  )

  app.get(
    '/v1/applications/:receipt',
    {
      schema: {
        operationId: 'getApplication',
        tags: ['applications'],
        summary: 'An application by its receipt number',
        description: 'Anyone holding the receipt gets the status view (no personal data). Staff of the department get the full record, masked; `raw=true` unmasks it for staff holding read:private, and every such read is audited.',
        security: [{}, { bearerAuth: [] }],
        params: ReceiptParams,
        querystring: RawQuery,
        response: {
          200: { description: 'The full record or the status view.', content: { 'application/json': { schema: Type.Union([ref(ApplicationSchema), ref(ApplicationStatusSchema)]), example: statusExample } } },
          ...problemResponses(401, 403, 404),
        },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const row = await findRow(app.db, request.params.receipt)
      const p = request.principal
      const view = await viewOf(app.db, row, app.clock.now())
      if (!isStaffOf(p, row.departmentCode)) {
        if (request.query.raw) throw new ProblemError('forbidden', 'Unmasked personal data needs the read:private scope on this department.')
        return toStatus(view.rec, view.state, view.proactiveItem)
      }
      if (request.query.raw) {
        if (!p!.scopes.includes('read:private')) throw new ProblemError('forbidden', 'Unmasked personal data needs the read:private scope on this department.')
        await auditRawRead(app.db, writeContext(request), [row.receipt])
      }
      setEtag(reply, applicationEtag(view.rec))
      return toApplication(view.rec, view.state, view.proactiveItem, request.query.raw === true)
    },
  )

  app.get(
    '/v1/applications',
    {
      schema: {
        operationId: 'listApplications',
        tags: ['applications'],
        summary: "List a department's applications (staff)",
        description: 'Oldest receipt first, with the derived status and clock; applicants masked. Staff of a department see their own; `department` narrows a region-wide view.',
        security: bearer,
        querystring: ApplicationListQuery,
        response: { 200: withChangesCursor(jsonResponse(ListOf(ref(ApplicationSchema)), { items: [applicationExample], nextCursor: null }, 'A page of applications.')), ...problemResponses(401, 403) },
      },
      config: { auth: { roles: ['editor', 'reviewer', 'admin', 'auditor'], department: staffDepartment } },
    },
    async (request, reply) => {
      await setChangesCursor(reply, app.db)
      const now = app.clock.now()
      const page = await listApplicationViews(app.db, { regionCode: app.config.defaultRegion, department: request.query.department, departments: departmentsOf(request), status: request.query.status, limit: request.query.limit ?? 50, cursor: request.query.cursor }, now)
      const items = []
      for (const { rec, state } of page.items) items.push(toApplication(rec, state, await proactiveItemOf(app.db, rec.app), false))
      return { items, nextCursor: page.nextCursor }
    },
  )

  app.get(
    '/v1/application-deadlines',
    {
      schema: {
        operationId: 'listApplicationDeadlines',
        tags: ['applications'],
        summary: 'Replies due or overdue, per department',
        description: 'Open applications whose reply is due within `withinDays` calendar days, and every overdue one, earliest first (art. 33: 20 working days, plus an approved extension, less the days paused).',
        security: bearer,
        querystring: DeadlineQuery,
        response: {
          200: withChangesCursor(jsonResponse(ListOf(ApplicationDeadlineSchema), { items: [{ receipt: 'YSQ2025-7K3M-9QXD', departmentCode: 'housing', receivedAt: '2025-09-26T02:00:00.000Z', status: 'processing', replyDueAt: '2025-10-30T16:00:00.000Z', daysLeft: 2, state: 'due' }], nextCursor: null }, 'Deadlines, earliest first.')),
          ...problemResponses(401, 403),
        },
      },
      config: { auth: { roles: ['editor', 'reviewer', 'admin', 'auditor'], department: staffDepartment } },
    },
    async (request, reply) => {
      await setChangesCursor(reply, app.db)
      const now = app.clock.now()
      const rows = await applicationDeadlines(app.db, { regionCode: app.config.defaultRegion, department: request.query.department, departments: departmentsOf(request), withinDays: request.query.withinDays ?? 7 }, now)
      return {
        items: rows.map(({ rec, state }) => ({
          receipt: rec.app.receipt,
          departmentCode: rec.app.departmentCode,
          receivedAt: rec.app.receivedAt.toISOString(),
          status: state.status,
          replyDueAt: state.clock!.dueAt,
          daysLeft: state.clock!.daysLeft,
          state: state.overdue ? ('overdue' as const) : ('due' as const),
        })),
        nextCursor: null,
      }
    },
  )

  // The actions under a receipt: each answers the full record.
  const action = <P, B>(spec: { url: string; operationId: string; summary: string; description?: string; params: P; body: B; rule?: AccessRule; statuses?: number[]; run: (request: any) => Promise<ApplicationRow> }) =>
    app.post(
      spec.url,
      {
        schema: {
          operationId: spec.operationId,
          tags: ['applications'],
          summary: spec.summary,
          ...(spec.description ? { description: spec.description } : {}),
          security: bearer,
          params: spec.params as typeof ReceiptParams,
          body: spec.body as typeof EmptyBody,
          response: { 200: full('The application.'), ...problemResponses(401, 403, 404, 409, 422, ...(spec.statuses ?? [])) },
        },
        config: { auth: spec.rule ?? handle },
      },
      async (request, reply) => sendFull(reply, await spec.run(request)),
    )

  action({
    url: '/v1/applications/:receipt/correction-request',
    operationId: 'requestApplicationCorrection',
    summary: 'Ask once for the application to be made clear (补正)',
    description: 'Art. 30: within 7 working days of receipt, once, saying everything to correct and by when. The reply period then runs from the day the corrected application arrives; none by the deadline closes the application as 逾期不补正.',
    params: ReceiptParams,
    body: CorrectionRequest,
    run: (r) => requestCorrection(app.db, writeContext(r), r.params.receipt, r.body),
  })
  action({
    url: '/v1/applications/:receipt/correction',
    operationId: 'receiveApplicationCorrection',
    summary: 'Record the corrected application',
    params: ReceiptParams,
    body: CorrectionReceived,
    run: (r) => receiveCorrection(app.db, writeContext(r), r.params.receipt, r.body),
  })
  action({
    url: '/v1/applications/:receipt/extension',
    operationId: 'requestApplicationExtension',
    summary: 'Ask to extend the reply period (at most 20 working days, once)',
    params: ReceiptParams,
    body: ExtensionRequest,
    run: (r) => requestExtension(app.db, writeContext(r), r.params.receipt, r.body),
  })
  action({
    url: '/v1/applications/:receipt/extension/approve',
    operationId: 'approveApplicationExtension',
    summary: 'Approve the extension (a reviewer who did not ask for it)',
    params: ReceiptParams,
    body: EmptyBody,
    rule: { scopes: ['applications:write'], roles: ['reviewer'], department: ofApplication },
    run: (r) => approveExtension(app.db, writeContext(r), r.principal, r.params.receipt),
  })
  action({
    url: '/v1/applications/:receipt/consultations',
    operationId: 'addApplicationConsultation',
    summary: 'Consult a third party or another agency (the clock stops)',
    description: 'Art. 32: the consultee has 15 working days; the time the consultation takes is not counted in the reply period.',
    params: ReceiptParams,
    body: ConsultationRequest,
    run: (r) => addConsultation(app.db, writeContext(r), r.params.receipt, r.body),
  })
  action({
    url: '/v1/applications/:receipt/consultations/:seq/answer',
    operationId: 'answerApplicationConsultation',
    summary: "Record a consultee's answer (the clock runs again)",
    params: SeqParams,
    body: ConsultationAnswer,
    run: (r) => answerConsultation(app.db, writeContext(r), r.params.receipt, r.params.seq, r.body),
  })
  action({
    url: '/v1/applications/:receipt/fee',
    operationId: 'noticeApplicationFee',
    summary: 'Send a fee notice (信息处理费; the clock stops until payment)',
    description: 'Default deadline: 20 working days after the notice. Not paid by then closes the application as 逾期未缴费.',
    params: ReceiptParams,
    body: FeeNotice,
    run: (r) => noticeFee(app.db, writeContext(r), r.params.receipt, r.body),
  })
  action({
    url: '/v1/applications/:receipt/fee/payment',
    operationId: 'payApplicationFee',
    summary: 'Record the payment of the fee',
    params: ReceiptParams,
    body: FeePayment,
    run: (r) => payFee(app.db, writeContext(r), r.params.receipt, r.body),
  })
  action({
    url: '/v1/applications/:receipt/reply/:action',
    operationId: 'moveApplicationReply',
    summary: 'Submit, approve, reject or send the reply',
    description: 'The review workflow: the approver is a reviewer of the department and not the author; only an approved reply is sent, and sending it answers the application.',
    params: ReplyActionParams,
    body: ReplyActionRequest,
    run: (r) => moveReply(app.db, writeContext(r), r.principal, r.params.receipt, r.params.action, r.body),
  })
  action({
    url: '/v1/applications/:receipt/remedies',
    operationId: 'addApplicationRemedy',
    summary: 'Record an administrative review or lawsuit about the application',
    params: ReceiptParams,
    body: RemedyRequest,
    run: (r) => addRemedy(app.db, writeContext(r), r.params.receipt, r.body),
  })
  action({
    url: '/v1/applications/:receipt/remedies/:seq/outcome',
    operationId: 'decideApplicationRemedy',
    summary: 'Record the outcome of a review or lawsuit (维持, 纠正, 其他)',
    params: SeqParams,
    body: RemedyOutcomeRequest,
    run: (r) => decideRemedy(app.db, writeContext(r), r.params.receipt, r.params.seq, r.body),
  })

  app.put(
    '/v1/applications/:receipt/reply',
    {
      schema: {
        operationId: 'saveApplicationReply',
        tags: ['applications'],
        summary: 'Write or edit the reply (a draft until reviewed)',
        description: "The outcome as the annual report counts it, the legal basis cited, the document and how it is delivered. Editing an existing reply needs the application's ETag in If-Match.",
        security: bearer,
        params: ReceiptParams,
        body: ReplyRequest,
        response: { 200: full('The application with its reply.'), ...problemResponses(401, 403, 404, 409, 412, 422, 428) },
      },
      config: { auth: handle },
    },
    async (request, reply) => {
      const ifMatch = request.headers['if-match'] ?? null
      return sendFull(reply, await saveReply(app.db, writeContext(request), request.params.receipt, ifMatch, request.body))
    },
  )
}
