// Departments are data: admins register, change, retire and merge them through the API, with If-Match,
// an audit entry and a history row for each change; aliases name one body in a region; and whatever
// refers to a department by its code keeps pointing at it.
import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import type { App } from '../../src/app.js'
import { createItem } from '../catalog/builders.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'

async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const { app, clock } = await buildTestApp(t)
  const admin = (await userWith(app, 'admin')).token
  return { app, clock, admin }
}

const etagOf = async (app: App, code: string) => (await app.inject({ method: 'GET', url: `/v1/departments/${code}` })).headers.etag as string

async function patch(app: App, token: string, code: string, etag: string | undefined, payload: Record<string, unknown>): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'PATCH', url: `/v1/departments/${code}`, headers: { ...bearer(token), ...(etag ? { 'if-match': etag } : {}) }, payload })
}

const waterSupply = { code: 'water_supply', nameZh: '龙沙区供水有限公司', nameEn: 'Longsha Water Supply Co.', kind: 'enterprise', aliases: ['供水公司'] }

t.test('an admin registers a non-government body; it is audited and its history starts', async (t) => {
  const { app, admin } = await setup(t)
  const res = await app.inject({ method: 'POST', url: '/v1/departments', headers: bearer(admin), payload: waterSupply })
  t.equal(res.statusCode, 201, res.body)
  t.equal(res.headers.location, '/v1/departments/water_supply')
  t.match(res.headers.etag, /^"department-230202\.water_supply-v1"$/)
  t.match(json(res), { code: 'water_supply', kind: 'enterprise', aliases: ['供水公司'], parentCode: null, pilot: false, retiredAt: null, mergedInto: null })
  t.equal((await app.inject({ method: 'GET', url: '/v1/departments/water_supply' })).headers.etag, res.headers.etag)

  const audit = json(await app.inject({ method: 'GET', url: '/v1/audit?targetType=department&targetId=water_supply', headers: bearer(admin) }))
  t.same(
    audit.items.map((e: any) => e.action),
    ['department.create'],
  )
  const history = json(await app.inject({ method: 'GET', url: '/v1/departments/water_supply/history', headers: bearer(admin) }))
  t.match(history.items, [{ version: 1, action: 'create', state: { nameZh: '龙沙区供水有限公司', aliases: ['供水公司'] } }])
  t.equal(history.nextCursor, null)

  const again = await app.inject({ method: 'POST', url: '/v1/departments', headers: bearer(admin), payload: waterSupply })
  t.equal(again.statusCode, 409, 'the code is taken')
  const underNobody = await app.inject({ method: 'POST', url: '/v1/departments', headers: bearer(admin), payload: { ...waterSupply, code: 'agent', nameZh: '招标代理', aliases: [], parentCode: 'nowhere' } })
  t.equal(underNobody.statusCode, 422)
  t.match(json(underNobody).errors, [{ pointer: '/body/parentCode' }])
  const editor = (await userWith(app, 'editor', 'civil_affairs')).token
  t.equal((await app.inject({ method: 'POST', url: '/v1/departments', headers: bearer(editor), payload: { ...waterSupply, code: 'other' } })).statusCode, 403, 'editors cannot')
  t.equal((await app.inject({ method: 'GET', url: '/v1/departments/water_supply/history', headers: bearer(editor) })).statusCode, 403)
  t.equal((await app.inject({ method: 'GET', url: '/v1/departments/nowhere/history', headers: bearer(admin) })).statusCode, 404)
})

