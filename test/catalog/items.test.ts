import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, clientWith, tokenFor, userWith } from '../helpers/auth.js'
import { createItem, etagOf, itemBody, patchItem } from './builders.js'

t.test('an editor adds an item of their department; anyone reads it with its ETag', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const res = await app.inject({ method: 'POST', url: '/v1/items', headers: bearer(editor), payload: itemBody() })
  t.equal(res.statusCode, 201)
  t.equal(res.headers.location, '/v1/items/disaster_relief.recipients')
  t.equal(res.headers.etag, '"item-disaster_relief.recipients-v1"')
  const created = json(res)
  t.match(created, { key: 'disaster_relief.recipients', status: 'active', thirdLevel: null, channelsOther: null, etag: res.headers.etag })

  const read = await app.inject({ method: 'GET', url: '/v1/items/disaster_relief.recipients' })
  t.equal(read.statusCode, 200)
  t.equal(read.headers.etag, res.headers.etag)
  t.same(json(read), created)
  const again = await app.inject({ method: 'GET', url: '/v1/items/disaster_relief.recipients', headers: { 'if-none-match': res.headers.etag as string } })
  t.equal(again.statusCode, 304)
})

t.test('public item responses carry the catalog elements and nothing internal', async (t) => {
  const { app } = await buildTestApp(t)
  await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'))
  const body = json(await app.inject({ method: 'GET', url: '/v1/items' }))
  t.same(Object.keys(body.items[0]).sort(), [
    'audience', 'basis', 'channels', 'channelsOther', 'content', 'department', 'departments', 'domain', 'etag',
    'firstLevel', 'key', 'levels', 'mode', 'secondLevel', 'status', 'thirdLevel', 'timeLimit', 'updatedAt',
  ])
  t.notMatch(JSON.stringify(body), /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, 'no uuid anywhere')
})

t.test('writes need a token, the items:write scope and the editor role of the department', async (t) => {
  const { app } = await buildTestApp(t)
  t.equal((await app.inject({ method: 'POST', url: '/v1/items', payload: itemBody() })).statusCode, 401)
  const reviewer = await tokenFor(app, 'reviewer', 'civil_affairs')
  t.equal((await app.inject({ method: 'POST', url: '/v1/items', headers: bearer(reviewer), payload: itemBody() })).statusCode, 403, 'reviewers do not edit')
  const housingEditor = await tokenFor(app, 'editor', 'housing')
  const other = await app.inject({ method: 'POST', url: '/v1/items', headers: bearer(housingEditor), payload: itemBody() })
  t.equal(other.statusCode, 403)
  t.match(json(other).detail, /department civil_affairs/)
  const script = await clientWith(app, ['items:write'], 'civil_affairs')
  t.equal((await app.inject({ method: 'POST', url: '/v1/items', headers: bearer(script.token), payload: itemBody() })).statusCode, 201, 'a client of the department may')
})

t.test('an editor of another department cannot change, retire or take over an item', async (t) => {
  const { app } = await buildTestApp(t)
  const owner = await tokenFor(app, 'editor', 'civil_affairs')
  const { etag } = await createItem(app, owner)
  const stranger = await tokenFor(app, 'editor', 'housing')
  t.equal((await patchItem(app, stranger, 'disaster_relief.recipients', etag, { secondLevel: '改名' })).statusCode, 403)
  const retire = await app.inject({ method: 'POST', url: '/v1/items/disaster_relief.recipients/retire', headers: { ...bearer(stranger), 'if-match': etag } })
  t.equal(retire.statusCode, 403)
  const moved = await patchItem(app, owner, 'disaster_relief.recipients', etag, { department: 'housing' })
  t.equal(moved.statusCode, 403, 'moving to a department needs editor rights there too')
  t.equal(await etagOf(app, 'disaster_relief.recipients'), etag, 'nothing changed')
  const missing = await patchItem(app, owner, 'disaster_relief.nothing_here', etag, { secondLevel: 'x' })
  t.equal(missing.statusCode, 404)
})

t.test('PATCH without If-Match is 428; with a stale ETag 412', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const { etag } = await createItem(app, editor)
  const without = await patchItem(app, editor, 'disaster_relief.recipients', undefined, { secondLevel: '救助对象名单公示' })
  t.equal(without.statusCode, 428)
  t.equal(json(without).type, '/problems/precondition-required')
  t.equal((await patchItem(app, editor, 'disaster_relief.recipients', '"item-disaster_relief.recipients-v9"', { secondLevel: 'x' })).statusCode, 412)
  const ok = await patchItem(app, editor, 'disaster_relief.recipients', etag, { secondLevel: '救助对象名单公示' })
  t.equal(ok.statusCode, 200)
  t.equal(ok.headers.etag, '"item-disaster_relief.recipients-v2"')
  t.equal(json(ok).secondLevel, '救助对象名单公示')
})

