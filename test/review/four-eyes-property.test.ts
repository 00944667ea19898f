// The four-eyes property, for every reviewed kind: whatever sequence of edits several people make to a
// subject before it is submitted, the approver is never among those who changed its content in that
// round (nor its author or submitter) — and anyone else who reviews for its owner can approve it. The
// people are both editors and reviewers (admins for reports and the catalog), the hardest case.
import fc from 'fast-check'
import t from 'tap'
import type { App } from '../../src/app.js'
import { createUser, getUser } from '../../src/modules/auth/accounts.js'
import { passwordGrant } from '../../src/modules/auth/tokens.js'
import { buildTestApp, json, type TestApp } from '../helpers/app.js'
import { bearer, testPassword, tokenFor } from '../helpers/auth.js'
import { createItem, itemBody } from '../catalog/builders.js'
import { families, noticeBody } from '../notices/builders.js'
import { fullSections } from '../reports/builders.js'

const PEOPLE = 4
let itemEdits = 0
const RUNS = 6

async function person(app: App, username: string, grants: { role: 'editor' | 'reviewer' | 'admin'; departmentCode?: string }[]) {
  const ctx = { actor: { type: 'system' as const, id: null, name: 'test fixture' }, requestId: null, regionCode: app.config.defaultRegion, now: app.clock.now() }
  await createUser(app.db, ctx, { username, displayName: username, password: testPassword, grants, mustChangePassword: false })
  const tokens = await passwordGrant({ db: app.db, signer: app.tokenSigner, clock: app.clock, config: app.config }, ctx, username, testPassword)
  return { id: (await getUser(app.db, app.config.defaultRegion, username)).id, token: tokens.access_token }
}

async function ok(res: { statusCode: number; body: string; headers: Record<string, unknown> }, what: string) {
  if (res.statusCode >= 300) throw new Error(`${what}: ${res.statusCode} ${res.body}`)
  return { body: json(res), etag: String(res.headers.etag) }
}
const created = async (res: Parameters<typeof ok>[0]) => {
  const { body, etag } = await ok(res, 'create')
  return { id: String(body.id), etag }
}

/** One reviewed kind: how to create, edit, submit, review a subject, and to close it after a review. */
interface Kind {
  name: string
  edits: readonly string[]
  grants: { role: 'editor' | 'reviewer' | 'admin'; departmentCode?: string }[]
  create(t: TestApp, token: string, run: number): Promise<{ id: string; etag: string }>
  edit(t: TestApp, token: string, subject: { id: string; etag: string }, what: string): Promise<string>
  /** Edits made to what the subject will freeze, before it exists (catalog items). */
  before?(t: TestApp, token: string, what: string): Promise<void>
  submit(t: TestApp, token: string, id: string): Promise<void>
  approve(t: TestApp, token: string, id: string): Promise<number>
  after?(t: TestApp, token: string, id: string, approved: boolean): Promise<void>
}

const housing = [{ role: 'editor' as const, departmentCode: 'housing' }, { role: 'reviewer' as const, departmentCode: 'housing' }]
const post = (kind: string) => ({
  async submit({ app }: TestApp, token: string, id: string) {
    await ok(await app.inject({ method: 'POST', url: `/v1/${kind}/${id}/submit`, headers: bearer(token), payload: {} }), 'submit')
  },
})

