// Sheets as districts publish them (issue 12): title and metadata rows, legends and line breaks in
// headers, notes and prose, 同上, dashes, blank and merged continuation cells, several bodies in one
// cell, free-text and partial channel lists with 口 boxes, text object/mode/level columns, ticks ✓,
// compilations with section headings and repeated headers, GB18030 — each sheet built here, read by a
// dry run that says how it read it, then imported for real.
import ExcelJS from 'exceljs'
import t from 'tap'
import { encodeText } from '../../src/lib/spreadsheet/text.js'
import { departments } from '../../src/modules/reference/tables.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, tokenFor } from '../helpers/auth.js'
import { csvOf, expectStatus, upload, workingSet, XLSX } from './builders.js'

const basis1 = '《自然灾害救助条例》（国务院令第577号）第二十条'
const basis2 = '《社会救助暂行办法》（国务院令第649号）'

/** A relief catalog as a district types it: one header row with legends and line breaks, text columns. */
const districtCsv = csvOf([
  ['龙沙区救灾领域基层政务公开标准目录（2024年版）'],
  ['填报单位：龙沙区民政局', '', '', '', '填报日期：2024年3月1日'],
  ['序号', '类别', '一级事项', '二级事项', '三级事项', '公开内容\n（要素）', '公开依据', '公开 时限', '公开\n主体', '公开渠道和载体（“■”表示必选项，“□”表示可选项）', '公开对象', '公开方式', '公开层级'],
  ['1', '救灾', '受灾人员冬春生活救助', '救助政策', '—', '救助标准；救助程序', basis1, '信息形成或者变更之日起20个工作日内', '区民政局、各街道办事处', '政府门户网站、行政服务中心', '全社会', '主动公开', '区级、乡级'],
  ['2', '', '', '救助对象名单', '', '救助对象姓名', '同上', '同上', '', '口政府网站 ■村居公示栏 ■村民大会', '申请人', '依申请公开', '乡级'],
  ['3', '', '受灾群众过渡期生活救助', '—', '', '救助资金', basis2, '实时公开', '区民政局', '■政府网站', '全社会、特定群体（受灾群众）', '主动公开、依申请公开', '县级'],
  ['注：本目录由区民政局负责解释。'],
  ['本目录自发布之日起施行，各单位应当及时更新。'],
])

