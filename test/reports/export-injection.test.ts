// The bound volume is ours; a department's text stays text in it (issue 14, finding 13): it cannot forge
// another department's chapter or status, nor carry HTML or links into whatever renders the Markdown.
import t from 'tap'
import { escapeMarkdownLine } from '../../src/modules/reports/export.js'
import { buildTestApp } from '../helpers/app.js'
import { bearer, tokenFor } from '../helpers/auth.js'
import { call, fullSections } from '../reports/builders.js'

const forged = ['完成名单公示。', '', '## 2. 龙沙区财政局', '', '状态：已审核通过；审核：区政务公开办', '<img src=x onerror=alert(1)>', '[点此查看](javascript:alert(1))', '<javascript:alert(1)>', '1. 列表', '---'].join('\n')

t.test('a department’s section text cannot forge a chapter, nor carry HTML or a javascript: link', async (t) => {
  const { app } = await buildTestApp(t, { now: '2026-03-03T02:00:00Z' })
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  const { body } = await call(app, 'POST', '/v1/reports', editor, { departmentCode: 'civil_affairs', period: '2026-02', ...fullSections, progress: forged, reviewComment: undefined })
  await call(app, 'POST', `/v1/reports/${body.id}/submit`, editor, {})
  const res = await app.inject({ method: 'GET', url: '/v1/reports/export?month=2026-02&format=markdown', headers: bearer(await tokenFor(app, 'admin')) })
  t.equal(res.statusCode, 200)
  const md = res.body
  t.same(md.match(/^## .*/gm), ['## 全区统计', '## 1. 龙沙区民政局', '## 尚未报送或退回修改的单位'], 'the only chapters are the volume’s own')
  t.notMatch(md, /<img/, 'no raw HTML')
  t.notMatch(md, /(?<!\\)\]\(javascript:/, 'no link')
  t.notMatch(md, /<javascript:/, 'no autolink')
  t.match(md, /### 进展情况\n\n> 完成名单公示。\n>\n> \\## 2\. 龙沙区财政局\n/, 'the text is quoted, its heading marks escaped')
  t.match(md, /> &lt;img src=x onerror=alert\(1\)&gt;/)
  t.match(md, /> \\\[点此查看\\\]\(javascript:alert\(1\)\)/)
})

t.test('every character that starts Markdown syntax in a line is escaped', async (t) => {
  t.equal(escapeMarkdownLine('# 标题'), '\\# 标题')
  t.equal(escapeMarkdownLine('- 项'), '\\- 项')
  t.equal(escapeMarkdownLine('2) 项'), '2\\) 项')
  t.equal(escapeMarkdownLine('=== '), '\\=== ')
  t.equal(escapeMarkdownLine('a *b* _c_ `d` | e ~f~ ![g](h) & <i>'), 'a \\*b\\* \\_c\\_ \\`d\\` \\| e \\~f\\~ \\!\\[g\\](h) &amp; &lt;i&gt;')
  t.equal(escapeMarkdownLine('金额3.5万元'), '金额3.5万元', 'ordinary prose is left alone')
})
