import t from 'tap'
import { decodeText, encodeText } from '../../src/lib/spreadsheet/text.js'
import { formatCsv, parseCsv } from '../../src/lib/spreadsheet/csv.js'
import { locateHeader, normalizeLabel } from '../../src/lib/spreadsheet/grid.js'
import { demoCatalog } from '../../src/modules/catalog/demo-catalog.js'
import { channels } from '../../src/modules/catalog/elements.js'
import { isColumnLabel, isGroupLabel } from '../../src/modules/catalog/layout-columns.js'
import { basisCell, channelsCell, contentCell, readBasis, readChannels, readContent, readTick } from '../../src/modules/catalog/layout.js'
import { describeRule, parseTimeLimit, readRuleCell, ruleCell } from '../../src/modules/catalog/layout-time.js'

t.test('time limits as catalogs word them become structured rules', async (t) => {
  const cases: [string, unknown][] = [
    ['信息形成或者变更之日起20个工作日内', { type: 'within', unit: 'working_day', length: 20, event: '信息形成或者变更之日' }],
    ['20工作日', { type: 'within', unit: 'working_day', length: 20, event: '信息形成或者变更之日' }],
    ['20个工作日内', { type: 'within', unit: 'working_day', length: 20, event: '信息形成或者变更之日' }],
    ['自收到申请材料之日起15日内出具复审决定', { type: 'within', unit: 'calendar_day', length: 15, event: '收到申请材料之日' }],
    ['收到评标报告之日起3日内公示中标候选人，公示期不得少于3日', { type: 'within', unit: 'calendar_day', length: 3, event: '收到评标报告之日', publicity: { unit: 'calendar_day', length: 3 } }],
    ['信息形成之日起十个工作日内，公示七个工作日', { type: 'within', unit: 'working_day', length: 10, event: '信息形成之日', publicity: { unit: 'working_day', length: 7 } }],
    ['在组织听证7个工作日前', { type: 'before', unit: 'working_day', length: 7, event: '组织听证' }],
    ['实时公开', { type: 'realtime' }],
    ['及时公开', { type: 'promptly' }],
    ['永久公开', { type: 'permanent' }],
    ['长期公开', { type: 'permanent' }],
    ['公示7天', { type: 'promptly', publicity: { unit: 'calendar_day', length: 7 } }],
    ['审核通过后公示，公示期不少于7天', { type: 'promptly', publicity: { unit: 'calendar_day', length: 7 } }],
    ['每年4月1日之前', { type: 'fixed_date', monthDay: '04-01' }],
    ['按上级要求办理', { type: 'other' }],
  ]
  for (const [wording, rule] of cases) t.same(parseTimeLimit(wording), rule, wording)
})

t.test('every rule has a wording that reads back to it', async (t) => {
  const rules = [
    { type: 'within', unit: 'working_day', length: 20, event: '信息形成或者变更之日' },
    { type: 'within', unit: 'calendar_day', length: 3, event: '收到评标报告之日', publicity: { unit: 'calendar_day', length: 3 } },
    { type: 'before', unit: 'calendar_day', length: 30, event: '作出房屋征收决定' },
    { type: 'before', unit: 'working_day', length: 7, event: '组织听证', publicity: { unit: 'working_day', length: 7 } },
    { type: 'realtime' },
    { type: 'promptly', publicity: { unit: 'working_day', length: 10 } },
    { type: 'permanent' },
    { type: 'fixed_date', monthDay: '06-01' },
  ] as const
  for (const rule of rules) t.same(parseTimeLimit(describeRule(rule)!), rule, describeRule(rule)!)
  t.equal(ruleCell('信息形成或者变更之日起20个工作日内', rules[0]), '', 'no rule column needed when the wording says it')
  t.equal(ruleCell('抽签现场当场宣读', { type: 'realtime' }), '实时公开')
  t.equal(ruleCell('实时公开', { type: 'other' }), '{"type":"other"}', 'JSON where no wording says the rule')
  t.same(readRuleCell('{"type":"other"}'), { type: 'other' })
  t.throws(() => readRuleCell('看情况'), /no rule this reader knows/)
})

t.test('content, basis and channel cells read back to what was written, for the whole demo catalog', async (t) => {
  for (const item of demoCatalog) {
    t.same(readContent(contentCell(item.content)), item.content, `${item.key} content`)
    t.same(readBasis(basisCell(item.basis)), { ok: true, value: item.basis }, `${item.key} basis`)
    t.same(readChannels(channelsCell(item.channels, item.channelsOther ?? null)), { ok: true, value: { channels: channels.filter((c) => item.channels.includes(c)), other: item.channelsOther ?? null, kept: [] } }, `${item.key} channels (in checklist order)`)
  }
})

