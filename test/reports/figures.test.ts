// The figures a report carries match the catalog items, notices, objections and review decisions made
// in the test.
import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'
import { createItem, itemBody } from '../catalog/builders.js'
import { noticeBody, publishedNotice, staffOf } from '../notices/builders.js'
import { call, writtenReport } from './builders.js'

const civil = { departmentCode: 'civil_affairs', domainCode: 'disaster_relief', kind: 'relief_recipients', title: '冬春生活救助对象名单公示' }

t.test("a February report counts February's catalog changes, notices, objections and review deadlines of its department", async (t) => {
  const ctx = await buildTestApp(t, { now: '2026-01-20T02:00:00Z' })
  const { app, clock } = ctx
  const staff = await staffOf(app, 'civil_affairs')
  const housing = await staffOf(app, 'housing')
  const admin = (await userWith(app, 'admin')).token
  const draft = async (overrides: Record<string, unknown>) => (await call(app, 'POST', '/v1/notices', staff.editor, noticeBody({ ...civil, kind: 'decision', ...overrides }))).body.id as string

  await publishedNotice(ctx, staff, { ...civil, formedAt: '2026-01-10T02:00:00Z' }) // January: not counted
  const january = await createItem(app, staff.editor, { key: 'disaster_relief.january' }) // January: not counted
  // Review deadlines (REVIEW_15D): 20 Jan + 15 days = Wed 4 Feb; 25 Jan + 15 = Mon 9 Feb; 21 Jan + 15 = Thu 5 Feb.
  const met = await draft({ materialsReceivedAt: '2026-01-20T02:00:00Z' })
  const missed = await draft({ materialsReceivedAt: '2026-01-25T02:00:00Z' })
  const withdrawn = await draft({ materialsReceivedAt: '2026-01-21T02:00:00Z' })
  t.equal((await call(app, 'GET', `/v1/notices/${missed}`, staff.editor)).body.decisionDueAt, '2026-02-09T16:00:00.000Z')
  await call(app, 'POST', `/v1/notices/${withdrawn}/withdraw`, staff.editor, { reason: '申请人撤回申请' })

  clock.set('2026-02-03T02:00:00Z')
  await call(app, 'POST', `/v1/notices/${met}/decision`, staff.editor, { decidedAt: '2026-02-03T02:00:00Z' })
  // Catalog: two items added, one changed, one retired in February; another department's item.
  const recipients = await createItem(app, staff.editor)
  const standards = await createItem(app, staff.editor, { key: 'disaster_relief.standards', secondLevel: '救助标准' })
  await createItem(app, housing.editor, itemBody({ key: 'affordable_housing.rental_subsidy', domain: 'affordable_housing', department: 'housing' }))
  clock.set('2026-02-04T02:00:00Z')
  await call(app, 'PATCH', `/v1/items/${recipients.item.key}`, staff.editor, { secondLevel: '冬春救助对象名单' }, { 'if-match': recipients.etag })
  await call(app, 'POST', `/v1/items/${standards.item.key}/retire`, staff.editor, undefined, { 'if-match': standards.etag })
  clock.set('2026-02-05T02:00:00Z')
  const a = await publishedNotice(ctx, staff, { ...civil, formedAt: '2026-02-01T02:00:00Z' }) // 4 days from formation
  clock.set('2026-02-06T02:00:00Z')
  const { body: objection } = await call(app, 'POST', `/v1/notices/${a}/objections`, null, { name: '赵强', contact: '13800001234', reason: '第2户家庭收入较高，不应列入。', channel: 'wechat' })
  clock.set('2026-02-07T02:00:00Z')
  await call(app, 'POST', `/v1/objections/${objection.receipt}/resolve`, staff.reviewer, { outcome: 'rejected', reply: '经核实，该户符合救助条件。' })
  clock.set('2026-02-09T02:00:00Z')
  await publishedNotice(ctx, staff, { ...civil, formedAt: '2026-02-02T02:00:00Z' }) // 7 days
  clock.set('2026-02-10T02:00:00Z')
  await publishedNotice(ctx, staff, civil) // formation date unknown
  await publishedNotice(ctx, housing, { formedAt: '2026-02-01T02:00:00Z' }) // another department
  clock.set('2026-02-13T02:00:00Z') // A's period ended at 24:00 on 12 February
  await call(app, 'POST', `/v1/notices/${a}/conclude`, staff.editor, { outcome: 'objections_rejected' })

  clock.set('2026-03-02T02:00:00Z')
  await publishedNotice(ctx, staff, { ...civil, formedAt: '2026-02-20T02:00:00Z' }) // March: not counted
  await call(app, 'PATCH', `/v1/items/${january.item.key}`, staff.editor, { secondLevel: '一月事项' }, { 'if-match': january.etag }) // March
  const editor = (await userWith(app, 'editor', 'civil_affairs')).token
  const { id } = await writtenReport(app, editor, 'civil_affairs', '2026-02')
  const expected = {
    catalogItemsAdded: 2,
    catalogItemsChanged: 1,
    catalogItemsRetired: 1,
    noticesPublished: 3,
    noticesConcluded: 1,
    objectionsReceived: 1,
    objectionsResolved: 1,
    reviewDeadlinesMet: 1,
    reviewDeadlinesMissed: 1,
    noticesWithFormationDate: 2,
    averageDaysToPublish: 5.5,
  }
  const live = await call(app, 'GET', `/v1/reports/${id}`, editor)
  t.same(live.body.figures, expected)
  t.equal(live.body.figuresFrozen, false)

  const submitted = await call(app, 'POST', `/v1/reports/${id}/submit`, editor, {})
  t.same(submitted.body.figures, expected)
  t.equal(submitted.body.figuresFrozen, true)

  // The missed decision is recorded afterwards, as made on 8 February: the submitted figures stay as
  // the district office received them; the live ones (the region's totals) change.
  clock.set('2026-03-03T02:00:00Z')
  await call(app, 'POST', `/v1/notices/${missed}/decision`, staff.editor, { decidedAt: '2026-02-08T02:00:00Z' })
  const after = await call(app, 'GET', `/v1/reports/${id}`, editor)
  t.same(after.body.figures, expected)
  t.equal(after.etag, submitted.etag, 'frozen figures, same ETag')
  const summary = json(await app.inject({ method: 'GET', url: '/v1/reports/summary?month=2026-02', headers: bearer(admin) }))
  t.same(summary.departments.find((d: any) => d.departmentCode === 'civil_affairs').figures, expected)
  t.match(summary.totals, { catalogItemsAdded: 3, catalogItemsChanged: 1, catalogItemsRetired: 1, noticesPublished: 4, reviewDeadlinesMet: 2, reviewDeadlinesMissed: 0, noticesWithFormationDate: 3, averageDaysToPublish: 6.7 })
  t.match(summary.departments.find((d: any) => d.departmentCode === 'housing').figures, { noticesPublished: 1, averageDaysToPublish: 9 })

  // Returned, it is live again.
  const returned = await call(app, 'POST', `/v1/reports/${id}/return`, admin, { comment: '请核对审核期限数据。' })
  t.match(returned.body, { figuresFrozen: false, figures: { reviewDeadlinesMet: 2, reviewDeadlinesMissed: 0 } })
  t.not(returned.etag, submitted.etag)
})

