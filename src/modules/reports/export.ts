// A period's reports bound into one document, as the plan asks ("collect and bind the records"): a
// spreadsheet (one row per department, the five sections under their Chinese headings, then the
// figures) and a Markdown volume (one chapter per submitted report, then who has not reported).
import { loadExcelJS } from '../../lib/spreadsheet/exceljs.js'
import { SHANGHAI_OFFSET_MS } from '../../lib/calendar/index.js'
import { parseMonth } from './due.js'
import { sections } from './service.js'
import type { PeriodSummary, SummaryLine, SummaryStatus } from './summary.js'
import type { ReportFigures } from './tables.js'

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
export const MARKDOWN_MEDIA_TYPE = 'text/markdown; charset=utf-8'

export const statusZh: Record<SummaryStatus, string> = {
  missing: '未报送',
  draft: '草稿未报送',
  submitted: '已报送',
  accepted: '已审核通过',
  returned: '已退回修改',
}

export const figureLabels: { key: keyof ReportFigures; zh: string }[] = [
  { key: 'catalogItemsAdded', zh: '新增公开事项' },
  { key: 'catalogItemsChanged', zh: '变更公开事项' },
  { key: 'catalogItemsRetired', zh: '废止公开事项' },
  { key: 'noticesPublished', zh: '发布公示' },
  { key: 'noticesConcluded', zh: '办结公示' },
  { key: 'objectionsReceived', zh: '收到异议' },
  { key: 'objectionsResolved', zh: '办结异议' },
  { key: 'reviewDeadlinesMet', zh: '按期审核' },
  { key: 'reviewDeadlinesMissed', zh: '超期审核' },
  { key: 'noticesWithFormationDate', zh: '有形成日期的公示' },
  { key: 'averageDaysToPublish', zh: '形成至公开平均天数' },
]

/** `2026-03-04 10:00` in Asia/Shanghai. */
export function shanghaiTime(d: Date | null): string {
  if (!d) return ''
  return new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ')
}

export function periodTitle(summary: PeriodSummary, phaseName?: string): string {
  if (summary.type === 'monthly') {
    const { year, month } = parseMonth(summary.period)
    return `政务公开工作月度报告汇编（${year}年${month}月）`
  }
  return `${phaseName ?? summary.period}汇编`
}

const submitted = (l: SummaryLine) => l.status === 'submitted' || l.status === 'accepted'

export async function reportsWorkbook(summary: PeriodSummary, title: string): Promise<Buffer> {
  const workbook = new (await loadExcelJS()).Workbook()
  workbook.creator = 'gongkai'
  workbook.title = title
  const sheet = workbook.addWorksheet(summary.type === 'monthly' ? '月度报告' : '试点总结报告', { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] })
  sheet.columns = [
    { header: '单位', key: 'department', width: 28 },
    { header: '单位代码', key: 'code', width: 20 },
    { header: '状态', key: 'status', width: 12 },
    { header: '截止时间', key: 'due', width: 18 },
    { header: '首次报送时间', key: 'submitted', width: 18 },
    { header: '是否逾期', key: 'late', width: 10 },
    ...sections.map((s) => ({ header: s.zh, key: s.key, width: 50 })),
    ...figureLabels.map((f) => ({ header: f.zh, key: f.key, width: 12 })),
    { header: '审核人', key: 'reviewer', width: 14 },
    { header: '审核意见', key: 'comment', width: 40 },
  ]
  sheet.getRow(1).font = { bold: true }
  for (const line of summary.lines) {
    const r = line.report
    const row = sheet.addRow({
      department: line.department.nameZh,
      code: line.department.code,
      status: statusZh[line.status],
      due: shanghaiTime(line.dueAt),
      submitted: shanghaiTime(r?.firstSubmittedAt ?? null),
      late: line.late ? '是' : '否',
      // A draft's text is not yet a report to the district office.
      ...Object.fromEntries(sections.map((s) => [s.key, r && r.firstSubmittedAt ? r[s.key] : ''])),
      ...Object.fromEntries(figureLabels.map((f) => [f.key, line.figures[f.key] ?? ''])),
      reviewer: r?.reviewerName ?? '',
      comment: r?.reviewComment ?? '',
    })
    row.alignment = { vertical: 'top', wrapText: true }
  }
  const totals = workbook.addWorksheet('汇总')
  totals.columns = [
    { header: '项目', key: 'label', width: 24 },
    { header: '数量', key: 'value', width: 12 },
  ]
  totals.getRow(1).font = { bold: true }
  const c = summary.counts
  for (const [label, value] of [
    ['应报单位', c.expected],
    ['已审核通过', c.accepted],
    ['已报送待审核', c.submitted],
    ['已退回修改', c.returned],
    ['草稿未报送', c.draft],
    ['未报送', c.missing],
    ['按时报送', c.onTime],
    ['逾期', c.late],
  ] as const) {
    totals.addRow({ label, value })
  }
  for (const f of figureLabels) totals.addRow({ label: `全区${f.zh}`, value: summary.totals[f.key] ?? '' })
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

