// An import larger than one batch (2,000 rows per statement, db/many-rows.ts): each batch's items,
// history rows, audit rows and events go to the database as one statement (RowWriter.together), new
// items' history rows referring to items inserted in the same statement. Every row of every batch is
// written, in order, on a first import (inserts) and on a second that changes them all (updates).
import t from 'tap'
import { count, eq } from 'drizzle-orm'
import { verifyAuditChain } from '../../src/modules/audit/service.js'
import { catalogItemChanges } from '../../src/modules/catalog/tables.js'
import { events } from '../../src/modules/events/tables.js'
import { buildTestApp, json } from '../helpers/app.js'
import { tokenFor } from '../helpers/auth.js'
import { itemBody } from '../catalog/builders.js'
import { expectStatus, upload } from './builders.js'

const N = 2_001
const items = (suffix: string) => Array.from({ length: N }, (_, i) => itemBody({ key: `disaster_relief.n${String(i).padStart(4, '0')}`, secondLevel: `救助对象名单${i}${suffix}` }))

t.test('an import of more than one batch writes every item with its history row, audit row and event', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const rowsOf = async (action: string) => (await app.db.select({ n: count() }).from(catalogItemChanges).where(eq(catalogItemChanges.action, action)))[0]!.n
  const eventsOf = async (type: string) => (await app.db.select({ n: count() }).from(events).where(eq(events.type, type)))[0]!.n

  const firstRes = await upload(app, editor, items(''), { query: 'department=civil_affairs' })
  expectStatus(t, firstRes, 200)
  const first = json(firstRes)
  t.equal(first.counts.added, N)
  t.equal(await rowsOf('create'), N, 'a history row per new item')
  t.equal(await eventsOf('catalog.item.created'), N, 'an event per new item')
  const last = json(await app.inject({ method: 'GET', url: `/v1/items/disaster_relief.n${N - 1}/history` })).items
  t.match(last, [{ version: 1, action: 'create', changes: [{ field: 'domain', new: 'disaster_relief' }] }], 'the last batch has its history')

  const secondRes = await upload(app, editor, items('（修订）'), { query: 'department=civil_affairs' })
  expectStatus(t, secondRes, 200)
  const second = json(secondRes)
  t.equal(second.counts.changed, N)
  t.equal(await rowsOf('update'), N, 'a history row per changed item')
  t.equal(await eventsOf('catalog.item.updated'), N, 'an event per changed item')
  const item = json(await app.inject({ method: 'GET', url: `/v1/items/disaster_relief.n${N - 1}` }))
  t.match(item, { secondLevel: `救助对象名单${N - 1}（修订）` })

  const chain = await verifyAuditChain(app.db)
  t.match(chain, { valid: true })
  t.ok(chain.rowsChecked >= 2 * N, 'every creation and change audited, one chain')
})