t.test("a draft's ETag changes when its live figures do", async (t) => {
  const ctx = await buildTestApp(t, { now: '2026-03-02T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'civil_affairs')
  const editor = (await userWith(ctx.app, 'editor', 'civil_affairs')).token
  const { id } = await writtenReport(ctx.app, editor, 'civil_affairs', '2026-03')
  const first = await ctx.app.inject({ method: 'GET', url: `/v1/reports/${id}`, headers: bearer(editor) })
  t.equal((await ctx.app.inject({ method: 'GET', url: `/v1/reports/${id}`, headers: { ...bearer(editor), 'if-none-match': String(first.headers.etag) } })).statusCode, 304)
  await publishedNotice(ctx, staff, civil)
  const second = await ctx.app.inject({ method: 'GET', url: `/v1/reports/${id}`, headers: { ...bearer(editor), 'if-none-match': String(first.headers.etag) } })
  t.equal(second.statusCode, 200)
  t.equal(json(second).figures.noticesPublished, 1)
  // The read ETag still works as If-Match: figures are not what an editor overwrites.
  const edited = await ctx.app.inject({ method: 'PATCH', url: `/v1/reports/${id}`, headers: { ...bearer(editor), 'if-match': String(first.headers.etag) }, payload: { progress: '更新' } })
  t.equal(edited.statusCode, 200)
})