t.test('a change needs If-Match: 428 without, 412 when stale; a rename keeps the former name as an alias', async (t) => {
  const { app, admin, clock } = await setup(t)
  const etag = await etagOf(app, 'land_branch')
  t.equal((await patch(app, admin, 'land_branch', undefined, { nameEn: 'x' })).statusCode, 428)
  t.equal((await patch(app, admin, 'land_branch', '"department-230202.land_branch-v9"', { nameEn: 'x' })).statusCode, 412)
  clock.set('2026-03-03T02:00:00Z')
  const res = await patch(app, admin, 'land_branch', etag, { nameZh: '齐齐哈尔市自然资源和规划局龙沙分局', nameEn: 'Natural Resources and Planning Branch' })
  t.equal(res.statusCode, 200, res.body)
  const body = json(res)
  t.equal(body.nameZh, '齐齐哈尔市自然资源和规划局龙沙分局')
  t.ok(body.aliases.includes('齐齐哈尔市自然资源局龙沙分局'), 'the former name is an alias')
  t.ok(body.aliases.includes('区国土局'), 'earlier aliases stay')
  t.equal(body.updatedAt, '2026-03-03T02:00:00.000Z')
  t.not(res.headers.etag, etag)
  t.equal((await patch(app, admin, 'land_branch', etag, { pilot: true })).statusCode, 412, 'the old ETag is stale now')
  const found = json(await app.inject({ method: 'GET', url: `/v1/departments?name=${encodeURIComponent('齐齐哈尔市自然资源局龙沙分局')}` }))
  t.match(found, { items: [{ code: 'land_branch' }], resolution: { status: 'resolved', code: 'land_branch', via: 'alias' } })

  const history = json(await app.inject({ method: 'GET', url: '/v1/departments/land_branch/history', headers: bearer(admin) }))
  t.match(history.items, [{ version: 2, action: 'update', at: '2026-03-03T02:00:00.000Z', actor: { name: /^admin\./ }, state: { nameZh: '齐齐哈尔市自然资源和规划局龙沙分局' } }])
  const audit = json(await app.inject({ method: 'GET', url: '/v1/audit?targetType=department&targetId=land_branch', headers: bearer(admin) }))
  t.match(audit.items, [{ action: 'department.update', details: { version: 2, changed: ['nameZh', 'nameEn'], formerName: '齐齐哈尔市自然资源局龙沙分局' } }])

  const exact = await patch(app, admin, 'land_branch', res.headers.etag as string, { nameZh: '龙沙区自然资源分局', aliases: ['区国土局'] })
  t.equal(exact.statusCode, 200)
  t.same(json(exact).aliases, ['区国土局'], 'aliases sent with a rename are exactly the aliases')
})

t.test('re-parenting, kind and pilot flag; a department cannot become its own ancestor', async (t) => {
  const { app, admin } = await setup(t)
  const moved = await patch(app, admin, 'experimental_school', await etagOf(app, 'experimental_school'), { parentCode: null, kind: 'organisation', pilot: false })
  t.equal(moved.statusCode, 200)
  t.match(json(moved), { parentCode: null, kind: 'organisation', pilot: false })
  const back = await patch(app, admin, 'experimental_school', moved.headers.etag as string, { parentCode: 'education' })
  t.equal(json(back).parentCode, 'education')
  const cycle = await patch(app, admin, 'education', await etagOf(app, 'education'), { parentCode: 'experimental_school' })
  t.equal(cycle.statusCode, 422)
  t.match(json(cycle).errors, [{ pointer: '/body/parentCode', message: /experimental_school|education/ }])
  const self = await patch(app, admin, 'education', await etagOf(app, 'education'), { parentCode: 'education' })
  t.equal(self.statusCode, 422)
  t.equal((await patch(app, admin, 'education', await etagOf(app, 'education'), {})).statusCode, 400, 'an empty change is refused')
  t.equal((await patch(app, admin, 'nowhere', '"x"', { pilot: true })).statusCode, 404)
})