const kinds: Kind[] = [
  {
    name: 'notice',
    edits: ['patch', 'entries'],
    grants: housing,
    async create({ app }, token) {
      return created(await app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(token), payload: noticeBody() }))
    },
    async edit({ app }, token, s, what) {
      const res =
        what === 'patch'
          ? await app.inject({ method: 'PATCH', url: `/v1/notices/${s.id}`, headers: { ...bearer(token), 'if-match': s.etag }, payload: { body: `改写 ${token.slice(-6)}` } })
          : await app.inject({ method: 'PUT', url: `/v1/notices/${s.id}/entries`, headers: { ...bearer(token), 'if-match': s.etag }, payload: { entries: families } })
      return (await ok(res, what)).etag
    },
    ...post('notices'),
    async approve({ app }, token, id) {
      return (await app.inject({ method: 'POST', url: `/v1/notices/${id}/approve`, headers: bearer(token), payload: {} })).statusCode
    },
  },
  {
    name: 'post',
    edits: ['patch'],
    grants: housing,
    async create({ app }, token) {
      const payload = { departmentCode: 'housing', domainCode: 'affordable_housing', category: 'case', title: '公租房摇号', summary: '摇号。', body: '正文。', tags: [] }
      return created(await app.inject({ method: 'POST', url: '/v1/posts', headers: bearer(token), payload }))
    },
    async edit({ app }, token, s) {
      return (await ok(await app.inject({ method: 'PATCH', url: `/v1/posts/${s.id}`, headers: { ...bearer(token), 'if-match': s.etag }, payload: { body: `改写 ${token.slice(-6)}` } }), 'patch')).etag
    },
    ...post('posts'),
    async approve({ app }, token, id) {
      return (await app.inject({ method: 'POST', url: `/v1/posts/${id}/approve`, headers: bearer(token), payload: {} })).statusCode
    },
  },
  {
    name: 'report',
    edits: ['patch'],
    grants: [{ role: 'admin' }],
    async create({ app }, token, run) {
      const period = `${2025 - Math.floor(run / 12)}-${String((run % 12) + 1).padStart(2, '0')}`
      return created(await app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(token), payload: { departmentCode: 'civil_affairs', period, ...fullSections } }))
    },
    async edit({ app }, token, s) {
      return (await ok(await app.inject({ method: 'PATCH', url: `/v1/reports/${s.id}`, headers: { ...bearer(token), 'if-match': s.etag }, payload: { results: `改写 ${token.slice(-6)}` } }), 'patch')).etag
    },
    ...post('reports'),
    async approve({ app }, token, id) {
      return (await app.inject({ method: 'POST', url: `/v1/reports/${id}/accept`, headers: bearer(token), payload: {} })).statusCode
    },
  },
  {
    name: 'catalog version',
    edits: ['note'],
    grants: [{ role: 'admin' }],
    async before({ app }, token) {
      const etag = String((await app.inject({ method: 'GET', url: '/v1/items/disaster_relief.recipients' })).headers.etag)
      // Always a real change (a repeated value would record no edit, and nobody would have changed anything).
      await ok(await app.inject({ method: 'PATCH', url: '/v1/items/disaster_relief.recipients', headers: { ...bearer(token), 'if-match': etag }, payload: { secondLevel: `救助对象名单 ${token.slice(-6)} ${++itemEdits}` } }), 'item')
    },
    async create({ app, clock }, token) {
      clock.advance(60_000) // each version freezes after the previous one was published
      const { body, etag } = await ok(await app.inject({ method: 'POST', url: '/v1/catalog/versions', headers: bearer(token), payload: { changeNote: '目录调整' } }), 'create')
      return { id: String(body.number), etag }
    },
    async edit({ app }, token, s) {
      return (await ok(await app.inject({ method: 'PATCH', url: `/v1/catalog/versions/${s.id}`, headers: { ...bearer(token), 'if-match': s.etag }, payload: { changeNote: `改写 ${token.slice(-6)}` } }), 'note')).etag
    },
    ...post('catalog/versions'),
    async approve({ app }, token, id) {
      return (await app.inject({ method: 'POST', url: `/v1/catalog/versions/${id}/approve`, headers: bearer(token), payload: {} })).statusCode
    },
    async after({ app, clock }, token, id, approved) {
      const action = approved ? 'publish' : 'withdraw'
      await ok(await app.inject({ method: 'POST', url: `/v1/catalog/versions/${id}/${action}`, headers: bearer(token), payload: approved ? {} : { reason: '重做' } }), action)
      clock.advance(60_000) // edits of the next round come after this version's freeze
    },
  },
]

for (const kind of kinds) {
  t.test(`${kind.name}: the approver never changed the content of the round, and anyone else may approve`, async (t) => {
    const ctx = await buildTestApp(t, { now: '2026-03-03T02:00:00Z' })
    const people: { id: string; token: string }[] = []
    for (let i = 0; i < PEOPLE; i++) people.push(await person(ctx.app, `${kind.name.replace(' ', '_')}.${i}`, kind.grants))
    if (kind.before) await createItem(ctx.app, await tokenFor(ctx.app, 'editor', 'civil_affairs'), itemBody())
    let run = 0
    // Item edits stay in the catalog's working set until a version publishes them: a withdrawn
    // version's item editors are still among those who changed what the next version freezes.
    let unpublishedItemEditors = new Set<number>()
    const who = fc.integer({ min: 0, max: PEOPLE - 1 })
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          before: kind.before ? fc.array(who, { maxLength: 2 }) : fc.constant([]),
          author: who,
          edits: fc.array(fc.record({ who, what: fc.constantFrom(...kind.edits) }), { maxLength: 4 }),
          submitter: who,
          order: fc.shuffledSubarray([...Array(PEOPLE).keys()], { minLength: PEOPLE }),
        }),
        async (scenario) => {
          for (const i of scenario.before) await kind.before!(ctx, people[i]!.token, 'item')
          const subject = await kind.create(ctx, people[scenario.author]!.token, run++)
          for (const e of scenario.edits) subject.etag = await kind.edit(ctx, people[e.who]!.token, subject, e.what)
          await kind.submit(ctx, people[scenario.submitter]!.token, subject.id)
          for (const i of scenario.before) unpublishedItemEditors.add(i)
          const involved = new Set([...unpublishedItemEditors, scenario.author, ...scenario.edits.map((e) => e.who), scenario.submitter])
          // Everyone involved is refused; then the first uninvolved person (if any) approves.
          let approved = false
          for (const i of [...scenario.order.filter((i) => involved.has(i)), ...scenario.order.filter((i) => !involved.has(i)).slice(0, 1)]) {
            const status = await kind.approve(ctx, people[i]!.token, subject.id)
            if (involved.has(i) && status !== 403) throw new Error(`person ${i} changed the content but approving gave ${status}`)
            if (!involved.has(i) && status !== 200) throw new Error(`person ${i} took no part but approving gave ${status}`)
            approved ||= status === 200
          }
          if (kind.after) await kind.after(ctx, people[scenario.author]!.token, subject.id, approved)
          if (approved) unpublishedItemEditors = new Set()
        },
      ),
      { numRuns: RUNS },
    )
    t.pass(`${RUNS} sequences of edits`)
  })
}