t.test('a district sheet with title, metadata, legends, notes, 同上, dashes, text columns and several bodies is read as the district meant it', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const dry = await upload(app, editor, districtCsv, { query: 'department=civil_affairs&dryRun=true' })
  expectStatus(t, dry, 200)
  const result = json(dry)
  t.match(result, { layout: 'chinese', rows: 3, counts: { added: 3, changed: 0, retired: 0, unchanged: 0 } })
  t.same(result.added.map((a: any) => [a.row, a.firstLevel, a.secondLevel]), [
    [4, '受灾人员冬春生活救助', '救助政策'],
    [5, '受灾人员冬春生活救助', '救助对象名单'],
    [6, '受灾群众过渡期生活救助', '受灾群众过渡期生活救助'],
  ])
  t.same(result.skipped, [
    { row: 7, reason: 'note', text: '注：本目录由区民政局负责解释。' },
    { row: 8, reason: 'text', text: '本目录自发布之日起施行，各单位应当及时更新。' },
  ])
  t.same(result.bodies, [
    { text: '区民政局、各街道办事处', departments: ['civil_affairs', 'all_subdistricts'] },
    { text: '区民政局', departments: ['civil_affairs'] },
  ])
  const warningsOf = (row: number): string[] => result.rowWarnings.find((r: any) => r.row === row)?.warnings ?? []
  t.match(warningsOf(4).join('\n'), /"区民政局" read as civil_affairs .*place-prefix/)
  t.match(warningsOf(5).join('\n'), /column G \(公开依据\): 同上 read as the row above/)
  t.match(warningsOf(5).join('\n'), /column I \(公开 主体\): blank, continues the row above/)
  t.match(warningsOf(5).join('\n'), /"村民大会" is not a channel of the standard checklist; kept as other/)
  t.match(warningsOf(6).join('\n'), /"—" read as no second level/)
  t.same(await workingSet(app), [], 'the dry run wrote nothing')

  const real = await upload(app, editor, districtCsv, { query: 'department=civil_affairs' })
  expectStatus(t, real, 200)
  const items = await workingSet(app)
  const byName = (s: string) => items.find((i) => i.secondLevel === s)
  t.match(byName('救助政策'), {
    domain: 'disaster_relief',
    thirdLevel: null,
    department: 'civil_affairs',
    departments: ['civil_affairs', 'all_subdistricts'],
    channels: ['government_website', 'service_centre'],
    audience: { public: true, specificGroups: false },
    mode: { proactive: true, onRequest: false },
    levels: ['county', 'township'],
    timeLimit: { rule: { type: 'within', length: 20 } },
  })
  t.match(byName('救助对象名单'), {
    departments: ['civil_affairs', 'all_subdistricts'],
    basis: [{ title: '自然灾害救助条例' }],
    timeLimit: { text: '信息形成或者变更之日起20个工作日内' },
    channels: ['bulletin_board', 'other'],
    channelsOther: '村民大会',
    audience: { public: false, specificGroups: true, groupDescription: '申请人' },
    mode: { proactive: false, onRequest: true },
    levels: ['township'],
  })
  t.match(byName('受灾群众过渡期生活救助'), { audience: { public: true, specificGroups: true, groupDescription: '受灾群众' }, mode: { proactive: true, onRequest: true }, departments: ['civil_affairs'] })

  // The export of these items, co-responsible departments included, re-imports as a no-op.
  for (const [format, layout, type] of [
    ['xlsx', 'published', XLSX],
    ['csv', 'published', 'text/csv'],
    ['csv', 'fields', 'text/csv'],
    ['json', 'published', 'application/json'],
  ] as const) {
    const exported = await app.inject({ method: 'GET', url: `/v1/items/export?format=${format}&layout=${layout}` })
    expectStatus(t, exported, 200)
    const again = await upload(app, editor, format === 'json' ? JSON.parse(exported.body) : exported.rawPayload, { contentType: type, query: 'department=civil_affairs&mode=replace' })
    expectStatus(t, again, 200)
    t.match(json(again).counts, { added: 0, changed: 0, retired: 0, unchanged: 3 }, `${format} (${layout}) re-imports as a no-op`)
  }

  // An editor of a co-responsible department may edit the item; its replace retires only items it leads.
  const subdistricts = await tokenFor(app, 'editor', 'all_subdistricts')
  const item = byName('救助政策')
  const patch = await app.inject({ method: 'PATCH', url: `/v1/items/${item.key}`, headers: { ...bearer(subdistricts), 'if-match': item.etag }, payload: { channels: ['government_website'] } })
  expectStatus(t, patch, 200)
  const onlyTheirs = await upload(app, subdistricts, [], { query: 'department=all_subdistricts&mode=replace&dryRun=true' })
  expectStatus(t, onlyTheirs, 200)
  t.equal(json(onlyTheirs).counts.retired, 0, 'items it is only co-responsible for are not retired')
  const other = byName('受灾群众过渡期生活救助')
  const refused = await app.inject({ method: 'PATCH', url: `/v1/items/${other.key}`, headers: { ...bearer(subdistricts), 'if-match': other.etag }, payload: { channels: ['government_website'] } })
  expectStatus(t, refused, 403)
})

