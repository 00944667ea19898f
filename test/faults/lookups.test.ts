// A lookup that fails because the database went away is an outage (503 + Retry-After), never the
// caller's mistake: posts, notices, reports and assessment look up the department, domain, item they
// are given and answer 422 only when it truly does not exist. The database handle is wrapped so that
// reads of one table fail with a lost connection while everything else works.
import t, { type Test } from 'tap'
import type { Table } from 'drizzle-orm'
import type { Db } from '../../src/db/client.js'
import { catalogItems } from '../../src/modules/catalog/tables.js'
import { departments, domains } from '../../src/modules/reference/tables.js'
import { buildTestApp, json, type TestApp } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'
import { noticeBody } from '../notices/builders.js'

const lostConnection = (): Error => new Error('Connection terminated unexpectedly')

/** A query builder that accepts any chained call and fails, when awaited, with a lost connection. */
function failingQuery(error: () => Error): unknown {
  const chain: unknown = new Proxy(() => undefined, {
    get: (_target, prop) => (prop === 'then' ? (_resolve: unknown, reject: (e: Error) => void) => reject(error()) : () => chain),
  })
  return chain
}

/** `db` whose selects from `table` fail with a lost connection; counts how often that happened. */
function failingReadsOf(db: Db, table: Table, error: () => Error) {
  const state = { failures: 0 }
  const wrapped = new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      if (prop !== 'select' || typeof value !== 'function') return value
      return (...args: unknown[]) => {
        const builder = value.apply(target, args)
        return new Proxy(builder, {
          get(b, p, r) {
            const member = Reflect.get(b, p, r)
            if (p !== 'from' || typeof member !== 'function') return member
            return (from: unknown, ...rest: unknown[]) => {
              if (from === table) {
                state.failures++
                return failingQuery(error)
              }
              return member.call(b, from, ...rest)
            }
          },
        })
      }
    },
  })
  return { db: wrapped, state }
}

/** Runs `request` with the app's reads of `table` failing; restores the real handle afterwards. */
async function withFailingReads(app: TestApp['app'], table: Table, request: () => Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>, error: () => Error = lostConnection) {
  const real = app.db
  const { db, state } = failingReadsOf(real, table, error)
  ;(app as { db: Db }).db = db
  try {
    const res = await request()
    return { res, failures: state.failures }
  } finally {
    ;(app as { db: Db }).db = real
  }
}

function assertOutage(t: Test, outcome: { res: { statusCode: number; body: string; headers: Record<string, unknown> }; failures: number }, what: string) {
  t.ok(outcome.failures > 0, `${what}: the lookup met the lost connection`)
  t.equal(outcome.res.statusCode, 503, `${what}: 503, not 422`)
  t.equal(json(outcome.res).type, '/problems/service-unavailable')
  t.ok(outcome.res.headers['retry-after'], `${what}: Retry-After`)
}

t.test('a post whose department or domain lookup loses the connection answers 503; a missing one stays 422', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await userWith(app, 'editor', 'housing')
  const post = { departmentCode: 'housing', domainCode: 'affordable_housing', category: 'case', title: '公租房摇号全程公开' }
  const create = () => app.inject({ method: 'POST', url: '/v1/posts', headers: bearer(editor.token), payload: post })
  assertOutage(t, await withFailingReads(app, departments, create), 'department')
  assertOutage(t, await withFailingReads(app, domains, create), 'domain')
  const missing = await app.inject({ method: 'POST', url: '/v1/posts', headers: bearer(editor.token), payload: { ...post, domainCode: 'no_such_domain' } })
  t.equal(missing.statusCode, 422, 'a domain that does not exist is still the caller’s mistake')
  t.equal((await create()).statusCode, 201, 'and with the database back the same post is created')
})

t.test('a notice whose department, domain or item lookup loses the connection answers 503', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await userWith(app, 'editor', 'housing')
  const create = (body: Record<string, unknown>) => () => app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(editor.token), payload: noticeBody(body) })
  assertOutage(t, await withFailingReads(app, departments, create({})), 'department')
  assertOutage(t, await withFailingReads(app, domains, create({})), 'domain')
  assertOutage(t, await withFailingReads(app, catalogItems, create({ itemKey: 'affordable_housing.rental_subsidy' })), 'item')
  const missing = await create({ itemKey: 'no.such_item' })()
  t.equal(missing.statusCode, 422, 'an item that does not exist is still the caller’s mistake')
})

t.test('a report or an assessment whose department lookup loses the connection answers 503', async (t) => {
  const { app } = await buildTestApp(t, { now: '2026-03-09T08:00:00Z' })
  const editor = await userWith(app, 'editor', 'civil_affairs')
  const admin = await userWith(app, 'admin')
  assertOutage(
    t,
    await withFailingReads(app, departments, () => app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(editor.token), payload: { departmentCode: 'civil_affairs', period: '2026-02' } })),
    'report',
  )
  assertOutage(
    t,
    await withFailingReads(app, departments, () => app.inject({ method: 'GET', url: '/v1/assessment?from=2026-01-01&to=2026-02-28&department=housing', headers: bearer(admin.token) })),
    'assessment',
  )
  const missing = await app.inject({ method: 'GET', url: '/v1/assessment?from=2026-01-01&to=2026-02-28&department=nobody', headers: bearer(admin.token) })
  t.equal(missing.statusCode, 422, 'a department that does not exist is still the caller’s mistake')
})

t.test('a database out of disk space (SQLSTATE 53100, as drizzle wraps it) answers 503, not 500', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await userWith(app, 'editor', 'housing')
  const diskFull = () => Object.assign(new Error('Failed query: insert …'), { cause: Object.assign(new Error('could not extend file "base/5/16384": No space left on device'), { code: '53100' }) })
  const outcome = await withFailingReads(app, departments, () => app.inject({ method: 'POST', url: '/v1/posts', headers: bearer(editor.token), payload: { departmentCode: 'housing', category: 'case', title: '磁盘已满' } }), diskFull)
  assertOutage(t, outcome, 'disk full')
  t.match(json(outcome.res).detail, /disk space/)
})