t.test('two PATCHes with the same If-Match: one wins, the other gets 412', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await userWith(app, 'editor', 'civil_affairs', 'wang.fang')
  const colleague = await userWith(app, 'editor', 'civil_affairs', 'liu.yang')
  const { etag } = await createItem(app, editor.token)
  const [a, b] = await Promise.all([
    patchItem(app, editor.token, 'disaster_relief.recipients', etag, { channels: ['government_website'] }),
    patchItem(app, colleague.token, 'disaster_relief.recipients', etag, { channels: ['bulletin_board'] }),
  ])
  t.same([a.statusCode, b.statusCode].sort(), [200, 412])
  const winner = a.statusCode === 200 ? a : b
  const stored = json(await app.inject({ method: 'GET', url: '/v1/items/disaster_relief.recipients' }))
  t.same(stored.channels, json(winner).channels, 'the stored item is the winner’s')
  t.equal(stored.etag, '"item-disaster_relief.recipients-v2"')
})

t.test('a PATCH that changes nothing keeps the version and records nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const { etag, item } = await createItem(app, editor)
  const res = await patchItem(app, editor, 'disaster_relief.recipients', etag, { channels: [...item.channels].reverse() })
  t.equal(res.statusCode, 200)
  t.equal(res.headers.etag, etag)
  t.equal(json(await app.inject({ method: 'GET', url: '/v1/items/disaster_relief.recipients/history' })).items.length, 1)
})

t.test('the history lists each change with who, when and each field before and after', async (t) => {
  const { app, clock } = await buildTestApp(t)
  const editor = await userWith(app, 'editor', 'civil_affairs', 'wang.fang')
  const { etag } = await createItem(app, editor.token)
  clock.set('2026-03-03T01:30:00Z')
  const changed = await patchItem(app, editor.token, 'disaster_relief.recipients', etag, {
    channels: ['government_website', 'bulletin_board', 'door_to_door_or_on_site'],
    thirdLevel: '村内公示',
  })
  clock.set('2026-03-04T01:30:00Z')
  await app.inject({ method: 'POST', url: '/v1/items/disaster_relief.recipients/retire', headers: { ...bearer(editor.token), 'if-match': changed.headers.etag as string } })
  const history = json(await app.inject({ method: 'GET', url: '/v1/items/disaster_relief.recipients/history' }))
  t.equal(history.items.length, 3)
  t.match(history.items[0], { version: 1, action: 'create', at: '2026-03-02T02:00:00.000Z', actor: { type: 'user', name: 'wang.fang' } })
  t.ok(history.items[0].changes.some((c: any) => c.field === 'domain' && c.old === null && c.new === 'disaster_relief'))
  t.same(history.items[1], {
    version: 2,
    action: 'update',
    at: '2026-03-03T01:30:00.000Z',
    actor: { type: 'user', name: 'wang.fang' },
    changes: [
      { field: 'thirdLevel', old: null, new: '村内公示' },
      { field: 'channels', old: ['government_website', 'bulletin_board'], new: ['government_website', 'door_to_door_or_on_site', 'bulletin_board'] },
    ],
  })
  t.same(history.items[2].changes, [{ field: 'status', old: 'active', new: 'retired' }])
  const page = json(await app.inject({ method: 'GET', url: '/v1/items/disaster_relief.recipients/history?limit=2' }))
  t.equal(page.items.length, 2)
  const rest = json(await app.inject({ method: 'GET', url: `/v1/items/disaster_relief.recipients/history?limit=2&cursor=${page.nextCursor}` }))
  t.same(rest.items.map((i: any) => i.version), [3])
})

t.test('retiring is soft and needs If-Match; a retired item is reinstated, not edited', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const { etag } = await createItem(app, editor)
  const url = '/v1/items/disaster_relief.recipients'
  t.equal((await app.inject({ method: 'POST', url: `${url}/retire`, headers: bearer(editor) })).statusCode, 428)
  const retired = await app.inject({ method: 'POST', url: `${url}/retire`, headers: { ...bearer(editor), 'if-match': etag } })
  t.equal(retired.statusCode, 200)
  t.equal(json(retired).status, 'retired')
  t.equal((await app.inject({ method: 'GET', url })).statusCode, 200, 'still readable')
  t.equal((await patchItem(app, editor, 'disaster_relief.recipients', retired.headers.etag as string, { secondLevel: 'x' })).statusCode, 409)
  const again = await app.inject({ method: 'POST', url: '/v1/items', headers: bearer(editor), payload: itemBody() })
  t.equal(again.statusCode, 409)
  t.match(json(again).detail, /reinstate/)
  const back = await app.inject({ method: 'POST', url: `${url}/reinstate`, headers: { ...bearer(editor), 'if-match': retired.headers.etag as string } })
  t.equal(back.statusCode, 200)
  t.equal(json(back).status, 'active')
})