/** A compilation (汇编): two domains under section headings, headers repeated, cells merged down. */
async function compilation(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('汇编')
  const header = async (firstRow: number) => {
    sheet.getRow(firstRow).values = ['序号', '公开事项', null, '公开内容', '公开依据', '公开\n时限', '公开主体', '公开渠道和载体', '公开对象', null, '公开方式', null, '公开层级', null]
    sheet.getRow(firstRow + 1).values = [null, '一级事项', '二级事项', null, null, null, null, null, '全社会', '特定群众', '主动', '依申请公开', '区级', '镇街、村级']
    for (const [a, b] of [[2, 3], [9, 10], [11, 12], [13, 14]]) sheet.mergeCells(firstRow, a!, firstRow, b!)
    for (const c of [1, 4, 5, 6, 7, 8]) sheet.mergeCells(firstRow, c, firstRow + 1, c)
  }
  sheet.getRow(1).values = ['龙沙区基层政务公开标准目录汇编']
  sheet.mergeCells(1, 1, 1, 14)
  sheet.getRow(2).values = ['（一）保障性住房领域基层政务公开标准目录']
  sheet.mergeCells(2, 1, 2, 14)
  await header(3)
  sheet.getRow(5).values = [1, '实物配租', '配租政策', '●配租条件', basis2, '信息形成或者变更之日起20个工作日内', '区住建局', '■政府网站 □政府公报', '✓', null, '√', null, '√', null]
  sheet.getRow(6).values = [2, null, '配租结果', '●配租家庭', null, null, null, null, null, '√（申请人）', '✓', null, null, '√']
  sheet.getRow(7).values = [3, null, '轮候名单', '●轮候家庭', null, null, null, null, null, '√', null, '√', null, '√']
  // 一级事项, 公开依据, 时限, 主体 and 渠道 merged down over the three rows, as printed catalogs do.
  for (const c of [2, 5, 6, 7, 8]) sheet.mergeCells(5, c, 7, c)
  sheet.getRow(8).values = ['注：“●”为必公开要素。']
  sheet.mergeCells(8, 1, 8, 14)
  sheet.getRow(9).values = ['（二）救灾领域基层政务公开标准目录']
  sheet.mergeCells(9, 1, 9, 14)
  await header(10)
  sheet.getRow(12).values = [1, '受灾人员冬春生活救助', '救助资金', '●救助金额', basis1, '实时公开', '区应急局、区民政局', '■政府网站', '√', null, '√', null, '√', null]
  // A page break: the header again, with no heading.
  await header(13)
  sheet.getRow(15).values = [2, '受灾人员冬春生活救助', '救助物资', '●物资清单', basis1, '及时公开', '区教育局\n龙沙区实验学校', '政务新媒体、公示栏', '√', null, '√', null, '√', null]
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

t.test('a compilation with section headings, repeated headers and cells merged across every column people merge', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await tokenFor(app, 'admin')
  const res = await upload(app, admin, await compilation())
  expectStatus(t, res, 200)
  const result = json(res)
  t.match(result, { layout: 'published', rows: 5, counts: { added: 5 } })
  t.same(
    result.skipped.map((s: any) => [s.row, s.reason]),
    [
      [8, 'note'],
      [9, 'heading'],
      [10, 'repeated header'],
      [11, 'repeated header'],
      [13, 'repeated header'],
      [14, 'repeated header'],
    ],
  )
  t.ok(
    result.warnings.some((w: string) => /column N \(镇街、村级\): this region has no 村级 level; read as 乡级/.test(w)),
    'a level column is mapped to the region\'s levels',
  )
  const warnings = result.rowWarnings.flatMap((r: any) => r.warnings).join('\n')
  t.match(warnings, /domain affordable_housing taken from the section heading/)
  t.match(warnings, /"区住建局" read as housing .*alias/)
  t.match(warnings, /column J \(特定群众\): ticked without naming the group/)

  const items = await workingSet(app)
  const byName = (s: string) => items.find((i) => i.secondLevel === s)
  for (const name of ['配租政策', '配租结果', '轮候名单']) {
    t.match(byName(name), { domain: 'affordable_housing', firstLevel: '实物配租', department: 'housing', basis: [{ title: '社会救助暂行办法' }], channels: ['government_website'] }, `${name}: merged cells read as their value`)
  }
  t.match(byName('配租政策'), { audience: { public: true, specificGroups: false }, levels: ['county'] })
  t.match(byName('配租结果'), { audience: { public: false, specificGroups: true, groupDescription: '申请人' }, mode: { proactive: true, onRequest: false }, levels: ['township'] })
  t.match(byName('轮候名单'), { audience: { public: false, specificGroups: true }, mode: { proactive: false, onRequest: true } })
  t.notOk('groupDescription' in byName('轮候名单').audience, 'a ticked group with no name is accepted')
  t.match(byName('救助资金'), { domain: 'disaster_relief', departments: ['emergency_management', 'civil_affairs'], timeLimit: { rule: { type: 'realtime' } } })
  t.match(byName('救助物资'), { domain: 'disaster_relief', departments: ['education', 'experimental_school'], channels: ['social_media_and_app', 'bulletin_board'] })
})

