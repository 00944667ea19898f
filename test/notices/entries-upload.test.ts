// A notice's list uploaded as a spreadsheet: CSV in the encodings Excel writes, or XLSX; headers named
// by the declared columns' labels or keys; every bad cell reported at once and nothing written; the
// same guards as the JSON upload; and the public still sees only masked data.
import ExcelJS from 'exceljs'
import t from 'tap'
import { encodeText } from '../../src/lib/spreadsheet/text.js'
import { xlsxMediaType } from '../../src/lib/spreadsheet/read.js'
import { buildTestApp, json, type TestApp } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'
import { families, noticeBody, staffOf } from './builders.js'

/** A draft housing notice with the family columns; its id and ETag. */
async function draft(ctx: TestApp, editor: string) {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(editor), payload: noticeBody() })
  if (res.statusCode !== 201) throw new Error(res.body)
  return { id: json(res).id as string, etag: String(res.headers.etag) }
}

function upload(ctx: TestApp, token: string, notice: { id: string; etag: string }, contentType: string, body: Buffer | string) {
  return ctx.app.inject({ method: 'PUT', url: `/v1/notices/${notice.id}/entries`, headers: { ...bearer(token), 'if-match': notice.etag, 'content-type': contentType }, payload: body })
}

/** The stored rows, unmasked (a reviewer of the department holds read:private). */
async function rawEntries(ctx: TestApp, reviewer: string, id: string) {
  const res = await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}/entries?raw=true`, headers: bearer(reviewer) })
  return json(res).items.map((e: { data: unknown }) => e.data)
}

// The two families of builders.ts, as a district office's sheet has them: a title line, a 序号 column,
// Chinese labels, amounts with 元.
const sheetRows = [
  ['住房租赁补贴家庭名单'],
  ['序号', '申请人', '身份证号', '联系电话', '住址', '家庭人口', '月补贴金额'],
  ['1', '张三明', '230202198003151238', '13812345678', '龙沙区五龙街道新政社区3号楼2单元101', '3', '420元'],
  ['2', '李娜', '23020219900101156x', '139 9876 5432', '龙沙区湖滨街道明月社区8号', '２', '380.00'],
]
const csvOf = (rows: string[][]) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n'
const expected = families.map((f) => ({ ...f }))

t.test('a UTF-8 CSV (no BOM) with Chinese labels, a title line and a 序号 column replaces the list', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'housing')
  const notice = await draft(ctx, staff.editor)
  const res = await upload(ctx, staff.editor, notice, 'text/csv', Buffer.from(csvOf(sheetRows), 'utf8'))
  t.equal(res.statusCode, 200, res.body)
  t.equal(json(res).entryCount, 2)
  t.not(res.headers.etag, notice.etag, 'a new version')
  t.same(await rawEntries(ctx, staff.reviewer, notice.id), expected, 'typed as the columns say: ID numbers upper-cased, phones without spaces, full-width digits and 元 read')
  const auditor = await userWith(ctx.app, 'auditor')
  const audit = json(await ctx.app.inject({ method: 'GET', url: '/v1/audit?action=notice.entries.upload', headers: bearer(auditor.token) }))
  t.match(audit.items, [{ targetId: notice.id, details: { rows: 2, format: 'csv', encoding: 'utf-8' } }])
})

t.test('a UTF-8 CSV with a BOM, headed by the column keys, is read alike', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'housing')
  const notice = await draft(ctx, staff.editor)
  const keys = ['name', 'id_number', 'phone', 'address', 'household_size', 'subsidy']
  const rows = [keys, ...families.map((f) => keys.map((k) => String(f[k as keyof typeof f])))]
  const res = await upload(ctx, staff.editor, notice, 'text/csv', encodeText(csvOf(rows), 'utf-8', true))
  t.equal(res.statusCode, 200, res.body)
  t.same(await rawEntries(ctx, staff.reviewer, notice.id), expected)
})

t.test('a GBK CSV is read by its charset parameter, and detected without one', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'housing')
  const gbk = encodeText(csvOf(sheetRows), 'gbk')
  const declared = await draft(ctx, staff.editor)
  const res = await upload(ctx, staff.editor, declared, 'text/csv; charset=gbk', gbk)
  t.equal(res.statusCode, 200, res.body)
  t.same(await rawEntries(ctx, staff.reviewer, declared.id), expected)
  const detected = await draft(ctx, staff.editor)
  t.equal((await upload(ctx, staff.editor, detected, 'text/csv', gbk)).statusCode, 200)
  t.same(await rawEntries(ctx, staff.reviewer, detected.id), expected)
  const unknown = await upload(ctx, staff.editor, detected, 'text/csv; charset=big5', gbk)
  t.equal(unknown.statusCode, 400)
  t.match(json(unknown).detail, /charset big5 is not supported/)
})

t.test('an XLSX workbook (its first sheet, numbers as numbers) replaces the list', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'housing')
  const notice = await draft(ctx, staff.editor)
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('名单')
  sheet.addRow(['住房租赁补贴家庭名单'])
  sheet.mergeCells(1, 1, 1, 6)
  sheet.addRow(['申请人', '身份证号', '联系电话', '住址', '家庭人口', '月补贴金额'])
  for (const f of families) sheet.addRow([f.name, f.id_number, f.phone, f.address, f.household_size, f.subsidy])
  workbook.addWorksheet('说明').addRow(['not read'])
  const res = await upload(ctx, staff.editor, notice, xlsxMediaType, Buffer.from(await workbook.xlsx.writeBuffer()))
  t.equal(res.statusCode, 200, res.body)
  t.same(await rawEntries(ctx, staff.reviewer, notice.id), expected)

  const broken = await upload(ctx, staff.editor, { ...notice, etag: String(res.headers.etag) }, xlsxMediaType, Buffer.from('not a workbook'))
  t.equal(broken.statusCode, 400)
  t.match(json(broken).detail, /XLSX file cannot be read/)
})

t.test('every bad cell is reported at once, with its row and column, and nothing is written', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'housing')
  const notice = await draft(ctx, staff.editor)
  const rows = [
    sheetRows[1]!,
    ['1', '张三明', '2302021980031512', '13812345678', '龙沙区', 'three', '420'],
    ['2', '李娜', '23020219900101156X', '13998765432', '龙沙区', '2', '380'],
    ['', '', '', '', '', '', ''],
    ['4', '王五', '2.30202E+17', 'call me', '龙'.repeat(501), '1', 'about 300'],
  ]
  const res = await upload(ctx, staff.editor, notice, 'text/csv', csvOf(rows))
  t.equal(res.statusCode, 422, res.body)
  const problem = json(res)
  t.equal(problem.type, '/problems/unprocessable-content')
  t.same(
    problem.errors.map((e: { pointer: string }) => e.pointer),
    ['/body/2/身份证号', '/body/2/家庭人口', '/body/5/身份证号', '/body/5/联系电话', '/body/5/住址', '/body/5/月补贴金额'],
  )
  t.match(problem.errors[0].message, /^row 2, column C \(身份证号\): must be an 18-digit resident ID number/)
  t.match(problem.errors[1].message, /^row 2, column F \(家庭人口\): "three" is not a whole number/)
  t.match(problem.errors[2].message, /Excel turned into a number/)
  t.match(problem.errors[4].message, /column E \(住址\): is longer than 500 characters/)
  t.match(problem.detail, /6 problem\(s\) in 2 row\(s\); nothing was written/)
  const after = await ctx.app.inject({ method: 'GET', url: `/v1/notices/${notice.id}`, headers: bearer(staff.editor) })
  t.equal(json(after).entryCount, 0, 'nothing written')
  t.equal(after.headers.etag?.toString().includes('-v1'), true, 'the version is unchanged')
})

t.test('a column the kind must not publish is refused by name, as is a column not declared', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'housing')
  const notice = await draft(ctx, staff.editor)
  const rows = [
    ['申请人', '身份证号', '银行卡号', '残疾等级', '备注'],
    ['张三明', '230202198003151238', '6222020200112233445', '二级', ''],
  ]
  const res = await upload(ctx, staff.editor, notice, 'text/csv', csvOf(rows))
  t.equal(res.statusCode, 422)
  const errors = json(res).errors as { pointer: string; message: string }[]
  t.same(errors.map((e) => e.pointer), ['/body/1/银行卡号', '/body/1/残疾等级', '/body/1/备注'])
  t.match(errors[0]!.message, /column C \(银行卡号\): holds bank account information, which a notice must not publish/)
  t.match(errors[1]!.message, /holds disability information/)
  t.match(errors[2]!.message, /is not a declared column of this notice/)

  const noHeader = await upload(ctx, staff.editor, notice, 'text/csv', csvOf([['a', 'b'], ['1', '2']]))
  t.equal(noHeader.statusCode, 422)
  t.match(json(noHeader).errors[0].message, /no header row naming the notice's columns/)
})

t.test('uploads follow the JSON upload’s rules: own department, drafts only, If-Match, size', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'housing')
  const notice = await draft(ctx, staff.editor)
  const csv = csvOf(sheetRows)
  const other = await userWith(ctx.app, 'editor', 'finance')
  t.equal((await upload(ctx, other.token, notice, 'text/csv', csv)).statusCode, 403, "another department's editor")
  t.equal((await ctx.app.inject({ method: 'PUT', url: `/v1/notices/${notice.id}/entries`, headers: { 'content-type': 'text/csv' }, payload: csv })).statusCode, 401)
  const noTag = await ctx.app.inject({ method: 'PUT', url: `/v1/notices/${notice.id}/entries`, headers: { ...bearer(staff.editor), 'content-type': 'text/csv' }, payload: csv })
  t.equal(noTag.statusCode, 428)
  t.equal((await upload(ctx, staff.editor, { ...notice, etag: '"notice-stale-v9"' }, 'text/csv', csv)).statusCode, 412)
  t.equal((await upload(ctx, staff.editor, notice, 'application/pdf', 'x')).statusCode, 415)

  const tooLong = [sheetRows[1]!, ...Array.from({ length: 20_001 }, (_, i) => [String(i + 1), '张三', '230202198003151238', '', '', '1', '1'])]
  const big = await upload(ctx, staff.editor, notice, 'text/csv', csvOf(tooLong))
  t.equal(big.statusCode, 413)
  t.equal(json(big).type, '/problems/payload-too-large')

  const submitted = await upload(ctx, staff.editor, notice, 'text/csv', csv)
  t.equal(submitted.statusCode, 200)
  const after = await ctx.app.inject({ method: 'POST', url: `/v1/notices/${notice.id}/submit`, headers: bearer(staff.editor), payload: {} })
  t.equal(after.statusCode, 200)
  const current = await ctx.app.inject({ method: 'GET', url: `/v1/notices/${notice.id}`, headers: bearer(staff.editor) })
  const late = await upload(ctx, staff.editor, { ...notice, etag: String(current.headers.etag) }, 'text/csv', csv)
  t.equal(late.statusCode, 409, 'a submitted notice is no longer editable')
})

t.test('an uploaded list is masked in every public response once published', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'housing')
  const notice = await draft(ctx, staff.editor)
  t.equal((await upload(ctx, staff.editor, notice, 'text/csv; charset=gbk', encodeText(csvOf(sheetRows), 'gbk'))).statusCode, 200)
  for (const [action, token] of [['submit', staff.editor], ['approve', staff.reviewer], ['publish', staff.editor]] as const) {
    t.equal((await ctx.app.inject({ method: 'POST', url: `/v1/notices/${notice.id}/${action}`, headers: bearer(token), payload: {} })).statusCode, 200, action)
  }
  const detail = json(await ctx.app.inject({ method: 'GET', url: `/v1/notices/${notice.id}` }))
  t.same(detail.entries, [
    { name: '张*明', id_number: '23*************238', phone: '138****5678', address: '龙沙区五龙街道', household_size: 3, subsidy: 420 },
    { name: '李*', id_number: '23*************56X', phone: '139****5432', address: '龙沙区湖滨街道', household_size: 2, subsidy: 380 },
  ])
  const page = json(await ctx.app.inject({ method: 'GET', url: `/v1/notices/${notice.id}/entries` }))
  t.same(page.items.map((e: { data: unknown }) => e.data), detail.entries)
  // The test helper also scans every anonymous response of this test for unmasked ID numbers and phones.
})
