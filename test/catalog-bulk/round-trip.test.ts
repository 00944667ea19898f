import t from 'tap'
import { seedDemoCatalog } from '../../src/modules/catalog/service.js'
import { buildTestApp, json } from '../helpers/app.js'
import { tokenFor } from '../helpers/auth.js'
import { admins, createItem, publishVersion } from '../catalog/builders.js'
import { expectStatus, upload, workingSet, XLSX } from './builders.js'

const mediaTypes = { json: 'application/json', csv: 'text/csv', xlsx: XLSX } as const

// The demo catalog has every kind of element: third-level items, groups, all time rules, several
// references per item, rules its wording does not say (the 时限规则 column carries them back).
for (const format of ['json', 'csv', 'xlsx'] as const) {
  for (const layout of format === 'json' ? ['published'] : ['published', 'fields']) {
    t.test(`exporting the working set as ${format}${format === 'json' ? '' : ` (${layout} layout)`} and importing it back changes nothing`, async (t) => {
      const { app } = await buildTestApp(t)
      await seedDemoCatalog(app.db, '230202', app.clock.now())
      const admin = await tokenFor(app, 'admin')
      const before = await workingSet(app)
      const exported = await app.inject({ method: 'GET', url: `/v1/items/export?format=${format}&layout=${layout}` })
      expectStatus(t, exported, 200)
      t.match(exported.headers['content-type'], mediaTypes[format])
      if (format === 'csv') t.same([...exported.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'CSV starts with a UTF-8 BOM (Excel)')

      const res = await upload(app, admin, exported.rawPayload, { contentType: mediaTypes[format], query: 'mode=replace&department=education' })
      // The export holds every department's items: an upload scoped to one department refuses the others.
      expectStatus(t, res, 422)
      t.match(json(res).errors[0].message, /this upload is for department education/, 'rows of other departments are refused with department=…')

      const all = await upload(app, admin, exported.rawPayload, { contentType: mediaTypes[format] })
      expectStatus(t, all, 200)
      t.match(json(all), { rows: before.length, counts: { added: 0, changed: 0, retired: 0, unchanged: before.length }, warnings: [] })
      t.same(await workingSet(app), before, 'every item kept its version and ETag')
    })
  }
}

t.test('an export of one department, imported with replace for that department, changes nothing', async (t) => {
  const { app } = await buildTestApp(t)
  await seedDemoCatalog(app.db, '230202', app.clock.now())
  const editor = await tokenFor(app, 'editor', 'education')
  const exported = await app.inject({ method: 'GET', url: '/v1/items/export?format=xlsx&department=education' })
  expectStatus(t, exported, 200)
  t.match(exported.headers['content-disposition'], /filename="catalog-working-set-education\.xlsx"/)
  const res = await upload(app, editor, exported.rawPayload, { query: 'mode=replace&department=education' })
  expectStatus(t, res, 200)
  t.match(json(res), { counts: { added: 0, changed: 0, retired: 0 } })
  t.ok(json(res).counts.unchanged > 0)
})

t.test('a published version exports publicly in each format, cacheable forever, and imports back as no change', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  await createItem(app, editor)
  await createItem(app, editor, { key: 'disaster_relief.funds', secondLevel: '救助资金发放', thirdLevel: '发放明细', audience: { public: false, specificGroups: true, groupDescription: '受灾群众' } })
  const { author, approver } = await admins(app)
  const n = await publishVersion(app, author.token, approver.token)
  for (const format of ['json', 'csv', 'xlsx'] as const) {
    const res = await app.inject({ method: 'GET', url: `/v1/catalog/versions/current/export?format=${format}` })
    expectStatus(t, res, 200)
    t.equal(res.headers['cache-control'], 'public, max-age=60')
    t.equal(res.headers['content-location'], `/v1/catalog/versions/${n}/export?format=${format}`)
    t.match(res.headers['content-disposition'], new RegExp(`catalog-v${n}\\.${format}`))
    const numbered = await app.inject({ method: 'GET', url: `/v1/catalog/versions/${n}/export?format=${format}` })
    t.equal(numbered.headers['cache-control'], 'public, max-age=31536000, immutable')
    const again = await upload(app, editor, res.rawPayload, { contentType: mediaTypes[format], query: 'department=civil_affairs&dryRun=true' })
    expectStatus(t, again, 200)
    t.match(json(again), { counts: { added: 0, changed: 0, unchanged: 2 } }, `${format}: no change`)
  }
  const entries = json(await app.inject({ method: 'GET', url: `/v1/catalog/versions/${n}/export` }))
  t.same(entries, json(await app.inject({ method: 'GET', url: `/v1/catalog/versions/${n}/items` })).items, 'the JSON export is the version’s items')
})

t.test('a version in review exports to staff only', async (t) => {
  const { app } = await buildTestApp(t)
  await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'))
  const admin = await tokenFor(app, 'admin')
  const created = await app.inject({ method: 'POST', url: '/v1/catalog/versions', headers: { authorization: `Bearer ${admin}` }, payload: { changeNote: '草稿' } })
  const n = json(created).number
  expectStatus(t, await app.inject({ method: 'GET', url: `/v1/catalog/versions/${n}/export` }), 404)
  const staff = await app.inject({ method: 'GET', url: `/v1/catalog/versions/${n}/export?format=csv`, headers: { authorization: `Bearer ${admin}` } })
  expectStatus(t, staff, 200)
  t.equal(staff.headers['cache-control'], 'private, no-store')
})
