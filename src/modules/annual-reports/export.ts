// An annual report in the 30号 layout: a spreadsheet (the six sections in order, tables 二–四 as their
// grids) and Markdown. Text the office wrote is data, not markup: Markdown escapes it, so a 「|」 or a
// 「<script>」 in a section cannot break a table or reach a renderer as HTML.
import { loadExcelJS } from '../../lib/spreadsheet/exceljs.js'
import { applicantLabels, applicantTypes, groupLabels, outcomeGroups, outcomeReasons, reasonLabels, type OutcomeReason } from '../applications/outcomes.js'
import type { Columns, RemedyCounts } from './computation.js'
import type { AnnualReportDto } from './schemas.js'

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
export const MARKDOWN_MEDIA_TYPE = 'text/markdown; charset=utf-8'

/** Backslash-escapes every ASCII punctuation character Markdown gives a meaning to (CommonMark 2.4). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&"'=:]/g, (c) => `\\${c}`)
}
const cell = (text: string) => escapeMarkdown(text).replace(/\r?\n/g, ' ')
const paragraphs = (text: string) => (text.trim() ? text.trim().split(/\r?\n/).map(escapeMarkdown).join('  \n') : '（无）')

const columnOrder = [...applicantTypes, 'total'] as const
const columnHeads = [...applicantTypes.map((k) => applicantLabels[k]), '总计']

/** Table 三's rows in the format's order: label, and the row's columns (null for a group heading). */
export function applicationRows(t: AnnualReportDto['tables']['applications']): [string, Columns | null][] {
  const rows: [string, Columns | null][] = [
    ['一、本年新收政府信息公开申请数量', t.newReceived],
    ['二、上年结转政府信息公开申请数量', t.carriedIn],
    ['三、本年度办理结果', null],
  ]
  for (const g of outcomeGroups) {
    const reasons = outcomeReasons[g] as readonly OutcomeReason[]
    if (!reasons.length) rows.push([groupLabels[g], t.outcomes[g]!])
    else {
      rows.push([groupLabels[g], null])
      for (const r of reasons) rows.push([reasonLabels[r], t.outcomes[`${g}.${r}`]!])
    }
  }
  rows.push(['（七）总计', t.total], ['四、结转下年度继续办理', t.carriedOut])
  return rows
}

function proactiveRows(p: AnnualReportDto['tables']['proactive']): string[][] {
  const v = (n: number | undefined) => (n === undefined ? '' : String(n))
  return [
    ['第二十条第（一）项', '', '', ''],
    ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
    ['规章', v(p?.regulations.issued), v(p?.regulations.repealed), v(p?.regulations.inForce)],
    ['行政规范性文件', v(p?.normativeDocuments.issued), v(p?.normativeDocuments.repealed), v(p?.normativeDocuments.inForce)],
    ['第二十条第（五）项', '', '', ''],
    ['信息内容', '本年处理决定数量', '', ''],
    ['行政许可', v(p?.licensing), '', ''],
    ['第二十条第（六）项', '', '', ''],
    ['信息内容', '本年处理决定数量', '', ''],
    ['行政处罚', v(p?.penalties), '', ''],
    ['行政强制', v(p?.enforcement), '', ''],
    ['第二十条第（八）项', '', '', ''],
    ['信息内容', '本年收费金额（单位：万元）', '', ''],
    ['行政事业性收费', v(p?.feesAmount), '', ''],
  ]
}

const remedyHeads = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计']
const remedyValues = (c: RemedyCounts) => [c.upheld, c.corrected, c.other, c.pending, c.total]

