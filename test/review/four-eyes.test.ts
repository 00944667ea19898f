// Four eyes (DESIGN.md "Accountability"): nobody who changed the content in the review round may
// approve it, nor whoever submitted it — for notices, posts, catalog versions and reports alike.
import t from 'tap'
import type { App } from '../../src/app.js'
import { createUser, getUser } from '../../src/modules/auth/accounts.js'
import { passwordGrant } from '../../src/modules/auth/tokens.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, testPassword, tokenFor, userWith } from '../helpers/auth.js'
import { admins, createItem, patchItem, versionStep } from '../catalog/builders.js'
import { families, noticeBody } from '../notices/builders.js'
import { fullSections } from '../reports/builders.js'

/** A person who is both editor and reviewer of `department` (allowed: the rule is per round, not per person). */
async function editorAndReviewer(app: App, department: string, username: string) {
  const ctx = { actor: { type: 'system' as const, id: null, name: 'test fixture' }, requestId: null, regionCode: app.config.defaultRegion, now: app.clock.now() }
  await createUser(app.db, ctx, { username, displayName: username, password: testPassword, grants: [{ role: 'editor', departmentCode: department }, { role: 'reviewer', departmentCode: department }], mustChangePassword: false })
  const tokens = await passwordGrant({ db: app.db, signer: app.tokenSigner, clock: app.clock, config: app.config }, ctx, username, testPassword)
  return { id: (await getUser(app.db, app.config.defaultRegion, username)).id, token: tokens.access_token }
}

const step = (app: App, kind: string, id: string, action: string, token: string, payload: Record<string, unknown> = {}) =>
  app.inject({ method: 'POST', url: `/v1/${kind}/${id}/${action}`, headers: bearer(token), payload })

async function draftNotice(app: App, editor: string) {
  const created = await app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(editor), payload: noticeBody() })
  return { id: json(created).id as string, etag: String(created.headers.etag) }
}

t.test('a notice rewritten with PATCH cannot be approved by whoever rewrote it', async (t) => {
  const { app } = await buildTestApp(t)
  const author = await tokenFor(app, 'editor', 'housing')
  const both = await editorAndReviewer(app, 'housing', 'wang.both')
  const { id, etag } = await draftNotice(app, author)
  const patched = await app.inject({ method: 'PATCH', url: `/v1/notices/${id}`, headers: { ...bearer(both.token), 'if-match': etag }, payload: { body: '由审核人改写的正文。' } })
  t.equal(patched.statusCode, 200)
  t.equal((await step(app, 'notices', id, 'submit', author)).statusCode, 200)
  const own = await step(app, 'notices', id, 'approve', both.token)
  t.equal(own.statusCode, 403)
  t.match(json(own).detail, /changed the content.*four-eyes/)
  t.equal((await step(app, 'notices', id, 'reject', both.token, { comment: 'x' })).statusCode, 403, 'nor reject it')
  t.equal((await step(app, 'notices', id, 'approve', await tokenFor(app, 'reviewer', 'housing'))).statusCode, 200, 'another reviewer may')
})

t.test('a notice whose list was replaced (PUT …/entries) cannot be approved by whoever replaced it, even after a rejection', async (t) => {
  const { app } = await buildTestApp(t)
  const author = await tokenFor(app, 'editor', 'housing')
  const both = await editorAndReviewer(app, 'housing', 'wang.both')
  const other = await tokenFor(app, 'reviewer', 'housing')
  const { id, etag } = await draftNotice(app, author)
  t.equal((await app.inject({ method: 'PUT', url: `/v1/notices/${id}/entries`, headers: { ...bearer(both.token), 'if-match': etag }, payload: { entries: families } })).statusCode, 200)
  t.equal((await step(app, 'notices', id, 'submit', author)).statusCode, 200)
  t.equal((await step(app, 'notices', id, 'reject', other, { comment: '请核对名单。' })).statusCode, 200)
  t.equal((await step(app, 'notices', id, 'submit', author)).statusCode, 200)
  t.equal((await step(app, 'notices', id, 'approve', both.token)).statusCode, 403, 'the list it wrote is still in what would be approved')
  t.equal((await step(app, 'notices', id, 'approve', other)).statusCode, 200)
})

