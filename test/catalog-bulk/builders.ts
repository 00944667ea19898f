// Builders for bulk import tests: uploads in each format, sheets in the published layout (built with
// exceljs as a district's Excel would save them), and the working set as the API reads it back.
import ExcelJS from 'exceljs'
import type { Test } from 'tap'
import type { App } from '../../src/app.js'
import { formatCsv } from '../../src/lib/spreadsheet/csv.js'
import { json } from '../helpers/app.js'
import { bearer } from '../helpers/auth.js'

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export interface UploadOptions {
  query?: string
  contentType?: string
  idempotencyKey?: string
}

/** POST /v1/items/bulk with a JSON array, CSV text or bytes, or XLSX bytes. */
export function upload(app: App, token: string | null, body: unknown[] | string | Buffer, options: UploadOptions = {}) {
  const contentType = options.contentType ?? (Array.isArray(body) ? 'application/json' : typeof body === 'string' ? 'text/csv; charset=utf-8' : XLSX)
  return app.inject({
    method: 'POST',
    url: `/v1/items/bulk${options.query ? `?${options.query}` : ''}`,
    headers: {
      ...(token ? bearer(token) : {}),
      'content-type': contentType,
      ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
    },
    payload: Array.isArray(body) ? JSON.stringify(body) : body,
  })
}

/** The working set (active and retired), by key. */
export async function workingSet(app: App): Promise<any[]> {
  const items: any[] = []
  let cursor: string | null = null
  do {
    const page: { items: any[]; nextCursor: string | null } = json(await app.inject({ method: 'GET', url: `/v1/items?limit=200${cursor ? `&cursor=${cursor}` : ''}` }))
    items.push(...page.items)
    cursor = page.nextCursor
  } while (cursor)
  return items
}

/** Rows of a simple Chinese-header CSV of the civil affairs bureau's relief items. */
export const reliefHeader = ['事项编码', '公开领域', '一级事项', '二级事项', '公开内容（要素）', '公开依据', '公开时限', '公开主体', '公开渠道和载体', '全社会', '特定群体', '主动', '依申请', '县级', '乡级']

export function reliefRow(key: string, secondLevel: string, overrides: Partial<Record<string, string>> = {}): string[] {
  const values: Record<string, string> = {
    事项编码: key,
    公开领域: '救灾',
    一级事项: '受灾人员冬春生活救助',
    二级事项: secondLevel,
    '公开内容（要素）': '●救助对象姓名\n●救助金额\n〇异议受理方式',
    公开依据: '《自然灾害救助条例》（国务院令第577号）第二十条',
    公开时限: '信息形成或者变更之日起20个工作日内',
    公开主体: '龙沙区民政局',
    公开渠道和载体: '■政府网站 □政府公报 ■社区/企事业单位/村公示栏(电子屏)',
    全社会: '√',
    特定群体: '',
    主动: '√',
    依申请: '',
    县级: '√',
    乡级: '',
    ...overrides,
  }
  return reliefHeader.map((h) => values[h] ?? '')
}

export const csvOf = (rows: string[][]) => formatCsv(rows)

export interface PublishedRow {
  first: string
  second: string
  content: string
  basis: string
  timeLimit: string
  department: string
  channels: string
  public: boolean
  group?: string
  proactive: boolean
  onRequest: boolean
  county: boolean
  township: boolean
}

/**
 * A sheet as districts publish their catalogs: a title line, 公开事项 over 一级事项/二级事项, 公开对象 over
 * 全社会/特定群体, 公开方式 over 主动/依申请, 公开层级 over 县级/乡级, single columns merged over both
 * header rows, √ marks, checklist channels, and each first-level cell merged down over its rows. No
 * key column and no domain column (the title names the domain).
 */
export async function publishedWorkbook(title: string, rows: PublishedRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('目录')
  sheet.addRow([title])
  sheet.mergeCells('A1:O1')
  sheet.addRow(['序号', '公开事项', null, '公开内容（要素）', '公开依据', '公开时限', '公开主体', '公开渠道和载体', '公开对象', null, '公开方式', null, '公开层级', null, '备注'])
  sheet.addRow([null, '一级事项', '二级事项', null, null, null, null, null, '全社会', '特定群体', '主动', '依申请', '县级', '乡级', null])
  for (const range of ['B2:C2', 'I2:J2', 'K2:L2', 'M2:N2', 'A2:A3', 'D2:D3', 'E2:E3', 'F2:F3', 'G2:G3', 'H2:H3', 'O2:O3']) sheet.mergeCells(range)
  const tick = (b: boolean) => (b ? '√' : null)
  rows.forEach((r, i) => {
    const continues = i > 0 && rows[i - 1]!.first === r.first
    sheet.addRow([i + 1, continues ? null : r.first, r.second, r.content, r.basis, r.timeLimit, r.department, r.channels, tick(r.public), r.group ? `√（${r.group}）` : null, tick(r.proactive), tick(r.onRequest), tick(r.county), tick(r.township), null])
  })
  // First-level cells merged down over their rows, as printed catalogs do.
  let start = 0
  for (let i = 1; i <= rows.length; i++) {
    if (i < rows.length && rows[i]!.first === rows[start]!.first) continue
    if (i - start > 1) sheet.mergeCells(start + 4, 2, i + 3, 2)
    start = i
  }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

/** Asserts the status; shows the body only when it is not the one expected. */
export function expectStatus(t: Test, res: { statusCode: number; body: string }, status: number) {
  t.equal(res.statusCode, status, res.statusCode === status ? `answers ${status}` : `answers ${status}, not: ${res.body.slice(0, 2000)}`)
}