t.test('a key is taken once; malformed items are 400, rule-breaking ones 422 naming every field', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  await createItem(app, editor)
  t.equal((await app.inject({ method: 'POST', url: '/v1/items', headers: bearer(editor), payload: itemBody() })).statusCode, 409)
  const bad = await app.inject({ method: 'POST', url: '/v1/items', headers: bearer(editor), payload: itemBody({ key: 'Not A Key', channels: ['fax'] }) })
  t.equal(bad.statusCode, 400)
  t.ok(json(bad).errors.some((e: any) => e.pointer === '/body/key'))
  const rules = await app.inject({
    method: 'POST',
    url: '/v1/items',
    headers: bearer(editor),
    payload: itemBody({
      key: 'disaster_relief.other',
      domain: 'space_travel',
      channels: ['other'],
      audience: { public: false, specificGroups: true },
      mode: { proactive: false, onRequest: false },
      levels: ['village'],
      timeLimit: { text: '每年2月30日之前', rule: { type: 'fixed_date', monthDay: '02-30' } },
    }),
  })
  t.equal(rules.statusCode, 422)
  t.same(json(rules).errors.map((e: any) => e.pointer).sort(), [
    '/body/channelsOther',
    '/body/domain',
    '/body/levels/0',
    '/body/mode',
    '/body/timeLimit/rule/monthDay',
  ])
})

t.test("a region's levels are configurable; items may use only those", async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await tokenFor(app, 'admin')
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const settings = await app.inject({ method: 'GET', url: '/v1/catalog/settings' })
  t.same(json(settings).levels, ['county', 'township'])
  t.equal((await app.inject({ method: 'POST', url: '/v1/items', headers: bearer(editor), payload: itemBody({ levels: ['village'] }) })).statusCode, 422)
  const put = (levels: string[], etag?: string) =>
    app.inject({ method: 'PUT', url: '/v1/catalog/settings', headers: { ...bearer(admin), ...(etag ? { 'if-match': etag } : {}) }, payload: { levels } })
  t.equal((await put(['district', 'town_subdistrict', 'village'])).statusCode, 428)
  const changed = await put(['village', 'district', 'town_subdistrict'], settings.headers.etag as string)
  t.equal(changed.statusCode, 200)
  t.same(json(changed).levels, ['district', 'town_subdistrict', 'village'])
  t.equal((await app.inject({ method: 'POST', url: '/v1/items', headers: bearer(editor), payload: itemBody({ levels: ['village'] }) })).statusCode, 201)
  const dropping = await put(['district'], changed.headers.etag as string)
  t.equal(dropping.statusCode, 409, 'a level in use cannot be dropped')
  t.equal((await app.inject({ method: 'PUT', url: '/v1/catalog/settings', headers: { ...bearer(editor), 'if-match': '*' }, payload: { levels: ['county'] } })).statusCode, 403)
})

t.test('time limits keep their wording and structured rule, publicity periods included', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const limits = [
    { text: '民主评议后在村范围内公示7天', rule: { type: 'promptly', publicity: { unit: 'calendar_day', length: 7 } } },
    { text: '在组织听证7个工作日前', rule: { type: 'before', unit: 'working_day', length: 7, event: '组织听证' } },
    { text: '信息形成之日起10个工作日内，公示7个工作日', rule: { type: 'within', unit: 'working_day', length: 10, event: '信息形成之日', publicity: { unit: 'working_day', length: 7 } } },
    { text: '每年4月1日之前', rule: { type: 'fixed_date', monthDay: '04-01' } },
    { text: '长期公开', rule: { type: 'permanent' } },
  ]
  for (const [i, timeLimit] of limits.entries()) {
    const { item } = await createItem(app, editor, { key: `disaster_relief.limit_${i}`, timeLimit })
    t.same(item.timeLimit, timeLimit, timeLimit.text)
  }
  const unknown = await app.inject({ method: 'POST', url: '/v1/items', headers: bearer(editor), payload: itemBody({ key: 'disaster_relief.x', timeLimit: { text: '随时', rule: { type: 'whenever' } } }) })
  t.equal(unknown.statusCode, 400)
})