t.test('whoever submitted a notice cannot approve it', async (t) => {
  const { app } = await buildTestApp(t)
  const author = await tokenFor(app, 'editor', 'housing')
  const both = await editorAndReviewer(app, 'housing', 'wang.both')
  const { id } = await draftNotice(app, author)
  t.equal((await step(app, 'notices', id, 'submit', both.token)).statusCode, 200)
  const res = await step(app, 'notices', id, 'approve', both.token)
  t.equal(res.statusCode, 403)
  t.match(json(res).detail, /submitted it/)
})

t.test('an admin who rewrote a post cannot approve it', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'housing')
  const admin = await userWith(app, 'admin')
  const created = await app.inject({
    method: 'POST',
    url: '/v1/posts',
    headers: bearer(editor),
    payload: { departmentCode: 'housing', domainCode: 'affordable_housing', category: 'case', title: '公租房摇号', summary: '摇号。', body: '正文。', tags: [] },
  })
  t.equal(created.statusCode, 201)
  const id = json(created).id
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/posts/${id}`, headers: { ...bearer(admin.token), 'if-match': String(created.headers.etag) }, payload: { body: '管理员改写。' } })).statusCode, 200)
  t.equal((await step(app, 'posts', id, 'submit', editor)).statusCode, 200)
  t.equal((await step(app, 'posts', id, 'approve', admin.token)).statusCode, 403)
  t.equal((await step(app, 'posts', id, 'approve', await tokenFor(app, 'reviewer', 'housing'))).statusCode, 200)
})

t.test('an admin who rewrote a department report cannot accept it', async (t) => {
  const { app } = await buildTestApp(t, { now: '2026-03-03T02:00:00Z' })
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const admin = await userWith(app, 'admin')
  const created = await app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(editor), payload: { departmentCode: 'civil_affairs', period: '2026-02', ...fullSections } })
  const id = json(created).id
  const rewritten = await app.inject({ method: 'PATCH', url: `/v1/reports/${id}`, headers: { ...bearer(admin.token), 'if-match': String(created.headers.etag) }, payload: { results: '已审核通过。' } })
  t.equal(rewritten.statusCode, 200)
  t.equal((await step(app, 'reports', id, 'submit', editor)).statusCode, 200)
  const res = await step(app, 'reports', id, 'accept', admin.token)
  t.equal(res.statusCode, 403)
  t.match(json(res).detail, /four-eyes/)
  t.equal((await step(app, 'reports', id, 'accept', await tokenFor(app, 'admin'))).statusCode, 200, 'another admin may')
})

t.test('a catalog version: neither an admin who edited its working set nor its submitter may approve it', async (t) => {
  const { app } = await buildTestApp(t)
  const { author, approver } = await admins(app)
  const { etag } = await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'))
  t.equal((await patchItem(app, approver.token, 'disaster_relief.recipients', etag, { secondLevel: '救助对象名单（管理员改写）' })).statusCode, 200)
  await app.inject({ method: 'POST', url: '/v1/catalog/versions', headers: bearer(author.token), payload: { changeNote: '首版目录' } })
  const third = await userWith(app, 'admin')
  t.equal((await versionStep(app, third.token, 1, 'submit')).statusCode, 200)
  t.equal((await versionStep(app, approver.token, 1, 'approve')).statusCode, 403, 'it edited an item the version froze')
  t.equal((await versionStep(app, third.token, 1, 'approve')).statusCode, 403, 'it submitted the version')
  t.equal((await versionStep(app, (await userWith(app, 'admin')).token, 1, 'approve')).statusCode, 200, 'an uninvolved admin may')
})

t.test('item edits before the last published version do not bar its successor’s reviewer', async (t) => {
  const { app, clock } = await buildTestApp(t)
  const { author, approver } = await admins(app)
  const { etag } = await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'))
  t.equal((await patchItem(app, approver.token, 'disaster_relief.recipients', etag, { secondLevel: '救助对象名单（一）' })).statusCode, 200)
  clock.advance(60_000)
  await app.inject({ method: 'POST', url: '/v1/catalog/versions', headers: bearer(author.token), payload: { changeNote: '首版目录' } })
  const other = await userWith(app, 'admin')
  for (const [action, token] of [['submit', author.token], ['approve', other.token], ['publish', author.token]] as const) t.equal((await versionStep(app, token, 1, action)).statusCode, 200, action)
  clock.advance(60_000)
  await app.inject({ method: 'POST', url: '/v1/catalog/versions', headers: bearer(author.token), payload: { changeNote: '第二版' } })
  t.equal((await versionStep(app, author.token, 2, 'submit')).statusCode, 200)
  t.equal((await versionStep(app, approver.token, 2, 'approve')).statusCode, 200)
})