t.test('an alias names one body in a region: a clash is a 409 naming the holder', async (t) => {
  const { app, admin } = await setup(t)
  const etag = await etagOf(app, 'finance')
  const alias = await patch(app, admin, 'finance', etag, { aliases: ['区住建局'] })
  t.equal(alias.statusCode, 409)
  t.match(json(alias), { type: '/problems/conflict', detail: /区住建局 is already the alias of department housing/, errors: [{ pointer: '/body/aliases/0' }] })
  const name = await patch(app, admin, 'finance', etag, { aliases: ['财政', '龙沙区民政局'] })
  t.equal(name.statusCode, 409)
  t.match(json(name).errors, [{ pointer: '/body/aliases/1', message: /name of department civil_affairs/ }])
  const code = await patch(app, admin, 'finance', etag, { aliases: ['housing'] })
  t.match(json(code).detail, /code of department housing/)
  const folded = await patch(app, admin, 'finance', etag, { aliases: ['区 住建局'] })
  t.equal(folded.statusCode, 409, 'the same once spaces are folded')
  const renamed = await patch(app, admin, 'finance', etag, { nameZh: '区住建局' })
  t.equal(renamed.statusCode, 409, 'a name cannot be another body’s alias either')
  const created = await app.inject({ method: 'POST', url: '/v1/departments', headers: bearer(admin), payload: { ...waterSupply, aliases: ['区城管局'] } })
  t.match(json(created), { status: 409, detail: /city_management/ })
  const repeated = await patch(app, admin, 'finance', etag, { aliases: ['财政', '财 政'] })
  t.equal(repeated.statusCode, 422)
  t.match(json(repeated).errors, [{ pointer: '/body/aliases/1' }])
  const own = await patch(app, admin, 'finance', etag, { aliases: ['龙沙区财政局'] })
  t.equal(own.statusCode, 422, 'its own name is not an alias')
  const ok = await patch(app, admin, 'finance', etag, { aliases: ['财政', '区采购办'] })
  t.equal(ok.statusCode, 200)
  t.same(json(ok).aliases, ['区采购办', '财政'])
})

t.test('?name= resolves code, name, alias, prefix variants and normalised text; ambiguity names the candidates', async (t) => {
  const { app, admin } = await setup(t)
  const resolve = async (name: string) => json(await app.inject({ method: 'GET', url: `/v1/departments?name=${encodeURIComponent(name)}` }))
  t.match(await resolve('housing'), { items: [{ code: 'housing' }], resolution: { status: 'resolved', via: 'code' } })
  t.match(await resolve('龙沙区住房和城乡建设局'), { items: [{ code: 'housing' }], resolution: { via: 'name' } })
  t.match(await resolve('区住建局'), { items: [{ code: 'housing' }], resolution: { via: 'alias', matched: '区住建局' } })
  t.match(await resolve('龙沙区住建局'), { items: [{ code: 'housing' }], resolution: { via: 'prefix' } })
  t.match(await resolve('民政局'), { items: [{ code: 'civil_affairs' }], resolution: { via: 'prefix' } })
  t.match(await resolve('龙沙区住房和城乡\n建设局'), { items: [{ code: 'housing' }], resolution: { via: 'normalised' } })
  t.match(await resolve('区　住建局'), { items: [{ code: 'housing' }], resolution: { via: 'normalised' } })
  t.same(await resolve('龙沙区航天局'), { items: [], nextCursor: null, resolution: { status: 'unknown' } })
  for (const [code, nameZh, aliases] of [
    ['test_a', '龙沙区测试办', []],
    ['test_b', '测试中心', ['区测试办']],
  ] as const) {
    const res = await app.inject({ method: 'POST', url: '/v1/departments', headers: bearer(admin), payload: { code, nameZh, nameEn: code, kind: 'office', aliases } })
    t.equal(res.statusCode, 201, res.body)
  }
  const ambiguous = await resolve('测试办')
  t.same(ambiguous.resolution, { status: 'ambiguous', candidates: ['test_a', 'test_b'] })
  t.same(
    ambiguous.items.map((d: any) => d.code),
    ['test_a', 'test_b'],
  )
  t.equal((await app.inject({ method: 'GET', url: '/v1/departments?name=' })).statusCode, 400)
})

