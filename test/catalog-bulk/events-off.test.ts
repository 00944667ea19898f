// The bench-only switch (buildApp's `changeEvents: false`, used by scripts/bench/catalog-bulk.ts to time
// what the change events cost, issue 15) leaves out exactly the events: the items, their history and
// the audit chain are written as always. With the default, the same import is announced.
import t, { type Test } from 'tap'
import { verifyAuditChain } from '../../src/modules/audit/service.js'
import { buildTestApp, json } from '../helpers/app.js'
import { tokenFor } from '../helpers/auth.js'
import { itemBody } from '../catalog/builders.js'
import { expectStatus, upload } from './builders.js'

const items = [itemBody({ key: 'disaster_relief.a' }), itemBody({ key: 'disaster_relief.b', secondLevel: '救助资金' })]

async function importAndRead(t: Test, changeEvents: boolean) {
  const { app } = await buildTestApp(t, { build: { changeEvents } })
  const head = json(await app.inject({ method: 'GET', url: '/v1/changes?after=now' })).nextCursor
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  expectStatus(t, await upload(app, editor, items, { query: 'department=civil_affairs' }), 200)
  const feed = json(await app.inject({ method: 'GET', url: `/v1/changes?after=${head}&types=catalog.*` })).items
  const history = json(await app.inject({ method: 'GET', url: '/v1/items/disaster_relief.b/history' })).items
  return { feed, history, chain: await verifyAuditChain(app.db) }
}

t.test('without change events an import writes its items, history and audit rows, and no event', async (t) => {
  const off = await importAndRead(t, false)
  t.same(off.feed, [], 'nothing announced')
  t.match(off.history, [{ version: 1, action: 'create' }])
  t.match(off.chain, { valid: true })
  t.ok(off.chain.rowsChecked >= 2, 'both creations audited')

  const on = await importAndRead(t, true)
  t.same(
    on.feed.map((e: any) => [e.type, e.data.id]),
    [
      ['catalog.item.created', 'disaster_relief.a'],
      ['catalog.item.created', 'disaster_relief.b'],
    ],
    'the default announces each item',
  )
  t.same(on.history.map((h: any) => h.changes), off.history.map((h: any) => h.changes), 'the same history either way')
})
