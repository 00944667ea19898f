import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { clientWith, tokenFor } from '../helpers/auth.js'
import { createItem, itemBody } from '../catalog/builders.js'
import { csvOf, expectStatus, reliefHeader, reliefRow, upload, workingSet } from './builders.js'

const housingItem = itemBody({ key: 'affordable_housing.list', domain: 'affordable_housing', department: 'housing', secondLevel: '名单' })

t.test('an editor cannot import into another department', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const other = await upload(app, editor, [housingItem], { query: 'department=housing' })
  expectStatus(t, other, 403)
  t.match(json(other).detail, /editor of department housing/)
  const unscoped = await upload(app, editor, [itemBody()])
  expectStatus(t, unscoped, 403)
  t.match(json(unscoped).detail, /pass department=<code>/)
  const smuggled = await upload(app, editor, [itemBody(), housingItem], { query: 'department=civil_affairs' })
  expectStatus(t, smuggled, 422)
  t.same(json(smuggled).errors, [{ pointer: '/body/1/department', message: 'item 1, department: is housing, but this upload is for department civil_affairs' }])
  t.same(await workingSet(app), [])
})

t.test('an editor cannot take over another department’s item by its key; an admin can move it', async (t) => {
  const { app } = await buildTestApp(t)
  await createItem(app, await tokenFor(app, 'editor', 'housing'), { key: 'disaster_relief.shared', department: 'housing' })
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const res = await upload(app, editor, [itemBody({ key: 'disaster_relief.shared' })], { query: 'department=civil_affairs' })
  expectStatus(t, res, 422)
  t.match(json(res).errors, [{ pointer: '/body/0/key', message: /belongs to department housing/ }])
  const admin = await tokenFor(app, 'admin')
  const moved = await upload(app, admin, [itemBody({ key: 'disaster_relief.shared' })], { query: 'department=civil_affairs' })
  expectStatus(t, moved, 200)
  t.same(json(moved).changed.map((c: any) => c.changes), [
    [
      { field: 'department', old: 'housing', new: 'civil_affairs' },
      { field: 'departments', old: ['housing'], new: ['civil_affairs'] },
    ],
  ])
})

t.test('who may import: items:write and the editor role of the department; admins and region-wide clients anywhere', async (t) => {
  const { app } = await buildTestApp(t)
  expectStatus(t, await upload(app, null, [itemBody()], { query: 'department=civil_affairs' }), 401)
  expectStatus(t, await upload(app, await tokenFor(app, 'reviewer', 'civil_affairs'), [itemBody()], { query: 'department=civil_affairs' }), 403)
  const readOnly = await clientWith(app, ['notices:write'], 'civil_affairs')
  expectStatus(t, await upload(app, readOnly.token, [itemBody()], { query: 'department=civil_affairs' }), 403)
  const departmentClient = await clientWith(app, ['items:write'], 'civil_affairs')
  expectStatus(t, await upload(app, departmentClient.token, [itemBody()], { query: 'department=civil_affairs' }), 200)
  const regionClient = await clientWith(app, ['items:write'])
  const both = await upload(app, regionClient.token, [itemBody({ key: 'disaster_relief.two' }), housingItem])
  expectStatus(t, both, 200)
  t.match(json(both), { department: null, counts: { added: 2 } })
})

t.test('too many rows or bytes: 413 problem, nothing written', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await tokenFor(app, 'admin')
  const rows = Array.from({ length: 20_001 }, (_, i) => reliefRow(`disaster_relief.i${i}`, `事项${i}`))
  const tooMany = await upload(app, admin, csvOf([reliefHeader, ...rows]), { query: 'department=civil_affairs' })
  expectStatus(t, tooMany, 413)
  t.match(json(tooMany), { type: '/problems/payload-too-large', detail: /20001 rows; at most 20000/ })
  const jsonTooMany = await upload(app, admin, Array.from({ length: 20_001 }, () => ({})), { query: 'department=civil_affairs' })
  expectStatus(t, jsonTooMany, 413)
  const tooBig = await upload(app, admin, 'a'.repeat(21 * 1024 * 1024), { query: 'department=civil_affairs' })
  expectStatus(t, tooBig, 413)
  t.equal(json(tooBig).type, '/problems/payload-too-large')
  t.same(await workingSet(app), [])
})

t.test('replace with a domain retires only that domain’s missing items', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  await createItem(app, editor, { key: 'disaster_relief.old' })
  await createItem(app, editor, { key: 'affordable_housing.civil', domain: 'affordable_housing' })
  const sheet = csvOf([reliefHeader.filter((h) => h !== '公开领域'), reliefRow('disaster_relief.new', '新事项').filter((_, i) => reliefHeader[i] !== '公开领域')])
  const res = await upload(app, editor, sheet, { query: 'mode=replace&department=civil_affairs&domain=disaster_relief' })
  expectStatus(t, res, 200)
  t.match(json(res), { counts: { added: 1, retired: 1 }, retired: [{ key: 'disaster_relief.old' }] })
  t.equal((await workingSet(app)).find((i) => i.key === 'affordable_housing.civil')?.status, 'active')
})
