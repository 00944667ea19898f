import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'

const pilotDomains = ['land_acquisition', 'demolition_resettlement', 'affordable_housing', 'disaster_relief', 'public_resource_trading', 'compulsory_education', 'municipal_services']

t.test('the seven domains of the pilot are listed in display order', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/domains' })
  t.equal(res.statusCode, 200)
  const body = json(res)
  t.same(body.items.map((d: any) => d.code), pilotDomains)
  t.equal(body.nextCursor, null)
  const housing = body.items.find((d: any) => d.code === 'affordable_housing')
  t.equal(housing.nameZh, '保障性住房')
  t.equal(housing.nameEn, 'Affordable housing')
})

t.test('a domain is addressed by its code; an unknown code is a 404 problem', async (t) => {
  const { app } = await buildTestApp(t)
  const ok = await app.inject({ method: 'GET', url: '/v1/domains/disaster_relief' })
  t.equal(ok.statusCode, 200)
  t.equal(json(ok).nameZh, '救灾')
  const missing = await app.inject({ method: 'GET', url: '/v1/domains/space_travel' })
  t.equal(missing.statusCode, 404)
  t.match(missing.headers['content-type'], /^application\/problem\+json/)
  t.match(json(missing), { type: '/problems/not-found', status: 404, detail: /space_travel/ })
})

t.test('departments page through by code with opaque cursors, and every department appears once', async (t) => {
  const { app } = await buildTestApp(t)
  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const url: string = `/v1/departments?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 200)
    const body = json(res)
    t.ok(body.items.length <= 5)
    seen.push(...body.items.map((d: any) => d.code))
    cursor = body.nextCursor
    pages++
  } while (cursor && pages < 20)
  t.equal(seen.length, 33, 'the 33 seeded departments')
  t.same(seen, [...seen].sort(), 'ordered by code')
  t.equal(new Set(seen).size, seen.length, 'no department twice')
  t.ok(seen.includes('civil_affairs') && seen.includes('experimental_school'))
})

t.test('departments filter by kind and by parent', async (t) => {
  const { app } = await buildTestApp(t)
  const subdistricts = json(await app.inject({ method: 'GET', url: '/v1/departments?kind=subdistrict' }))
  t.same(subdistricts.items.map((d: any) => d.code), ['caihong_subdistrict', 'hubin_subdistrict', 'jiangan_subdistrict', 'wulong_subdistrict'])
  const underEducation = json(await app.inject({ method: 'GET', url: '/v1/departments?parent=education' }))
  t.same(underEducation.items.map((d: any) => [d.code, d.kind, d.pilot, d.parentCode]), [['experimental_school', 'school', true, 'education']])
  const unknownParent = await app.inject({ method: 'GET', url: '/v1/departments?parent=nowhere' })
  t.equal(unknownParent.statusCode, 404)
})

t.test('the tree view nests pilot units under their subdistrict or bureau', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/departments?view=tree' })
  t.equal(res.statusCode, 200)
  const roots = json(res).items
  t.equal(roots.length, 29, '22 district bodies (the government, bureaus, offices, centres), 4 subdistricts and 3 generic bodies of a level at the top')
  const caihong = roots.find((d: any) => d.code === 'caihong_subdistrict')
  t.same(caihong.children.map((c: any) => [c.code, c.kind]), [['caihong_village', 'village']])
  const subtree = json(await app.inject({ method: 'GET', url: '/v1/departments?view=tree&parent=wulong_subdistrict' }))
  t.same(subtree.items.map((d: any) => d.code), ['wulong_community'])
})

t.test('a department is addressed by its code', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/departments/civil_affairs' })
  t.equal(res.statusCode, 200)
  const body = json(res)
  t.same(
    { code: body.code, regionCode: body.regionCode, nameZh: body.nameZh, kind: body.kind, parentCode: body.parentCode },
    { code: 'civil_affairs', regionCode: '230202', nameZh: '龙沙区民政局', kind: 'bureau', parentCode: null },
  )
  t.notOk('id' in body, 'internal ids are not exposed')
  t.equal((await app.inject({ method: 'GET', url: '/v1/departments/civil_affairs?region=110101' })).statusCode, 404, 'other regions have their own departments')
})

t.test('updatedSince returns only what changed since then', async (t) => {
  const { app } = await buildTestApp(t)
  const future = json(await app.inject({ method: 'GET', url: '/v1/departments?updatedSince=2999-01-01T00:00:00Z' }))
  t.same(future.items, [])
  const past = json(await app.inject({ method: 'GET', url: '/v1/departments?updatedSince=2000-01-01T00:00:00Z&limit=200' }))
  t.equal(past.items.length, 33)
})

t.test('a cursor the API did not issue is a 400 problem', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/departments?cursor=not-a-cursor' })
  t.equal(res.statusCode, 400)
  t.equal(json(res).type, '/problems/invalid-cursor')
})

t.test('unchanged lists answer 304 to If-None-Match', async (t) => {
  const { app } = await buildTestApp(t)
  const first = await app.inject({ method: 'GET', url: '/v1/domains' })
  const tag = first.headers.etag
  t.type(tag, 'string')
  const again = await app.inject({ method: 'GET', url: '/v1/domains', headers: { 'if-none-match': String(tag) } })
  t.equal(again.statusCode, 304)
  t.equal(again.body, '')
})
