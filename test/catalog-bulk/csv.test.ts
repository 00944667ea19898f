import t from 'tap'
import { encodeText } from '../../src/lib/spreadsheet/text.js'
import { buildTestApp, json } from '../helpers/app.js'
import { tokenFor } from '../helpers/auth.js'
import { csvOf, expectStatus, reliefHeader, reliefRow, upload, workingSet } from './builders.js'

const sheet = csvOf([reliefHeader, reliefRow('disaster_relief.recipients', '救助对象名单'), reliefRow('disaster_relief.funds', '救助资金发放情况', { 依申请: '√', 乡级: '√' })])

const expectedRecipients = {
  key: 'disaster_relief.recipients',
  domain: 'disaster_relief',
  firstLevel: '受灾人员冬春生活救助',
  secondLevel: '救助对象名单',
  thirdLevel: null,
  content: [
    { name: '救助对象姓名', required: true },
    { name: '救助金额', required: true },
    { name: '异议受理方式', required: false },
  ],
  basis: [{ kind: 'administrative_regulation', title: '自然灾害救助条例', documentNumber: '国务院令第577号', articles: '第二十条' }],
  timeLimit: { text: '信息形成或者变更之日起20个工作日内', rule: { type: 'within', unit: 'working_day', length: 20, event: '信息形成或者变更之日' } },
  department: 'civil_affairs',
  channels: ['government_website', 'bulletin_board'],
  channelsOther: null,
  audience: { public: true, specificGroups: false },
  mode: { proactive: true, onRequest: false },
  levels: ['county'],
  status: 'active',
}

for (const [name, bytes, contentType] of [
  ['UTF-8 without BOM', encodeText(sheet, 'utf-8'), 'text/csv'],
  ['UTF-8 with BOM (Excel "CSV UTF-8")', encodeText(sheet, 'utf-8', true), 'text/csv'],
  ['GBK declared by charset (Excel "CSV" on a Chinese Windows)', encodeText(sheet, 'gbk'), 'text/csv; charset=GBK'],
  ['GBK without a charset (detected)', encodeText(sheet, 'gbk'), 'text/csv'],
  ['GB18030 declared by charset', encodeText(sheet, 'gb18030'), 'text/csv; charset=gb18030'],
] as const) {
  t.test(`a CSV in ${name} with Chinese headers imports its items`, async (t) => {
    const { app } = await buildTestApp(t)
    const editor = await tokenFor(app, 'editor', 'civil_affairs')
    const res = await upload(app, editor, bytes, { query: 'department=civil_affairs', contentType })
    expectStatus(t, res, 200)
    t.match(json(res), { dryRun: false, format: 'csv', layout: 'chinese', rows: 2, counts: { added: 2, changed: 0, retired: 0, unchanged: 0 } })
    const items = await workingSet(app)
    t.same(
      items.map((i) => i.key),
      ['disaster_relief.funds', 'disaster_relief.recipients'],
    )
    t.match(items[1], expectedRecipients)
    t.same(items[0].mode, { proactive: true, onRequest: true })
    t.same(items[0].levels, ['county', 'township'])
  })
}

t.test('a CSV with the English field names imports the same items', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const csv = csvOf([
    ['key', 'domain', 'firstLevel', 'secondLevel', 'content', 'basis', 'timeLimit', 'department', 'channels', 'public', 'specificGroups', 'groupDescription', 'proactive', 'onRequest', 'levels'],
    [
      'disaster_relief.recipients',
      'disaster_relief',
      '受灾人员冬春生活救助',
      '救助对象名单',
      '●救助对象姓名\n●救助金额\n〇异议受理方式',
      '《自然灾害救助条例》（国务院令第577号）第二十条',
      '20工作日',
      'civil_affairs',
      'government_website;bulletin_board',
      'true',
      'false',
      '',
      'true',
      'false',
      'county',
    ],
  ])
  const res = await upload(app, editor, csv, { query: 'department=civil_affairs' })
  expectStatus(t, res, 200)
  t.match(json(res), { layout: 'fields', counts: { added: 1 } })
  const [item] = await workingSet(app)
  t.match(item, { ...expectedRecipients, timeLimit: { text: '20工作日', rule: expectedRecipients.timeLimit.rule } })
})

t.test('the published two-header CSV: blank first-level cells continue the one above, keys are derived, and a second import changes nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const csv = csvOf([
    ['救灾领域基层政务公开标准目录'],
    ['序号', '公开事项', '', '公开内容（要素）', '公开依据', '公开时限', '公开主体', '公开渠道和载体', '公开对象', '', '公开方式', '', '公开层级', ''],
    ['', '一级事项', '二级事项', '', '', '', '', '', '全社会', '特定群体', '主动', '依申请', '县级', '乡级'],
    ['1', '受灾人员冬春生活救助', '救助政策', '●救助标准', '《自然灾害救助条例》（国务院令第577号）', '永久公开', '龙沙区民政局', '■政府网站', '√', '', '√', '', '√', ''],
    ['2', '', '救助对象名单', '●救助对象姓名\n●救助金额', '《自然灾害救助条例》（国务院令第577号）', '公示7天', '龙沙区民政局', '■政府网站 ■社区/企事业单位/村公示栏(电子屏)', '', '√（面向受灾村屯居民）', '√', '', '', '√'],
  ])
  const first = await upload(app, editor, csv, { query: 'department=civil_affairs' })
  expectStatus(t, first, 200)
  t.match(json(first), { layout: 'published', counts: { added: 2 } })
  const items = await workingSet(app)
  t.ok(items.every((i) => /^disaster_relief\.item_[0-9a-f]{12}$/.test(i.key)), 'keys derived from the domain (named in the title) and names')
  const list = items.find((i) => i.secondLevel === '救助对象名单')
  t.match(list, {
    domain: 'disaster_relief',
    firstLevel: '受灾人员冬春生活救助',
    audience: { public: false, specificGroups: true, groupDescription: '面向受灾村屯居民' },
    timeLimit: { text: '公示7天', rule: { type: 'promptly', publicity: { unit: 'calendar_day', length: 7 } } },
    levels: ['township'],
  })
  const again = await upload(app, editor, csv, { query: 'department=civil_affairs' })
  t.match(json(again), { counts: { added: 0, changed: 0, retired: 0, unchanged: 2 } })
})
