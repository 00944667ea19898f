// The special column: drafted and reviewed by a department, public only once published.
import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'

const post = {
  departmentCode: 'housing',
  domainCode: 'affordable_housing',
  category: 'case',
  title: '公租房摇号全程公开，群众现场监督',
  summary: '摇号现场公证、结果当场公示7天。',
  body: '## 做法\n\n摇号前3天在社区公示栏和“E网通”发布名单。',
  coverImageUrl: 'https://www.longsha.gov.cn/zwgk/images/lottery.jpg',
  tags: ['保障性住房', ' 阳光摇号 ', '保障性住房'],
}

async function staff(app: any) {
  return { editor: await userWith(app, 'editor', 'housing'), reviewer: await userWith(app, 'reviewer', 'housing'), other: await userWith(app, 'editor', 'finance') }
}

async function ok(res: any, status = 200) {
  if (res.statusCode !== status) throw new Error(`${res.statusCode} ${res.body}`)
  return res
}

t.test('a post is public only once published, and leaves the column when withdrawn', async (t) => {
  const { app, clock } = await buildTestApp(t, { now: '2026-03-09T08:00:00Z' })
  const { editor, reviewer, other } = await staff(app)
  const created = await ok(await app.inject({ method: 'POST', url: '/v1/posts', headers: bearer(editor.token), payload: post }), 201)
  const draft = json(created)
  t.match(draft, { departmentCode: 'housing', category: 'case', tags: ['保障性住房', '阳光摇号'], review: { state: 'draft', author: editor.username } })
  const url = `/v1/posts/${draft.id}`

  t.equal((await app.inject({ method: 'GET', url })).statusCode, 404, 'the public does not see a draft')
  t.equal((await app.inject({ method: 'GET', url, headers: bearer(other.token) })).statusCode, 404, 'nor does another department')
  t.equal((await app.inject({ method: 'GET', url, headers: bearer(reviewer.token) })).statusCode, 200, 'its reviewers do')
  t.same(json(await app.inject({ method: 'GET', url: '/v1/posts' })).items, [])
  t.same(json(await app.inject({ method: 'GET', url: '/v1/posts', headers: bearer(editor.token) })).items.map((p: any) => p.id), [draft.id], 'its editors see it in the list')
  t.same(json(await app.inject({ method: 'GET', url: '/v1/posts', headers: bearer(other.token) })).items, [])

  const patched = await ok(await app.inject({ method: 'PATCH', url, headers: { ...bearer(editor.token), 'if-match': String(created.headers.etag) }, payload: { title: '公租房摇号全程公开' } }))
  t.equal((await app.inject({ method: 'PATCH', url, headers: { ...bearer(editor.token), 'if-match': String(created.headers.etag) }, payload: { title: 'x' } })).statusCode, 412)

  t.not(String(patched.headers.etag), String(created.headers.etag))
  const submitted = await ok(await app.inject({ method: 'POST', url: `${url}/submit`, headers: bearer(editor.token), payload: {} }))
  t.equal((await app.inject({ method: 'PATCH', url, headers: { ...bearer(editor.token), 'if-match': String(submitted.headers.etag) }, payload: { title: 'x' } })).statusCode, 409, 'a submitted post is not edited')
  t.equal((await app.inject({ method: 'POST', url: `${url}/approve`, headers: bearer(editor.token), payload: {} })).statusCode, 403, 'editors do not approve')
  t.equal((await app.inject({ method: 'POST', url: `${url}/reject`, headers: bearer(reviewer.token), payload: {} })).statusCode, 422, 'a rejection needs a comment')
  clock.set('2026-03-10T06:00:00Z')
  await ok(await app.inject({ method: 'POST', url: `${url}/approve`, headers: bearer(reviewer.token), payload: {} }))
  t.equal((await app.inject({ method: 'GET', url })).statusCode, 404, 'approved is not yet published')

  clock.set('2026-03-11T01:00:00Z')
  const published = json(await ok(await app.inject({ method: 'POST', url: `${url}/publish`, headers: bearer(editor.token), payload: {} })))
  t.match(published.review, { state: 'published', author: editor.username, reviewer: reviewer.username, approvedAt: '2026-03-10T06:00:00.000Z', publishedAt: '2026-03-11T01:00:00.000Z' })

  const pub = await app.inject({ method: 'GET', url })
  t.equal(pub.statusCode, 200)
  t.match(json(pub), { title: '公租房摇号全程公开', body: post.body, coverImageUrl: post.coverImageUrl })
  t.ok(pub.headers.etag)
  t.equal((await app.inject({ method: 'GET', url, headers: { 'if-none-match': String(pub.headers.etag) } })).statusCode, 304)
  const list = json(await app.inject({ method: 'GET', url: '/v1/posts' }))
  t.same(list.items.map((p: any) => p.id), [draft.id])
  t.notOk('body' in list.items[0], 'lists carry no bodies')

  clock.set('2026-03-12T01:00:00Z')
  await ok(await app.inject({ method: 'POST', url: `${url}/withdraw`, headers: bearer(editor.token), payload: { reason: '信息有误，更正后重新发布' } }))
  t.equal((await app.inject({ method: 'GET', url })).statusCode, 404, 'withdrawn: gone from the public')
  t.same(json(await app.inject({ method: 'GET', url: '/v1/posts' })).items, [])
  const sync = json(await app.inject({ method: 'GET', url: '/v1/posts?updatedSince=2026-03-11T00:00:00Z' }))
  t.same(sync.items.map((p: any) => [p.id, p.review.state, p.review.withdrawnReason]), [[draft.id, 'withdrawn', '信息有误，更正后重新发布']], 'a synced copy learns to drop it')
})

