// An annual report exported in the 30号 layout: Markdown with the office's text escaped, and XLSX.
import ExcelJS from 'exceljs'
import t from 'tap'
import { escapeMarkdown } from '../../src/modules/annual-reports/export.js'
import { caller, received, replied } from '../applications/builders.js'
import { buildTestApp } from '../helpers/app.js'
import { userWith } from '../helpers/auth.js'
import { proactive } from './fixture.js'

t.test('escapeMarkdown leaves no markup in user text', async (t) => {
  t.equal(escapeMarkdown('a|b <script>x</script> **c** [d](e)'), 'a\\|b \\<script\\>x\\</script\\> \\*\\*c\\*\\* \\[d\\]\\(e\\)')
  t.equal(escapeMarkdown('中文无需转义'), '中文无需转义')
})

t.test('a published report as Markdown and XLSX; public once published, staff only before', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-03-03T02:00:00Z' })
  const editor = await userWith(ctx.app, 'editor', 'housing')
  const reviewer = await userWith(ctx.app, 'reviewer', 'housing')
  const staff = { editor: editor.token, reviewer: reviewer.token }
  const call = caller(ctx)
  const receipt = await received(ctx, staff.editor, { receivedAt: '2025-03-03T01:00:00Z' })
  await replied(ctx, staff, receipt, { outcome: 'disclosed' })
  await received(ctx, staff.editor, { receivedAt: '2025-03-03T01:30:00Z', applicant: { type: 'research', name: '某研究院' } })
  ctx.clock.set('2026-01-05T02:00:00Z')
  const sections = { overview: '本年度｜工作 | 总体 <script>alert(1)</script>\n第二段 **加粗**', problems: '# 不是标题', otherMatters: '无。' }
  const saved = await call('PUT', '/v1/annual-reports/2025?department=housing', staff.editor, { ...sections, proactive })
  t.equal(saved.status, 200)
  t.equal((await call('GET', '/v1/annual-reports/2025/export?department=housing&format=markdown', null)).status, 404, 'a draft is not public')
  const draft = await ctx.app.inject({ method: 'GET', url: '/v1/annual-reports/2025/export?department=housing&format=markdown', headers: { authorization: `Bearer ${staff.editor}` } })
  t.equal(draft.statusCode, 200, 'staff export the draft')
  for (const action of ['submit', 'approve', 'publish']) {
    const res = await call('POST', `/v1/annual-reports/2025/${action}?department=housing`, action === 'approve' ? staff.reviewer : staff.editor, {})
    t.equal(res.status, 200, action)
  }

  const md = await ctx.app.inject({ method: 'GET', url: '/v1/annual-reports/2025/export?department=housing&format=markdown' })
  t.equal(md.statusCode, 200)
  t.match(md.headers['content-type'], /text\/markdown/)
  t.match(md.headers['content-disposition'], /annual-report-2025-housing\.md/)
  const text = md.body
  for (const heading of ['## 一、总体情况', '## 二、主动公开政府信息情况', '## 三、收到和处理政府信息公开申请情况', '## 四、政府信息公开行政复议、行政诉讼情况', '## 五、存在的主要问题及改进情况', '## 六、其他需要报告的事项']) t.ok(text.includes(heading), heading)
  t.notOk(text.includes('<script>'), 'no raw HTML from the office text')
  t.ok(text.includes('总体 \\<script\\>'), 'escaped')
  t.ok(text.includes('\\# 不是标题'), 'a # in the text is not a heading')
  t.ok(text.includes('| 一、本年新收政府信息公开申请数量 | 1 | 0 | 1 | 0 | 0 | 0 | 2 |'), 'table 三: new applications by applicant type')
  t.ok(text.includes('| （一）予以公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |'))
  t.ok(text.includes('| 四、结转下年度继续办理 | 0 | 0 | 1 | 0 | 0 | 0 | 1 |'))
  t.ok(text.includes('| 行政许可 | 35 |'))

  const xlsx = await ctx.app.inject({ method: 'GET', url: '/v1/annual-reports/2025/export?department=housing&format=xlsx' })
  t.equal(xlsx.statusCode, 200)
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(xlsx.rawPayload as any)
  const sheet = workbook.getWorksheet('年度报告')!
  const rows: unknown[][] = []
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)))
  t.match(rows[0], [/2025年政府信息公开工作年度报告/])
  t.same(rows.find((r) => r[0] === '（七）总计'), ['（七）总计', 1, 0, 0, 0, 0, 0, 1])
  t.same(rows.find((r) => r[0] === '行政复议'), ['行政复议', 0, 0, 0, 0, 0])
  t.same(rows.find((r) => r[0] === '行政规范性文件'), ['行政规范性文件', 2, 1, 9])
  t.ok(rows.some((r) => r[0] === sections.overview), 'the text as written, in one cell')

  const region = await call('GET', '/v1/annual-reports/2025/export?format=markdown', null)
  t.equal(region.status, 404, "the region's report is not published")
})