t.test('a retired department keeps its items readable and leaves the current lists', async (t) => {
  const { app, admin } = await setup(t)
  await createItem(app, admin, { department: 'justice', key: 'disaster_relief.legal_aid' })
  const noMatch = await app.inject({ method: 'POST', url: '/v1/departments/justice/retire', headers: bearer(admin), payload: {} })
  t.equal(noMatch.statusCode, 428)
  const res = await app.inject({ method: 'POST', url: '/v1/departments/justice/retire', headers: { ...bearer(admin), 'if-match': await etagOf(app, 'justice') }, payload: { reason: '机构改革' } })
  t.equal(res.statusCode, 200, res.body)
  t.type(json(res).retiredAt, 'string')
  const item = await app.inject({ method: 'GET', url: '/v1/items/disaster_relief.legal_aid' })
  t.equal(item.statusCode, 200)
  t.equal(json(item).department, 'justice')
  t.equal((await app.inject({ method: 'GET', url: '/v1/departments/justice' })).statusCode, 200)
  const current = json(await app.inject({ method: 'GET', url: '/v1/departments?limit=200' })).items.map((d: any) => d.code)
  t.notOk(current.includes('justice'), 'not among current departments')
  const retired = json(await app.inject({ method: 'GET', url: '/v1/departments?status=retired' })).items.map((d: any) => d.code)
  t.same(retired, ['justice'])
  const all = json(await app.inject({ method: 'GET', url: '/v1/departments?status=all&limit=200' })).items
  t.ok(all.some((d: any) => d.code === 'justice'))
  const tree = json(await app.inject({ method: 'GET', url: '/v1/departments?view=tree&status=retired' })).items
  t.same(
    tree.map((d: any) => d.code),
    ['justice'],
  )
  t.match(json(await app.inject({ method: 'GET', url: '/v1/departments?name=司法局' })), { items: [{ code: 'justice' }], resolution: { status: 'resolved', retired: true } })
  const summary = json(await app.inject({ method: 'GET', url: '/v1/reports/summary?month=2026-02', headers: bearer(admin) }))
  t.notOk(
    summary.departments.some((d: any) => d.departmentCode === 'justice'),
    'a retired department owes no monthly report',
  )
  const twice = await app.inject({ method: 'POST', url: '/v1/departments/justice/retire', headers: { ...bearer(admin), 'if-match': res.headers.etag as string }, payload: {} })
  t.equal(twice.statusCode, 409)
  const audit = json(await app.inject({ method: 'GET', url: '/v1/audit?targetType=department&targetId=justice', headers: bearer(admin) }))
  t.match(audit.items, [{ action: 'department.retire', details: { reason: '机构改革' } }])
  const parent = await app.inject({ method: 'POST', url: '/v1/departments/education/retire', headers: { ...bearer(admin), 'if-match': await etagOf(app, 'education') }, payload: {} })
  t.equal(parent.statusCode, 409, 'not while it has current sub-units')
  t.match(json(parent).detail, /experimental_school/)
  const under = await patch(app, admin, 'experimental_school', await etagOf(app, 'experimental_school'), { parentCode: 'justice' })
  t.equal(under.statusCode, 422, 'a retired department takes no sub-units')
})

t.test('renaming a department keeps its items pointing at it', async (t) => {
  const { app, admin } = await setup(t)
  await createItem(app, admin)
  const renamed = await patch(app, admin, 'civil_affairs', await etagOf(app, 'civil_affairs'), { nameZh: '龙沙区民政和社会事务局' })
  t.equal(renamed.statusCode, 200)
  const item = json(await app.inject({ method: 'GET', url: '/v1/items/disaster_relief.recipients' }))
  t.equal(item.department, 'civil_affairs')
  const department = json(await app.inject({ method: 'GET', url: `/v1/departments/${item.department}` }))
  t.equal(department.nameZh, '龙沙区民政和社会事务局')
  const listed = json(await app.inject({ method: 'GET', url: '/v1/items?department=civil_affairs' }))
  t.same(
    listed.items.map((i: any) => i.key),
    ['disaster_relief.recipients'],
  )
  t.match(json(await app.inject({ method: 'GET', url: `/v1/departments?name=${encodeURIComponent('区民政局')}` })), { items: [{ code: 'civil_affairs' }] }, 'the old short form still resolves')
})

