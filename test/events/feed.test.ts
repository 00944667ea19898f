// The change feed: every committed change once, in commit order, from the transaction that made it;
// public types for anyone, staff types for events:read; cursors, `after=now`, long polls, SSE, 410.
import t from 'tap'
import { appendEvent } from '../../src/modules/events/outbox.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, clientWith, userWith } from '../helpers/auth.js'

const post = { departmentCode: 'housing', domainCode: 'affordable_housing', category: 'case', title: '公租房摇号全程公开', summary: '摇号现场公证。', body: '正文', tags: [] }

async function ok(res: any, status = 200) {
  if (res.statusCode !== status) throw new Error(`${res.statusCode} ${res.body}`)
  return res
}

t.test('a published then withdrawn post is announced once each, thin, in order, to anyone', async (t) => {
  const { app, clock } = await buildTestApp(t, { now: '2026-03-09T08:00:00Z' })
  const head = json(await ok(await app.inject({ method: 'GET', url: '/v1/changes?after=now' })))
  t.same(head.items, [], 'after=now starts at the head')
  t.equal(head.upToDate, true)
  const editor = await userWith(app, 'editor', 'housing')
  const reviewer = await userWith(app, 'reviewer', 'housing')
  const draft = json(await ok(await app.inject({ method: 'POST', url: '/v1/posts', headers: bearer(editor.token), payload: post }), 201))
  const url = `/v1/posts/${draft.id}`
  await ok(await app.inject({ method: 'POST', url: `${url}/submit`, headers: bearer(editor.token), payload: {} }))
  await ok(await app.inject({ method: 'POST', url: `${url}/approve`, headers: bearer(reviewer.token), payload: {} }))
  clock.set('2026-03-10T01:00:00Z')
  await ok(await app.inject({ method: 'POST', url: `${url}/publish`, headers: bearer(editor.token), payload: {} }))
  clock.set('2026-03-11T01:00:00Z')
  await ok(await app.inject({ method: 'POST', url: `${url}/withdraw`, headers: bearer(editor.token), payload: { reason: '内容更新' } }))

  const page = json(await ok(await app.inject({ method: 'GET', url: `/v1/changes?after=${head.nextCursor}&types=post.*` })))
  t.same(
    page.items.map((e: any) => [e.type, e.timestamp, e.data]),
    [
      ['post.published', '2026-03-10T01:00:00.000Z', { id: draft.id, version: 4, url, department: 'housing', domain: 'affordable_housing', channels: ['portal', 'e_net_app'] }],
      ['post.withdrawn', '2026-03-11T01:00:00.000Z', { id: draft.id, version: 5, url, department: 'housing', domain: 'affordable_housing', channels: ['portal', 'e_net_app'] }],
    ],
    'drafts and reviews are not announced; publication and withdrawal (a tombstone) are, with the version after each',
  )
  t.match(page.items[0].id, /^evt_/)
  t.notOk(JSON.stringify(page).includes(post.title), 'thin: no content, only where to fetch it')
  t.equal(page.upToDate, true)
  const again = json(await ok(await app.inject({ method: 'GET', url: `/v1/changes?after=${page.nextCursor}` })))
  t.same(again.items, [], 'nothing twice')
  t.equal(again.nextCursor, page.nextCursor)

  const byDepartment = json(await app.inject({ method: 'GET', url: `/v1/changes?after=${head.nextCursor}&department=finance` }))
  t.same(byDepartment.items, [], 'filtered by department')
  t.equal(byDepartment.nextCursor, page.nextCursor, 'a filtered page still moves the cursor to the head it read')
  const paged = json(await app.inject({ method: 'GET', url: `/v1/changes?after=${head.nextCursor}&types=post.published,post.withdrawn&limit=1` }))
  t.equal(paged.items.length, 1)
  t.equal(paged.upToDate, false)
  const rest = json(await app.inject({ method: 'GET', url: `/v1/changes?after=${paged.nextCursor}&types=post.published,post.withdrawn&limit=1` }))
  t.same(rest.items.map((e: any) => e.type), ['post.withdrawn'])
})

t.test('staff event types need events:read; the event-type catalogue says which and publishes each schema', async (t) => {
  const { app } = await buildTestApp(t)
  const ctx = { regionCode: app.config.defaultRegion, now: app.clock.now() }
  await app.db.transaction(async (tx) => {
    await appendEvent(tx, ctx, { type: 'report.submitted', data: { id: 'r1', version: 2, url: '/v1/reports/r1', department: 'housing', period: '2026-02' } })
    await appendEvent(tx, ctx, { type: 'calendar.changed', data: { id: '2026', url: '/v1/calendar/2026', year: 2026 } })
  })
  const anonymous = json(await app.inject({ method: 'GET', url: '/v1/changes' }))
  t.notOk(anonymous.items.some((e: any) => e.type === 'report.submitted'), 'the public does not see staff events')
  t.ok(anonymous.items.some((e: any) => e.type === 'calendar.changed'))
  const reader = await clientWith(app, ['events:read'])
  const staff = json(await app.inject({ method: 'GET', url: '/v1/changes?types=report.*,calendar.changed', headers: bearer(reader.token) }))
  t.same(staff.items.map((e: any) => e.type), ['report.submitted', 'calendar.changed'], 'in the order appended')

  const types = json(await ok(await app.inject({ method: 'GET', url: '/v1/event-types' })))
  const byType = Object.fromEntries(types.items.map((i: any) => [i.type, i]))
  t.equal(byType['report.submitted'].audience, 'staff')
  t.equal(byType['notice.period.ended'].audience, 'public')
  t.match(byType['notice.published'].schema, { type: 'object', required: ['id', 'url'] })
})

t.test('a rolled-back change leaves no event, and its position is taken by the next commit', async (t) => {
  const { app } = await buildTestApp(t)
  const ctx = { regionCode: app.config.defaultRegion, now: app.clock.now() }
  const start = json(await app.inject({ method: 'GET', url: '/v1/changes?after=now' })).nextCursor
  await t.rejects(
    app.db.transaction(async (tx) => {
      await appendEvent(tx, ctx, { type: 'department.changed', data: { id: 'ghost', url: '/v1/departments/ghost', action: 'create' } })
      throw new Error('rolled back')
    }),
  )
  await app.db.transaction((tx) => appendEvent(tx, ctx, { type: 'department.changed', data: { id: 'real', url: '/v1/departments/real', action: 'create' } }))
  const page = json(await app.inject({ method: 'GET', url: `/v1/changes?after=${start}` }))
  t.same(page.items.map((e: any) => e.data.id), ['real'])
})
