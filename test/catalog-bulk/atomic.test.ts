import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, tokenFor } from '../helpers/auth.js'
import { itemBody } from '../catalog/builders.js'
import { csvOf, expectStatus, reliefHeader, reliefRow, upload, workingSet } from './builders.js'

t.test('a 1,000-row upload with 3 bad rows reports all 3 (row, column, reason) and writes nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const rows = Array.from({ length: 1000 }, (_, i) => reliefRow(`disaster_relief.item_${String(i).padStart(4, '0')}`, `救助事项${i}`))
  // Data row i is spreadsheet row i + 2 (the header is row 1).
  rows[98] = reliefRow('disaster_relief.item_0098', '救助事项98', { 全社会: '' })
  rows[498] = reliefRow('disaster_relief.item_0498', '')
  rows[898] = reliefRow('disaster_relief.item_0898', '救助事项898', { 公开主体: '龙沙区魔法部', 特定群体: '√' })

  const res = await upload(app, editor, csvOf([reliefHeader, ...rows]), { query: 'department=civil_affairs' })
  expectStatus(t, res, 422)
  const problem = json(res)
  t.equal(problem.type, '/problems/unprocessable-content')
  t.match(problem.detail, /^3 rows are not valid \(3 problems\); nothing was written\./)
  t.same(
    problem.errors.map((e: any) => e.pointer),
    ['/body/100/全社会', '/body/500/二级事项', '/body/900/公开主体'],
  )
  t.equal(problem.errors[0].message, 'row 100, column J (全社会): must include the public, specific groups, or both')
  t.equal(problem.errors[1].message, 'row 500, column D (二级事项): is empty')
  t.equal(problem.errors[2].message, 'row 900, column H (公开主体): no department named "龙沙区魔法部" in this region (write its name, an alias or its code)')

  t.same(await workingSet(app), [], 'no item was written')
  const audit = json(await app.inject({ method: 'GET', url: '/v1/audit?limit=200', headers: bearer(await tokenFor(app, 'admin')) })).items
  t.notOk(audit.some((a: any) => a.action.startsWith('item.')), 'nothing audited')
})

t.test('a JSON upload reports every bad item by index and field, with the rules of a single item', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const items = [
    itemBody({ key: 'disaster_relief.a' }),
    itemBody({ key: 'disaster_relief.b', channels: ['government_website', 'other'] }),
    itemBody({ key: 'disaster_relief.c', levels: ['village'], colour: 'red' }),
    itemBody({ key: 'disaster_relief.a', secondLevel: '重复' }),
    'not an item',
  ]
  const res = await upload(app, editor, items, { query: 'department=civil_affairs' })
  expectStatus(t, res, 422)
  t.same(
    json(res).errors.map((e: any) => [e.pointer, e.message]),
    [
      ['/body/1/channelsOther', 'item 1, channelsOther: is required when channels include other'],
      ['/body/2/colour', 'item 2, colour: is not a known field'],
      ['/body/3/key', 'item 3, key: disaster_relief.a is also on item 0'],
      ['/body/4', 'item 4: must be an object (a disclosure item)'],
    ],
  )
  t.same(await workingSet(app), [])
})

t.test('a sheet that is not a catalog, and a file that is not what it says, are refused with a reason', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const notCatalog = await upload(app, editor, csvOf([['姓名', '电话'], ['张三', '13800000000']]), { query: 'department=civil_affairs' })
  expectStatus(t, notCatalog, 422)
  t.match(json(notCatalog).errors[0].message, /no header row found/)
  const notXlsx = await upload(app, editor, Buffer.from('this is not a workbook'), { query: 'department=civil_affairs' })
  expectStatus(t, notXlsx, 400)
  t.match(json(notXlsx), { type: '/problems/malformed-body', detail: /The XLSX file cannot be read/ })
  const text = await app.inject({ method: 'POST', url: '/v1/items/bulk?department=civil_affairs', headers: { authorization: `Bearer ${editor}`, 'content-type': 'text/plain' }, payload: 'x' })
  expectStatus(t, text, 415)
})