t.test('the column lists newest first, by category, department, domain, tag and updatedSince', async (t) => {
  const { app, clock } = await buildTestApp(t, { now: '2026-03-01T02:00:00Z' })
  const housing = await staff(app)
  const finance = { editor: housing.other, reviewer: await userWith(app, 'reviewer', 'finance') }
  const publish = async (who: { editor: { token: string }; reviewer: { token: string } }, body: Record<string, unknown>, at: string) => {
    clock.set(at)
    const id = json(await ok(await app.inject({ method: 'POST', url: '/v1/posts', headers: bearer(who.editor.token), payload: body }), 201)).id
    for (const [action, token] of [['submit', who.editor.token], ['approve', who.reviewer.token], ['publish', who.editor.token]] as const) {
      await ok(await app.inject({ method: 'POST', url: `/v1/posts/${id}/${action}`, headers: bearer(token), payload: {} }))
    }
    return id as string
  }
  const a = await publish(housing, { ...post, category: 'progress', title: '三月工作进展' }, '2026-03-02T02:00:00Z')
  const b = await publish(finance, { departmentCode: 'finance', domainCode: 'public_resource_trading', category: 'highlight', title: '政府采购结果全部公开', tags: ['政府采购'] }, '2026-03-03T02:00:00Z')
  const c = await publish(housing, { ...post, title: '阳光分房典型案例' }, '2026-03-04T02:00:00Z')
  const ids = async (query: string) => json(await app.inject({ method: 'GET', url: `/v1/posts${query}` })).items.map((p: any) => p.id)
  t.same(await ids(''), [c, b, a], 'newest first')
  t.same(await ids('?category=case'), [c])
  t.same(await ids('?department=finance'), [b])
  t.same(await ids('?domain=affordable_housing'), [c, a])
  t.same(await ids('?tag=阳光摇号'), [c, a])
  t.same(await ids('?updatedSince=2026-03-03T00:00:00Z'), [c, b])
  const page1 = json(await app.inject({ method: 'GET', url: '/v1/posts?limit=2' }))
  t.same(page1.items.map((p: any) => p.id), [c, b])
  const page2 = json(await app.inject({ method: 'GET', url: `/v1/posts?limit=2&cursor=${page1.nextCursor}` }))
  t.same(page2.items.map((p: any) => p.id), [a])
  t.equal(page2.nextCursor, null)
  t.equal((await app.inject({ method: 'GET', url: '/v1/posts?category=news' })).statusCode, 400)
})

t.test('drafting rules: the department, the domain, the fields and who may write', async (t) => {
  const { app } = await buildTestApp(t, { now: '2026-03-01T02:00:00Z' })
  const { editor, reviewer, other } = await staff(app)
  const create = (token: string, body: Record<string, unknown>) => app.inject({ method: 'POST', url: '/v1/posts', headers: bearer(token), payload: body })
  t.equal((await create(other.token, post)).statusCode, 403, 'only editors of the department write its posts')
  t.equal((await create(reviewer.token, post)).statusCode, 403, 'reviewers review')
  t.equal((await app.inject({ method: 'POST', url: '/v1/posts', payload: post })).statusCode, 401)
  const bad = await create(editor.token, { ...post, domainCode: 'nowhere' })
  t.equal(bad.statusCode, 422)
  t.equal(json(bad).errors[0].pointer, '/body/domainCode')
  t.equal((await create(editor.token, { ...post, coverImageUrl: 'javascript:alert(1)' })).statusCode, 400)
  t.equal((await create(editor.token, { ...post, author: 'x' })).statusCode, 400)
  t.equal((await create(editor.token, { ...post, tags: Array.from({ length: 11 }, (_, i) => `t${i}`) })).statusCode, 400)
  // The author cannot approve their own post (an admin holds every role).
  const admin = await userWith(app, 'admin')
  const own = json(await create(admin.token, post)).id
  await ok(await app.inject({ method: 'POST', url: `/v1/posts/${own}/submit`, headers: bearer(admin.token), payload: {} }))
  const self = await app.inject({ method: 'POST', url: `/v1/posts/${own}/approve`, headers: bearer(admin.token), payload: {} })
  t.equal(self.statusCode, 403)
  t.match(json(self).detail, /four-eyes/)
})
