// Domains beyond the pilot's seven, and their other names: admins add and change them (If-Match,
// audited); a text names one domain.
import t from 'tap'
import { loadDomainDirectory } from '../../src/modules/reference/resolve.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'

const socialAssistance = { code: 'social_assistance', nameZh: '社会救助', nameEn: 'Social assistance', description: '最低生活保障、临时救助', aliases: ['低保'] }

t.test('the pilot domains carry their national names as aliases', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/domains/demolition_resettlement' })
  t.match(res.headers.etag, /^"domain-demolition_resettlement-v1"$/)
  t.ok(json(res).aliases.includes('国有土地上房屋征收与补偿'))
  t.ok(json(await app.inject({ method: 'GET', url: '/v1/domains/land_acquisition' })).aliases.includes('农村集体土地征收'))
})

t.test('an admin adds a domain after the others; it resolves and is audited', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = (await userWith(app, 'admin')).token
  const res = await app.inject({ method: 'POST', url: '/v1/domains', headers: bearer(admin), payload: socialAssistance })
  t.equal(res.statusCode, 201, res.body)
  t.equal(res.headers.location, '/v1/domains/social_assistance')
  t.match(json(res), { code: 'social_assistance', sortOrder: 8, aliases: ['低保'], description: '最低生活保障、临时救助' })
  const list = json(await app.inject({ method: 'GET', url: '/v1/domains' }))
  t.equal(list.items.at(-1).code, 'social_assistance')
  t.match((await loadDomainDirectory(app.db)).resolve('低保'), { status: 'resolved', code: 'social_assistance', via: 'alias' })
  const audit = json(await app.inject({ method: 'GET', url: '/v1/audit?targetType=domain&targetId=social_assistance', headers: bearer(admin) }))
  t.match(audit.items, [{ action: 'domain.create' }])
  t.equal((await app.inject({ method: 'POST', url: '/v1/domains', headers: bearer(admin), payload: socialAssistance })).statusCode, 409)
  const editor = (await userWith(app, 'editor', 'civil_affairs')).token
  t.equal((await app.inject({ method: 'POST', url: '/v1/domains', headers: bearer(editor), payload: { ...socialAssistance, code: 'other' } })).statusCode, 403)
})

t.test('a domain alias held by another domain is a 409 naming it', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = (await userWith(app, 'admin')).token
  const res = await app.inject({ method: 'POST', url: '/v1/domains', headers: bearer(admin), payload: { ...socialAssistance, aliases: ['房屋征收'] } })
  t.equal(res.statusCode, 409)
  t.match(json(res), { detail: /房屋征收 is already the alias of domain demolition_resettlement/, errors: [{ pointer: '/body/aliases/0' }] })
  const named = await app.inject({ method: 'POST', url: '/v1/domains', headers: bearer(admin), payload: { ...socialAssistance, nameZh: '救灾', aliases: [] } })
  t.match(json(named), { status: 409, detail: /name of domain disaster_relief/ })
})

t.test('changing a domain needs If-Match; a rename keeps the former name as an alias', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = (await userWith(app, 'admin')).token
  const url = '/v1/domains/disaster_relief'
  const etag = (await app.inject({ method: 'GET', url })).headers.etag as string
  t.equal((await app.inject({ method: 'PATCH', url, headers: bearer(admin), payload: { nameEn: 'x' } })).statusCode, 428)
  t.equal((await app.inject({ method: 'PATCH', url, headers: { ...bearer(admin), 'if-match': '"domain-disaster_relief-v7"' }, payload: { nameEn: 'x' } })).statusCode, 412)
  const res = await app.inject({ method: 'PATCH', url, headers: { ...bearer(admin), 'if-match': etag }, payload: { nameZh: '自然灾害救助', description: '受灾人员救助', sortOrder: 40 } })
  t.equal(res.statusCode, 200, res.body)
  t.match(json(res), { nameZh: '自然灾害救助', description: '受灾人员救助', sortOrder: 40 })
  t.ok(json(res).aliases.includes('救灾'), 'the former name is an alias')
  t.notOk(json(res).aliases.includes('自然灾害救助'), 'the new name is not an alias of itself')
  t.match((await loadDomainDirectory(app.db)).resolve('救灾'), { status: 'resolved', code: 'disaster_relief' })
  const next = res.headers.etag as string
  const aliases = await app.inject({ method: 'PATCH', url, headers: { ...bearer(admin), 'if-match': next }, payload: { aliases: ['灾害救助', '救灾'], nameEn: 'Natural disaster relief' } })
  t.same(json(aliases).aliases, ['救灾', '灾害救助'])
  const clash = await app.inject({ method: 'PATCH', url, headers: { ...bearer(admin), 'if-match': aliases.headers.etag as string }, payload: { aliases: ['保障性住房'] } })
  t.equal(clash.statusCode, 409)
  const audit = json(await app.inject({ method: 'GET', url: '/v1/audit?targetType=domain&targetId=disaster_relief', headers: bearer(admin) }))
  t.same(
    audit.items.map((e: any) => e.action),
    ['domain.update', 'domain.update'],
  )
  t.equal((await app.inject({ method: 'PATCH', url: '/v1/domains/space_travel', headers: { ...bearer(admin), 'if-match': '"x"' }, payload: { nameEn: 'x' } })).statusCode, 404)
})
