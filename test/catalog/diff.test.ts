import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, tokenFor } from '../helpers/auth.js'
import { admins, createItem, etagOf, itemBody, patchItem, publishVersion } from './builders.js'

const reliefRegulation = { kind: 'administrative_regulation', title: '自然灾害救助条例', documentNumber: '国务院令第577号', articles: '第二十条' }
const socialAssistance = { kind: 'administrative_regulation', title: '社会救助暂行办法', documentNumber: '国务院令第649号' }

/**
 * Version 1: policy, recipients, fund distribution. Then: village publicity added, fund distribution
 * retired, recipients gets a second basis and an on-site channel, policy untouched. Version 2.
 */
async function twoVersions(t: Parameters<typeof buildTestApp>[0]) {
  const { app } = await buildTestApp(t)
  const { author, approver } = await admins(app)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  await createItem(app, editor, { key: 'disaster_relief.policy', secondLevel: '救助政策和标准' })
  await createItem(app, editor, { key: 'disaster_relief.recipients', secondLevel: '救助对象名单' })
  await createItem(app, editor, { key: 'disaster_relief.fund_distribution', firstLevel: '救灾资金物资', secondLevel: '救助资金发放情况' })
  await publishVersion(app, author.token, approver.token, '首版')

  await createItem(app, editor, { key: 'disaster_relief.village_publicity', secondLevel: '救助对象名单（村内公示）', levels: ['township'] })
  const retire = await app.inject({ method: 'POST', url: '/v1/items/disaster_relief.fund_distribution/retire', headers: { ...bearer(editor), 'if-match': await etagOf(app, 'disaster_relief.fund_distribution') } })
  t.equal(retire.statusCode, 200)
  const changed = await patchItem(app, editor, 'disaster_relief.recipients', await etagOf(app, 'disaster_relief.recipients'), {
    basis: [reliefRegulation, socialAssistance],
    channels: ['bulletin_board', 'door_to_door_or_on_site', 'government_website'],
  })
  t.equal(changed.statusCode, 200)
  await publishVersion(app, author.token, approver.token, '第二版')
  return { app, author }
}

t.test('the diff lists added, retired and changed items, each changed field old and new', async (t) => {
  const { app } = await twoVersions(t)
  const res = await app.inject({ method: 'GET', url: '/v1/catalog/versions/1/diff/2' })
  t.equal(res.statusCode, 200)
  const diff = json(res)
  t.equal(diff.from, 1)
  t.equal(diff.to, 2)
  t.same(diff.added, [
    {
      ...itemBody({ key: 'disaster_relief.village_publicity', secondLevel: '救助对象名单（村内公示）', levels: ['township'] }),
      thirdLevel: null,
      departments: ['civil_affairs'],
      channelsOther: null,
    },
  ])
  t.same(
    diff.retired.map((e: any) => [e.key, e.secondLevel]),
    [['disaster_relief.fund_distribution', '救助资金发放情况']],
  )
  t.same(diff.changed, [
    {
      key: 'disaster_relief.recipients',
      changes: [
        { field: 'basis', old: [reliefRegulation], new: [reliefRegulation, socialAssistance] },
        { field: 'channels', old: ['government_website', 'bulletin_board'], new: ['government_website', 'door_to_door_or_on_site', 'bulletin_board'] },
      ],
    },
  ])
})

t.test('the diff the other way round swaps added and retired, old and new', async (t) => {
  const { app } = await twoVersions(t)
  const diff = json(await app.inject({ method: 'GET', url: '/v1/catalog/versions/2/diff/1' }))
  t.same(diff.added.map((e: any) => e.key), ['disaster_relief.fund_distribution'])
  t.same(diff.retired.map((e: any) => e.key), ['disaster_relief.village_publicity'])
  t.same(diff.changed[0].changes[0], { field: 'basis', old: [reliefRegulation, socialAssistance], new: [reliefRegulation] })
  t.same(json(await app.inject({ method: 'GET', url: '/v1/catalog/versions/2/diff/2' })), { from: 2, to: 2, added: [], retired: [], changed: [] })
})

t.test('a diff of published versions is public and cacheable; current names its number', async (t) => {
  const { app } = await twoVersions(t)
  const res = await app.inject({ method: 'GET', url: '/v1/catalog/versions/1/diff/2' })
  t.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable')
  t.equal((await app.inject({ method: 'GET', url: '/v1/catalog/versions/1/diff/2', headers: { 'if-none-match': res.headers.etag as string } })).statusCode, 304)
  const viaCurrent = await app.inject({ method: 'GET', url: '/v1/catalog/versions/1/diff/current' })
  t.equal(viaCurrent.headers['content-location'], '/v1/catalog/versions/1/diff/2')
  t.equal(viaCurrent.headers['cache-control'], 'public, max-age=60')
  t.equal(viaCurrent.body, res.body)
})

t.test('a diff against a version in review is for staff only', async (t) => {
  const { app, author } = await twoVersions(t)
  await app.inject({ method: 'POST', url: '/v1/catalog/versions', headers: bearer(author.token), payload: { changeNote: '第三版' } })
  t.equal((await app.inject({ method: 'GET', url: '/v1/catalog/versions/2/diff/3' })).statusCode, 404)
  const staff = await app.inject({ method: 'GET', url: '/v1/catalog/versions/2/diff/3', headers: bearer(author.token) })
  t.equal(staff.statusCode, 200)
  t.equal(staff.headers['cache-control'], 'private, no-store')
  t.same(json(staff), { from: 2, to: 3, added: [], retired: [], changed: [] })
})
