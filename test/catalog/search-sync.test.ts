import t from 'tap'
import type { App } from '../../src/app.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, tokenFor } from '../helpers/auth.js'
import { createItem, patchItem } from './builders.js'

async function housingItems(app: App) {
  const editor = await tokenFor(app, 'editor', 'housing')
  const base = { domain: 'affordable_housing', department: 'housing', firstLevel: '实物配租' }
  await createItem(app, editor, { ...base, key: 'affordable_housing.in_kind_rental.eligible_families', secondLevel: '实物配租符合条件家庭名单', levels: ['township'] })
  await createItem(app, editor, { ...base, key: 'affordable_housing.in_kind_rental.lottery_result', secondLevel: '实物配租抽签结果', levels: ['county', 'township'] })
  await createItem(app, editor, {
    ...base,
    key: 'affordable_housing.rental_subsidy.review_decision',
    firstLevel: '住房租赁补贴',
    secondLevel: '住房租赁补贴复审决定',
    mode: { proactive: false, onRequest: true },
    audience: { public: false, specificGroups: true, groupDescription: '住房租赁补贴申请家庭' },
  })
  await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'))
  return editor
}

const keys = (res: { body: string }) => json(res).items.map((i: any) => i.key)

t.test('q finds Chinese substrings inside names, basis and department names', async (t) => {
  const { app } = await buildTestApp(t)
  await housingItems(app)
  t.same(keys(await app.inject({ method: 'GET', url: `/v1/items?q=${encodeURIComponent('抽签')}` })), ['affordable_housing.in_kind_rental.lottery_result'])
  t.same(keys(await app.inject({ method: 'GET', url: `/v1/items?q=${encodeURIComponent('配租')}` })), [
    'affordable_housing.in_kind_rental.eligible_families',
    'affordable_housing.in_kind_rental.lottery_result',
  ])
  t.same(keys(await app.inject({ method: 'GET', url: `/v1/items?q=${encodeURIComponent('民政局')}` })), ['disaster_relief.recipients'], 'the department’s name is searchable')
  t.same(keys(await app.inject({ method: 'GET', url: `/v1/items?q=${encodeURIComponent('577号')}` })).length, 4, 'document numbers are searchable')
  t.same(keys(await app.inject({ method: 'GET', url: '/v1/items?q=LOTTERY' })), ['affordable_housing.in_kind_rental.lottery_result'], 'case-insensitive on keys')
  t.same(keys(await app.inject({ method: 'GET', url: '/v1/items?q=%25' })), [], '% is literal, not a wildcard')
})

t.test('filters by domain, department, level, mode and status combine', async (t) => {
  const { app } = await buildTestApp(t)
  await housingItems(app)
  const list = async (query: string) => keys(await app.inject({ method: 'GET', url: `/v1/items?${query}` }))
  t.equal((await list('domain=affordable_housing')).length, 3)
  t.same(await list('department=civil_affairs'), ['disaster_relief.recipients'])
  t.same(await list('level=township'), ['affordable_housing.in_kind_rental.eligible_families', 'affordable_housing.in_kind_rental.lottery_result'])
  t.same(await list('mode=on_request'), ['affordable_housing.rental_subsidy.review_decision'])
  t.same(await list('domain=affordable_housing&mode=proactive&level=county'), ['affordable_housing.in_kind_rental.lottery_result'])
  t.same(await list('status=retired'), [])
  t.equal((await app.inject({ method: 'GET', url: '/v1/items?level=galaxy' })).statusCode, 400)
})

t.test('cursor pages cover the working set once, in key order', async (t) => {
  const { app } = await buildTestApp(t)
  await housingItems(app)
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const page: any = json(await app.inject({ method: 'GET', url: `/v1/items?limit=1${cursor ? `&cursor=${cursor}` : ''}` }))
    seen.push(...page.items.map((i: any) => i.key))
    cursor = page.nextCursor
  } while (cursor)
  t.same(seen, [...seen].sort())
  t.equal(new Set(seen).size, 4)
  t.equal((await app.inject({ method: 'GET', url: '/v1/items?cursor=garbage' })).statusCode, 400)
})

t.test('updatedSince returns what changed at or after the instant, retirements included', async (t) => {
  const { app, clock } = await buildTestApp(t)
  const editor = await housingItems(app)
  clock.set('2026-03-05T08:00:00Z')
  const since = '2026-03-05T08:00:00.000Z'
  t.same(keys(await app.inject({ method: 'GET', url: `/v1/items?updatedSince=${since}` })), [], 'nothing changed yet')
  const lottery = 'affordable_housing.in_kind_rental.lottery_result'
  const etag = (await app.inject({ method: 'GET', url: `/v1/items/${lottery}` })).headers.etag as string
  t.equal((await patchItem(app, editor, lottery, etag, { channels: ['government_website', 'door_to_door_or_on_site'] })).statusCode, 200)
  const eligible = 'affordable_housing.in_kind_rental.eligible_families'
  const eligibleEtag = (await app.inject({ method: 'GET', url: `/v1/items/${eligible}` })).headers.etag as string
  await app.inject({ method: 'POST', url: `/v1/items/${eligible}/retire`, headers: { ...bearer(editor), 'if-match': eligibleEtag } })
  const changed = json(await app.inject({ method: 'GET', url: `/v1/items?updatedSince=${encodeURIComponent('2026-03-05T16:00:00+08:00')}` }))
  t.same(
    changed.items.map((i: any) => [i.key, i.status, i.updatedAt]),
    [
      [eligible, 'retired', since],
      [lottery, 'active', since],
    ],
  )
  t.same(keys(await app.inject({ method: 'GET', url: '/v1/items?updatedSince=2026-03-05T08:00:00.001Z' })), [])
})
