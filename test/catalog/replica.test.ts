// DATABASE_READ_URL: anonymous public reads go to the replica, which may lag; staff read the primary;
// what the replica does not have yet is looked up on the primary; `current` never moves backwards.
// The "replica" is a second database that the test writes to late (through an app of its own), so
// its lag is whatever the test says it is.
import t from 'tap'
import { buildApp, type App } from '../../src/app.js'
import { MAX_AGE_MS } from '../../src/modules/catalog/current-pointer.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, tokenFor } from '../helpers/auth.js'
import { createTestDatabase, testDatabaseUrl } from '../helpers/databases.js'
import { admins, createItem, publishVersion } from './builders.js'

// A replica is a Postgres server's; the embedded database (one process) has none to point at.
const skip = testDatabaseUrl ? false : 'DATABASE_READ_URL needs Postgres: PGlite has no replicas (run with TEST_DATABASE_URL)'

async function primaryWithLaggingReplica(t: Parameters<typeof buildTestApp>[0]) {
  const replica = await createTestDatabase()
  const main = await buildTestApp(t, { config: { databaseReadUrl: replica.url } })
  // Writes to the replica's database "late": when the test lets it catch up.
  const late: App = await buildApp(main.app.config, { database: replica.database, clock: main.clock })
  t.teardown(async () => {
    await late.close()
    await replica.drop()
  })
  return { ...main, late }
}

const keys = (response: { body: string }) => json(response).items.map((i: { key: string }) => i.key)

t.test('anonymous lists read the replica, staff the primary, single items whichever has them', { skip }, async (t) => {
  const { app, late } = await primaryWithLaggingReplica(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  await createItem(app, editor)
  t.same(keys(await app.inject({ method: 'GET', url: '/v1/items' })), [], 'the replica has not caught up')
  t.same(keys(await app.inject({ method: 'GET', url: '/v1/items', headers: bearer(editor) })), ['disaster_relief.recipients'], 'the writer reads its write back')
  const one = await app.inject({ method: 'GET', url: '/v1/items/disaster_relief.recipients' })
  t.equal(one.statusCode, 200, 'not yet on the replica: read from the primary')
  t.equal((await app.inject({ method: 'GET', url: '/v1/items/disaster_relief.nothing' })).statusCode, 404)

  await createItem(late, await tokenFor(late, 'editor', 'civil_affairs'))
  t.same(keys(await app.inject({ method: 'GET', url: '/v1/items' })), ['disaster_relief.recipients'], 'caught up')
})

t.test('current comes from the primary and never moves back to what the replica has', { skip }, async (t) => {
  const { app, clock } = await primaryWithLaggingReplica(t)
  const { author, approver } = await admins(app)
  await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'))
  await publishVersion(app, author.token, approver.token)
  for (const wait of [0, MAX_AGE_MS, MAX_AGE_MS]) {
    clock.advance(wait)
    const page = await app.inject({ method: 'GET', url: '/v1/catalog/versions/current/items' })
    t.equal(page.statusCode, 200)
    t.equal(page.headers['content-location'], '/v1/catalog/versions/1/items', 'version 1, which the replica does not have')
    t.same(keys(page), ['disaster_relief.recipients'])
  }
  t.equal((await app.inject({ method: 'GET', url: '/v1/catalog/versions/1' })).statusCode, 200)
  t.same(json(await app.inject({ method: 'GET', url: '/v1/catalog/versions' })).items, [], 'the list of versions is the replica’s')
})