export function annualReportMarkdown(r: AnnualReportDto): string {
  const out: string[] = [`# ${cell(r.title)}`, '']
  out.push(`报告状态：${r.review?.state ?? '未开始'}；截止：${r.dueAt}；表格数据：${r.tablesSource === 'frozen' ? '提交时固定' : '按当前记录计算'}`, '')
  out.push('## 一、总体情况', '', paragraphs(r.sections.overview), '')
  out.push('## 二、主动公开政府信息情况', '', '（本表数据由本机关填报）', '')
  const p = proactiveRows(r.tables.proactive)
  for (const block of [p.slice(0, 4), p.slice(4, 7), p.slice(7, 11), p.slice(11)]) {
    const [title, head, ...body] = block
    const width = head!.filter(Boolean).length
    out.push(`**${title![0]}**`, '', `| ${head!.slice(0, width).join(' | ')} |`, `|${' --- |'.repeat(width)}`, ...body.map((row) => `| ${row.slice(0, width).join(' | ')} |`), '')
  }
  out.push('## 三、收到和处理政府信息公开申请情况', '', `| 项目 | ${columnHeads.join(' | ')} |`, `| --- |${' ---: |'.repeat(columnHeads.length)}`)
  for (const [label, cols] of applicationRows(r.tables.applications)) out.push(`| ${label} | ${columnOrder.map((k) => (cols ? cols[k] : '')).join(' | ')} |`)
  out.push('', '## 四、政府信息公开行政复议、行政诉讼情况', '')
  const rem = r.tables.remedies
  out.push(`| 类别 | ${remedyHeads.join(' | ')} |`, `| --- |${' ---: |'.repeat(remedyHeads.length)}`)
  for (const [label, c] of [['行政复议', rem.review], ['行政诉讼·未经复议直接起诉', rem.lawsuitDirect], ['行政诉讼·复议后起诉', rem.lawsuitAfterReview]] as const) out.push(`| ${label} | ${remedyValues(c).join(' | ')} |`)
  out.push('', '## 五、存在的主要问题及改进情况', '', paragraphs(r.sections.problems), '')
  out.push('## 六、其他需要报告的事项', '', paragraphs(r.sections.otherMatters), '')
  return out.join('\n')
}

export async function annualReportWorkbook(r: AnnualReportDto): Promise<Buffer> {
  const workbook = new (await loadExcelJS()).Workbook()
  workbook.creator = 'gongkai'
  workbook.title = r.title
  const sheet = workbook.addWorksheet('年度报告')
  sheet.columns = [{ width: 60 }, ...columnHeads.map(() => ({ width: 14 }))]
  const heading = (text: string) => {
    sheet.addRow([])
    sheet.addRow([text]).font = { bold: true }
  }
  sheet.addRow([r.title]).font = { bold: true, size: 14 }
  heading('一、总体情况')
  sheet.addRow([r.sections.overview]).alignment = { wrapText: true, vertical: 'top' }
  heading('二、主动公开政府信息情况（本表数据由本机关填报）')
  for (const row of proactiveRows(r.tables.proactive)) sheet.addRow(row.map((v) => (v !== '' && !Number.isNaN(Number(v)) && !/[^\d.]/.test(v) ? Number(v) : v)))
  heading('三、收到和处理政府信息公开申请情况')
  sheet.addRow(['', '申请人情况'])
  sheet.addRow(['', '自然人', '法人或其他组织', '', '', '', '', '总计'])
  sheet.addRow(['', ...columnHeads])
  for (const [label, cols] of applicationRows(r.tables.applications)) sheet.addRow([label, ...columnOrder.map((k) => (cols ? cols[k] : null))])
  heading('四、政府信息公开行政复议、行政诉讼情况')
  sheet.addRow(['', ...remedyHeads])
  const rem = r.tables.remedies
  sheet.addRow(['行政复议', ...remedyValues(rem.review)])
  sheet.addRow(['行政诉讼·未经复议直接起诉', ...remedyValues(rem.lawsuitDirect)])
  sheet.addRow(['行政诉讼·复议后起诉', ...remedyValues(rem.lawsuitAfterReview)])
  heading('五、存在的主要问题及改进情况')
  sheet.addRow([r.sections.problems]).alignment = { wrapText: true, vertical: 'top' }
  heading('六、其他需要报告的事项')
  sheet.addRow([r.sections.otherMatters]).alignment = { wrapText: true, vertical: 'top' }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
