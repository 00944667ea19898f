import ExcelJS from 'exceljs'
import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { tokenFor } from '../helpers/auth.js'
import { expectStatus, publishedWorkbook, upload, workingSet, XLSX, type PublishedRow } from './builders.js'

const landBasis = '《中华人民共和国土地管理法》第四十七条\n《中华人民共和国土地管理法实施条例》（国务院令第743号）第二十六条'
const rows: PublishedRow[] = [
  {
    first: '征地前期',
    second: '征地预公告',
    content: '●征收范围\n●征收目的\n〇联系人及联系方式',
    basis: landBasis,
    timeLimit: '信息形成或者变更之日起20个工作日内',
    department: '齐齐哈尔市国土资源局龙沙分局',
    channels: '■政府网站 □政府公报 □两微一端 □发布会/听证会 □广播电视 □纸质媒体 □公开查阅点 □政务服务中心 □便民服务站 ■入户/现场 ■社区/企事业单位/村公示栏(电子屏) □精准推送 □12345政务服务热线 □其他',
    public: true,
    group: '面向拟征收土地所在地的村集体成员',
    proactive: true,
    onRequest: false,
    county: true,
    township: false,
  },
  {
    first: '征地前期',
    second: '土地现状调查结果',
    content: '●调查范围；●调查结果',
    basis: '《中华人民共和国土地管理法》第四十七条',
    timeLimit: '20工作日',
    department: '齐齐哈尔市国土资源局龙沙分局',
    channels: '■政府网站 ■其他（村民代表会议）',
    public: false,
    group: '拟征收土地的所有权人、使用权人',
    proactive: true,
    onRequest: true,
    county: true,
    township: true,
  },
  {
    first: '征地实施',
    second: '征地公告',
    content: '●征收范围\n●征收时间',
    basis: landBasis,
    timeLimit: '实时公开',
    department: '齐齐哈尔市国土资源局龙沙分局',
    channels: '■政府网站 □政府公报',
    public: true,
    proactive: true,
    onRequest: false,
    county: true,
    township: false,
  },
]

t.test('an XLSX in the published two-header layout: merged first-level cells, √ marks and checklist channels', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await tokenFor(app, 'admin')
  const workbook = await publishedWorkbook('龙沙区征地补偿领域基层政务公开标准目录', rows)
  const res = await upload(app, admin, workbook)
  expectStatus(t, res, 200)
  const result = json(res)
  t.match(result, { format: 'xlsx', layout: 'published', rows: 3, counts: { added: 3 } })
  t.same(result.added.map((a: any) => a.row), [4, 5, 6], 'rows as Excel numbers them (title, two header rows)')
  t.same(result.warnings, [], '序号 and 备注 are known and skipped')

  const items = await workingSet(app)
  const bySecond = Object.fromEntries(items.map((i) => [i.secondLevel, i]))
  t.match(bySecond['土地现状调查结果'], {
    domain: 'land_acquisition',
    firstLevel: '征地前期',
    department: 'land_branch',
    content: [
      { name: '调查范围', required: true },
      { name: '调查结果', required: true },
    ],
    timeLimit: { text: '20工作日', rule: { type: 'within', unit: 'working_day', length: 20, event: '信息形成或者变更之日' } },
    channels: ['government_website', 'other'],
    channelsOther: '村民代表会议',
    audience: { public: false, specificGroups: true, groupDescription: '拟征收土地的所有权人、使用权人' },
    mode: { proactive: true, onRequest: true },
    levels: ['county', 'township'],
  })
  t.equal(bySecond['土地现状调查结果'].firstLevel, '征地前期', 'the merged first-level cell covers the second row')
  t.match(bySecond['征地预公告'], {
    channels: ['government_website', 'door_to_door_or_on_site', 'bulletin_board'],
    audience: { public: true, specificGroups: true, groupDescription: '面向拟征收土地所在地的村集体成员' },
    basis: [
      { kind: 'law', title: '中华人民共和国土地管理法', articles: '第四十七条' },
      { kind: 'administrative_regulation', title: '中华人民共和国土地管理法实施条例', documentNumber: '国务院令第743号', articles: '第二十六条' },
    ],
    levels: ['county'],
  })
  t.match(bySecond['征地公告'], { firstLevel: '征地实施', timeLimit: { rule: { type: 'realtime' } }, audience: { public: true, specificGroups: false } })

  const again = await upload(app, admin, workbook)
  t.match(json(again), { counts: { added: 0, changed: 0, unchanged: 3 } }, 'the same sheet again changes nothing (stable derived keys)')
})

t.test('the XLSX export is the printed layout: title, two header rows, √ marks, checklists, merged first-level cells', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await tokenFor(app, 'admin')
  expectStatus(t, await upload(app, admin, await publishedWorkbook('征地补偿领域公开事项标准目录', rows)), 200)
  const res = await app.inject({ method: 'GET', url: '/v1/items/export?format=xlsx' })
  expectStatus(t, res, 200)
  t.equal(res.headers['content-type'], XLSX)
  t.match(res.headers['content-disposition'], /attachment; filename="catalog-working-set\.xlsx"/)
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer)
  const sheet = workbook.worksheets[0]!
  const text = (address: string) => sheet.getCell(address).text
  t.match(text('A1'), /公开事项标准目录（工作稿）/)
  t.same([text('C2'), text('C3'), text('D3')], ['公开事项', '一级事项', '二级事项'])
  t.same([text('J2'), text('J3'), text('K3'), text('L2'), text('L3'), text('M3'), text('N2'), text('N3'), text('O3')], ['公开对象', '全社会', '特定群体', '公开方式', '主动', '依申请', '公开层级', '县级', '乡级'])
  const merges: string[] = (sheet.model as any).merges
  t.ok(merges.includes('C2:D2') && merges.includes('J2:K2') && merges.includes('F2:F3'), 'group labels merged across, single columns down')
  t.ok(merges.includes('C4:C5'), '征地前期 merged down over its two rows')
  t.ok(merges.includes('B4:B6'), '公开领域 merged down over the domain')
  t.equal(text('C4'), '征地前期')
  t.equal(text('J4'), '√')
  t.match(text('I4'), /^■政府网站 □政府公报 .*■入户\/现场 ■社区\/企事业单位\/村公示栏\(电子屏\)/)
  t.same(sheet.pageSetup.orientation, 'landscape')
})

t.test('a row emptied inside merged cells is no item: with replace, its item is retired', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await tokenFor(app, 'admin')
  expectStatus(t, await upload(app, admin, await publishedWorkbook('征地补偿领域公开事项标准目录', rows)), 200)
  const exported = await app.inject({ method: 'GET', url: '/v1/items/export?format=xlsx&department=land_branch' })
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(exported.rawPayload as unknown as ExcelJS.Buffer)
  const sheet = workbook.worksheets[0]!
  // Row 5 (土地现状调查结果) lies under the merged 公开领域 and 一级事项 cells; its own cells are cleared.
  t.equal(sheet.getCell('D5').text, '土地现状调查结果')
  for (let c = 1; c <= sheet.columnCount; c++) if (!sheet.getRow(5).getCell(c).isMerged) sheet.getRow(5).getCell(c).value = null
  const edited = Buffer.from(await workbook.xlsx.writeBuffer())
  const res = await upload(app, admin, edited, { query: 'mode=replace&department=land_branch' })
  expectStatus(t, res, 200)
  t.match(json(res), { rows: 2, counts: { retired: 1, unchanged: 2 }, retired: [{ secondLevel: '土地现状调查结果' }] })
})