// Departments write the sections; the volume's structure (chapters, statuses, reviewers) is ours. User
// text is escaped so that it stays text — no heading that forges another department's chapter ("## 2.
// 区财政局 … 已审核通过"), no raw HTML (<img onerror>), no link (javascript:) — and each section is
// quoted, so a reader sees where a department's words begin and end.
const markdownSyntax = /[\\`*_[\]{}<>&|~!]/g
const escapeCharacter = (c: string) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`)

/** One line of user text as inert Markdown: inline syntax escaped, and what would start a block too. */
export function escapeMarkdownLine(line: string): string {
  return line
    .replace(markdownSyntax, escapeCharacter)
    .replace(/^(\s*)([#+\-=])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2')
}

/** User text inside a line of ours (names, a review comment): one line, escaped. */
const inline = (text: string) => escapeMarkdownLine(text.replace(/\s+/g, ' ').trim())

/** A section's text as a quotation of escaped lines. */
function quoted(text: string): string[] {
  return text
    .trim()
    .split(/\r\n|\r|\n/)
    .map((line) => (line.trim() ? `> ${escapeMarkdownLine(line.trimEnd())}` : '>'))
}

function figuresTable(figures: ReportFigures): string[] {
  return ['| 指标 | 数量 |', '|---|---:|', ...figureLabels.map((f) => `| ${f.zh} | ${figures[f.key] ?? '—'} |`)]
}

export function reportsMarkdown(summary: PeriodSummary, title: string): string {
  const c = summary.counts
  const out: string[] = [
    `# ${title}`,
    '',
    `报送截止：${summary.facts.due.dueDate} 24:00（北京时间）。应报 ${c.expected} 个单位：已审核通过 ${c.accepted}，已报送待审核 ${c.submitted}，已退回修改 ${c.returned}，草稿未报送 ${c.draft}，未报送 ${c.missing}；逾期 ${c.late}。`,
    '',
    '## 全区统计',
    '',
    ...figuresTable(summary.totals),
  ]
  const bound = summary.lines.filter(submitted)
  bound.forEach((line, i) => {
    const r = line.report!
    out.push('', `## ${i + 1}. ${inline(line.department.nameZh)}`, '')
    out.push(`状态：${statusZh[line.status]}；报送：${shanghaiTime(r.firstSubmittedAt)}（${line.late ? '逾期' : '按时'}）；填报：${inline(r.authorName)}${r.reviewerName ? `；审核：${inline(r.reviewerName)}` : ''}${r.reviewComment ? `（${inline(r.reviewComment)}）` : ''}`)
    for (const s of sections) out.push('', `### ${s.zh}`, '', ...quoted(r[s.key]))
    out.push('', '### 本期数据', '', ...figuresTable(line.figures))
  })
  const pending = summary.lines.filter((l) => l.required && !submitted(l))
  if (pending.length) {
    out.push('', '## 尚未报送或退回修改的单位', '')
    for (const l of pending) out.push(`- ${inline(l.department.nameZh)}（${inline(l.department.code)}）：${statusZh[l.status]}${l.late ? '，已逾期' : ''}`)
  }
  return `${out.join('\n')}\n`
}