t.test('a CSV in GB18030 with ✓ ticks (which GBK lacks) reads, declared or detected', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await tokenFor(app, 'admin')
  const text = csvOf([
    ['公开领域', '一级事项', '二级事项', '公开内容（要素）', '公开依据', '公开时限', '公开主体', '公开渠道和载体', '全社会', '特定群体', '主动', '依申请', '县级', '乡级'],
    ['救灾', '受灾人员冬春生活救助', '救助政策', '●救助标准', basis1, '及时公开', '龙沙区民政局', '■政府网站', '✓', '', '✓', '', '✓', ''],
  ])
  const bytes = encodeText(text, 'gb18030')
  t.notSame(bytes, encodeText(text, 'gbk'), 'GBK cannot hold ✓')
  for (const contentType of ['text/csv; charset=gb18030', 'text/csv']) {
    const res = await upload(app, admin, bytes, { contentType, query: 'dryRun=true' })
    expectStatus(t, res, 200)
    t.match(json(res), { counts: { added: 1 } }, contentType)
  }
  const res = await upload(app, admin, bytes, { contentType: 'text/csv' })
  expectStatus(t, res, 200)
  t.match((await workingSet(app))[0], { audience: { public: true, specificGroups: false }, mode: { proactive: true, onRequest: false }, levels: ['county'] })
})

t.test('a body that names nothing, or may name several departments, is a 422 with row, column and text — never a guess', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await tokenFor(app, 'admin')
  // A second body whose name, without the place, is the civil affairs bureau's too.
  await app.db.insert(departments).values({ regionCode: '230202', code: 'city_civil_affairs', nameZh: '民政局', nameEn: 'Civil Affairs Bureau (city)', kind: 'bureau' })
  const sheet = (body: string) =>
    csvOf([
      ['公开领域', '一级事项', '二级事项', '公开内容', '公开依据', '公开时限', '公开主体', '公开渠道', '全社会', '特定群体', '主动', '依申请', '县级', '乡级'],
      ['救灾', '受灾人员冬春生活救助', '救助政策', '●救助标准', basis1, '及时公开', body, '■政府网站', '√', '', '√', '', '√', ''],
    ])
  const ambiguous = await upload(app, admin, sheet('区民政局'), { query: 'dryRun=true' })
  expectStatus(t, ambiguous, 422)
  t.same(json(ambiguous).errors.map((e: any) => [e.pointer, e.message]), [['/body/2/公开主体', 'row 2, column G (公开主体): "区民政局" may name any of city_civil_affairs, civil_affairs; write the full name or the code']])
  const unknown = await upload(app, admin, sheet('龙沙区住建局、区魔法部'), { query: 'dryRun=true' })
  expectStatus(t, unknown, 422)
  t.same(json(unknown).errors.map((e: any) => e.message), ['row 2, column G (公开主体): no department named "区魔法部" in this region (write its name, an alias or its code)'])
})

t.test('a JSON item may leave out timeLimit.rule: it is derived from the wording, or refused when the wording says none', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await tokenFor(app, 'admin')
  const item = (key: string, text: string) => ({
    key,
    domain: 'disaster_relief',
    firstLevel: '受灾人员冬春生活救助',
    secondLevel: key,
    content: [{ name: '救助标准', required: true }],
    basis: [{ kind: 'administrative_regulation', title: '自然灾害救助条例' }],
    timeLimit: { text },
    department: 'civil_affairs',
    departments: ['civil_affairs', 'wulong_subdistrict'],
    channels: ['government_website'],
    audience: { public: true, specificGroups: false },
    mode: { proactive: true, onRequest: false },
    levels: ['county'],
  })
  const bad = await upload(app, admin, [item('disaster_relief.a', '信息形成或者变更之日起20个工作日内'), item('disaster_relief.b', '看情况')])
  expectStatus(t, bad, 422)
  t.same(json(bad).errors.map((e: any) => e.pointer), ['/body/1/timeLimit/rule'])
  t.match(json(bad).errors[0].message, /cannot be derived from "看情况"/)
  const good = await upload(app, admin, [item('disaster_relief.a', '信息形成或者变更之日起20个工作日内')])
  expectStatus(t, good, 200)
  t.match((await workingSet(app))[0], { timeLimit: { rule: { type: 'within', unit: 'working_day', length: 20 } }, departments: ['civil_affairs', 'wulong_subdistrict'] })
})
