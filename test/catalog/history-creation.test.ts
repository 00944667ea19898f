// A creation's history row stores none of the item's values (they are derived from the item and the
// later changes when read, item-history.ts): the history answers byte for byte as when the row held
// every value, which is how creations were stored before (and still are in older databases).
import { and, eq } from 'drizzle-orm'
import t from 'tap'
import type { App } from '../../src/app.js'
import { completeElements, planItemWrite, type ElementsInput } from '../../src/modules/catalog/items.js'
import { catalogItemChanges, catalogItems } from '../../src/modules/catalog/tables.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, tokenFor } from '../helpers/auth.js'
import { createItem, itemBody, patchItem } from './builders.js'

const key = 'disaster_relief.recipients'
const body = itemBody({
  channels: ['government_website', 'other'],
  channelsOther: '村务微信群',
  audience: { public: true, specificGroups: true, groupDescription: '受灾群众' },
  mode: { proactive: true, onRequest: true },
  basis: [
    { kind: 'administrative_regulation', title: '自然灾害救助条例', documentNumber: '国务院令第577号', articles: '第二十条' },
    { kind: 'normative_document', title: '受灾人员冬春生活救助工作规程' },
  ],
})

/** The creation row as writeItems stored it before: every field with a value, old null. */
const storedInFull = () => planItemWrite({ existing: null, key, elements: completeElements(body as unknown as ElementsInput), status: 'active', action: 'create' }).changes

async function creationRow(app: App) {
  const [item] = await app.db.select({ id: catalogItems.id }).from(catalogItems).where(eq(catalogItems.key, key))
  return and(eq(catalogItemChanges.itemId, item!.id), eq(catalogItemChanges.version, 1))!
}

/** The history's body, with the creation row as written (derived) and with it holding every value. */
async function bothWays(app: App, query = '') {
  const where = await creationRow(app)
  const read = async () => (await app.inject({ method: 'GET', url: `/v1/items/${key}/history${query}` })).body
  const derived = await read()
  await app.db.update(catalogItemChanges).set({ changes: storedInFull() }).where(where)
  const stored = await read()
  await app.db.update(catalogItemChanges).set({ changes: [] }).where(where)
  return { derived, stored }
}

t.test("a creation's history row stores no values, and the history reads the same as with them", async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  await createItem(app, editor, body)
  const [row] = await app.db.select({ changes: catalogItemChanges.changes }).from(catalogItemChanges).where(await creationRow(app))
  t.same(row!.changes, [], 'nothing stored twice')

  const fresh = await bothWays(app)
  t.equal(fresh.derived, fresh.stored, 'byte for byte')
  const creation = json({ body: fresh.derived }).items[0]
  t.same(
    creation.changes.map((c: any) => c.field),
    ['domain', 'firstLevel', 'secondLevel', 'content', 'basis', 'timeLimit', 'department', 'departments', 'channels', 'channelsOther', 'audience', 'mode', 'levels', 'status'],
    'every field with a value (thirdLevel has none), in element order',
  )
  t.ok(creation.changes.every((c: any) => c.old === null))
})

t.test('after later changes the creation still shows the values it was created with', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  let { etag } = await createItem(app, editor, body)
  const change = async (payload: Record<string, unknown>) => {
    const res = await patchItem(app, editor, key, etag, payload)
    t.equal(res.statusCode, 200)
    etag = res.headers.etag as string
  }
  await change({ channels: ['government_website', 'bulletin_board'], channelsOther: null })
  await change({ thirdLevel: '村内公示', mode: { proactive: true, onRequest: false } })
  await change({ channels: ['bulletin_board'], content: [{ name: '救助对象姓名', required: true }] })
  const retired = await app.inject({ method: 'POST', url: `/v1/items/${key}/retire`, headers: { ...bearer(editor), 'if-match': etag } })
  t.equal(retired.statusCode, 200)
  const reinstated = await app.inject({ method: 'POST', url: `/v1/items/${key}/reinstate`, headers: { ...bearer(editor), 'if-match': retired.headers.etag as string } })
  t.equal(reinstated.statusCode, 200)

  const whole = await bothWays(app)
  t.equal(whole.derived, whole.stored, 'byte for byte, after every field changed back and forth')
  const history = json({ body: whole.derived }).items
  t.same(
    history.map((h: any) => [h.version, h.action]),
    [
      [1, 'create'],
      [2, 'update'],
      [3, 'update'],
      [4, 'update'],
      [5, 'retire'],
      [6, 'reinstate'],
    ],
  )
  t.same(history[0].changes.find((c: any) => c.field === 'channels').new, ['government_website', 'other'], 'the first channels, changed twice since')
  t.same(history[0].changes.find((c: any) => c.field === 'status').new, 'active')
  t.notOk(history[0].changes.some((c: any) => c.field === 'thirdLevel'), 'set only later')

  const firstPage = await bothWays(app, '?limit=2')
  t.equal(firstPage.derived, firstPage.stored, 'a first page that ends before the last change: the same')
  t.same(json({ body: firstPage.derived }).items[0], history[0])
})