t.test('merging moves names, aliases and sub-units to the target and retires the source', async (t) => {
  const { app, admin } = await setup(t)
  await createItem(app, admin, { department: 'caihong_subdistrict', key: 'disaster_relief.caihong' })
  const url = '/v1/departments/caihong_subdistrict/merge'
  const headers = async () => ({ ...bearer(admin), 'if-match': await etagOf(app, 'caihong_subdistrict') })
  t.equal((await app.inject({ method: 'POST', url, headers: await headers(), payload: { into: 'caihong_subdistrict' } })).statusCode, 422, 'not into itself')
  t.equal((await app.inject({ method: 'POST', url, headers: await headers(), payload: { into: 'nowhere' } })).statusCode, 422)
  t.equal((await app.inject({ method: 'POST', url, headers: await headers(), payload: { into: 'caihong_village' } })).statusCode, 422, 'not into its own sub-unit')
  const res = await app.inject({ method: 'POST', url, headers: await headers(), payload: { into: 'hubin_subdistrict' } })
  t.equal(res.statusCode, 200, res.body)
  const { source, target } = json(res)
  t.match(source, { code: 'caihong_subdistrict', mergedInto: 'hubin_subdistrict', aliases: [] })
  t.type(source.retiredAt, 'string')
  t.ok(target.aliases.includes('彩虹街道办事处') && target.aliases.includes('彩虹街道'), 'the name and aliases moved')
  t.match(json(await app.inject({ method: 'GET', url: '/v1/departments/caihong_village' })), { parentCode: 'hubin_subdistrict' })
  t.match(json(await app.inject({ method: 'GET', url: `/v1/departments?name=${encodeURIComponent('彩虹街道')}` })), { items: [{ code: 'hubin_subdistrict' }], resolution: { via: 'alias' } })
  t.equal(json(await app.inject({ method: 'GET', url: '/v1/items/disaster_relief.caihong' })).department, 'caihong_subdistrict', 'its items keep its code')

  const again = await app.inject({ method: 'POST', url, headers: await headers(), payload: { into: 'hubin_subdistrict' } })
  t.equal(again.statusCode, 409, 'a merged department cannot be merged again')
  t.equal((await patch(app, admin, 'caihong_subdistrict', await etagOf(app, 'caihong_subdistrict'), { pilot: true })).statusCode, 409, 'nor changed')
  const intoRetired = await app.inject({ method: 'POST', url: '/v1/departments/jiangan_subdistrict/merge', headers: { ...bearer(admin), 'if-match': await etagOf(app, 'jiangan_subdistrict') }, payload: { into: 'caihong_subdistrict' } })
  t.equal(intoRetired.statusCode, 422, 'not into a retired department')

  const history = json(await app.inject({ method: 'GET', url: '/v1/departments/hubin_subdistrict/history', headers: bearer(admin) }))
  t.match(history.items, [{ action: 'merge' }])
  const village = json(await app.inject({ method: 'GET', url: '/v1/departments/caihong_village/history', headers: bearer(admin) }))
  t.match(village.items, [{ action: 'update', state: { parentCode: 'hubin_subdistrict' } }])
  const audit = json(await app.inject({ method: 'GET', url: '/v1/audit?targetType=department&targetId=hubin_subdistrict', headers: bearer(admin) }))
  t.match(audit.items, [{ action: 'department.merge', details: { from: 'caihong_subdistrict' } }])
})