t.test('cells written by hand: ticks, checklists, several references, unmarked elements', async (t) => {
  t.same(readTick('√'), { ticked: true, note: null })
  t.same(readTick(' '), { ticked: false, note: null })
  t.same(readTick('×'), { ticked: false, note: null })
  t.same(readTick('√（面向拟征收土地所在地的村集体成员）'), { ticked: true, note: '面向拟征收土地所在地的村集体成员' })
  t.same(readChannels('■政府网站 □政府公报 ■两微一端 □发布会/听证会 ■其他（村民代表会议）'), { ok: true, value: { channels: ['government_website', 'social_media_and_app', 'other'], other: '村民代表会议', kept: [] } })
  t.same(readChannels('政府网站、公示栏'), { ok: true, value: { channels: ['government_website', 'bulletin_board'], other: null, kept: [] } })
  t.same(readChannels('■政府网站 ■飞鸽传书'), { ok: true, value: { channels: ['government_website', 'other'], other: '飞鸽传书', kept: ['飞鸽传书'] } }, 'a channel not on the checklist is kept as other')
  t.same(readChannels('口政府网站 ■政务新媒体 口政府公报 ■村居公示栏'), { ok: true, value: { channels: ['social_media_and_app', 'bulletin_board'], other: null, kept: [] } }, '口 is a box')
  t.same(readChannels('政府门户网站、行政服务中心、一微一端、社区（村）公示栏'), { ok: true, value: { channels: ['government_website', 'social_media_and_app', 'service_centre', 'bulletin_board'], other: null, kept: [] } }, 'synonyms')
  t.same(readChannels('■政府网站 ■政务服务窗口'), { ok: true, value: { channels: ['government_website', 'other'], other: '政务服务窗口', kept: ['政务服务窗口'] } }, '口 inside a word is no box')
  t.same(readContent('●征收范围 ●征收目的 〇联系人'), [
    { name: '征收范围', required: true },
    { name: '征收目的', required: true },
    { name: '联系人', required: false },
  ])
  t.same(readContent('救助对象姓名；救助金额'), [
    { name: '救助对象姓名', required: true },
    { name: '救助金额', required: true },
  ])
  t.same(readBasis('《中华人民共和国政府信息公开条例》（国务院令第711号）第二十条、《社会救助暂行办法》（国务院令第649号）'), {
    ok: true,
    value: [
      { kind: 'administrative_regulation', title: '中华人民共和国政府信息公开条例', documentNumber: '国务院令第711号', articles: '第二十条' },
      { kind: 'administrative_regulation', title: '社会救助暂行办法', documentNumber: '国务院令第649号' },
    ],
  })
  t.same(readBasis('【地方性法规】《某某条例》第三条'), { ok: true, value: [{ kind: 'local_regulation', title: '某某条例', articles: '第三条' }] })
})

t.test('CSV: quotes, line breaks in cells, and the encodings Excel writes', async (t) => {
  const rows = [['名称', '说明'], ['征地公告', '第一行\n第二行'], ['带"引号"', '逗号,在内']]
  t.same(parseCsv(formatCsv(rows)).rows, rows)
  const text = formatCsv(rows)
  t.same(decodeText(encodeText(text, 'utf-8')).text, text)
  t.same(decodeText(encodeText(text, 'utf-8', true)), { text, encoding: 'utf-8', by: 'bom' })
  t.same(decodeText(encodeText(text, 'gbk')), { text, encoding: 'gb18030', by: 'detected' })
  t.same(decodeText(encodeText(text, 'gbk'), 'GBK'), { text, encoding: 'gb18030', by: 'charset' })
  t.same(decodeText(encodeText(text, 'utf-16le', true)).text, text)
  t.same(parseCsv('a\tb\n1\t2\n').rows, [['a', 'b'], ['1', '2']], 'tab-separated')
  t.same(parseCsv('a,b,\r1,"x""y",\r\n\r\n,,\n').rows, [['a', 'b', ''], ['1', 'x"y', '']], 'CR and CRLF line ends, trailing delimiters; trailing empty lines dropped')
  t.throws(() => parseCsv('a,b\n"never closed,1\n'), /a quoted field starting on line 2 is never closed/)
})

t.test('the header is found under title lines, in one row or two', async (t) => {
  const vocabulary = { isColumn: isColumnLabel, isGroup: isGroupLabel }
  const two = locateHeader(
    {
      rows: [
        ['龙沙区救灾领域基层政务公开标准目录', '', ''],
        ['公开事项', '', '公开对象', ''],
        ['一级事项', '二级事项', '全社会', '特定群体'],
      ],
      merges: [],
    },
    vocabulary,
  )
  t.match(two, { row: 1, rowCount: 2, firstDataRow: 3, title: ['龙沙区救灾领域基层政务公开标准目录'] })
  t.same(two!.columns.map((c) => [c.label, c.group]), [['一级事项', '公开事项'], ['二级事项', '公开事项'], ['全社会', '公开对象'], ['特定群体', '公开对象']])
  const one = locateHeader({ rows: [['firstLevel', 'secondLevel', 'content']], merges: [] }, vocabulary)
  t.match(one, { row: 0, rowCount: 1, firstDataRow: 1 })
  t.equal(normalizeLabel('公开内容（要素）'), '公开内容(要素)')
})
