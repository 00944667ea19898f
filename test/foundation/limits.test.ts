// The README's "Limits", each answered by a 4xx problem: spreadsheets that would inflate, extend or
// merge past what the server reads (zip bombs, a cell at XFD1048576, a merge A1:SF5000 — refused from
// the file's own directory and references, quickly and with flat memory), over-long CSV lines and
// cells, cells with characters no field accepts, forged cursors, CSV formula injection, and
// download names that are not plain ASCII.
import zlib from 'node:zlib'
import ExcelJS from 'exceljs'
import t from 'tap'
import { attachment } from '../../src/http/content-disposition.js'
import { encodeCursor } from '../../src/lib/cursor.js'
import { MAX_CSV_LINE, neutraliseFormula, parseCsv, restoreFormula } from '../../src/lib/spreadsheet/csv.js'
import { inflateEntry, zipDirectory } from '../../src/lib/spreadsheet/zip.js'
import { parseTimeLimit, parseWording } from '../../src/modules/catalog/layout-time.js'
import { buildTestApp, json } from '../helpers/app.js'
import { tokenFor } from '../helpers/auth.js'
import { csvOf, reliefHeader, reliefRow, upload as uploadAs, type UploadOptions } from '../catalog-bulk/builders.js'

/** An upload by the civil affairs bureau's editor, into its own department. */
const upload = (app: any, token: string, body: unknown[] | string | Buffer, options: UploadOptions = {}) =>
  uploadAs(app, token, body, { ...options, query: options.query ?? 'department=civil_affairs' })

interface Entry {
  name: string
  data: Buffer
  /** Deflate the data (default) or store it. */
  store?: boolean
  /** The uncompressed size the directory claims (default: the real one). */
  declaredSize?: number
}

/** A ZIP file, written by hand so that its directory can lie. */
function zipOf(entries: Entry[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    const name = Buffer.from(e.name)
    const body = e.store ? e.data : zlib.deflateRawSync(e.data)
    const size = e.declaredSize ?? e.data.length
    const crc = zlib.crc32(e.data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(e.store ? 0 : 8, 8)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(body.length, 18)
    local.writeUInt32LE(size, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(e.store ? 0 : 8, 10)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(body.length, 20)
    central.writeUInt32LE(size, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, body)
    centrals.push(central, name)
    offset += local.length + name.length + body.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

/** A real workbook's parts (written by exceljs), to edit and zip again. */
async function workbookParts(fill: (sheet: ExcelJS.Worksheet) => void): Promise<Entry[]> {
  const workbook = new ExcelJS.Workbook()
  fill(workbook.addWorksheet('目录'))
  const bytes = Buffer.from(await workbook.xlsx.writeBuffer())
  return zipDirectory(bytes, { entries: 100, inflatedBytes: 1e8 }).map((e) => ({ name: e.name, data: Buffer.from(inflateEntry(bytes, e)) }))
}

const memoryBefore = () => {
  global.gc?.()
  return process.memoryUsage().rss
}

let shared: Promise<{ app: Awaited<ReturnType<typeof buildTestApp>>['app']; token: string }> | undefined
function appAndEditor() {
  shared ??= buildTestApp(t).then(async ({ app }) => ({ app, token: await tokenFor(app, 'editor', 'civil_affairs') }))
  return shared
}

const problem = (t: any, res: any, status: number) => {
  t.equal(res.statusCode, status, res.body.slice(0, 300))
  t.match(res.headers['content-type'], /application\/problem\+json/)
  return json(res)
}

t.test('a zip bomb whose directory declares 1.5 GB is a 413 problem before anything is inflated', async (t) => {
  const { app, token } = await appAndEditor()
  const bomb = zipOf([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(1024), declaredSize: 1_500_000_000 }])
  const before = memoryBefore()
  const body = problem(t, await upload(app, token, bomb), 413)
  t.match(body.detail, /inflates to more than 128 MB/)
  t.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'memory stays flat')
})

t.test('a zip bomb that lies about its size is stopped at the size it declares (413)', async (t) => {
  const { app, token } = await appAndEditor()
  // 300 MB of zeros deflates to ~300 KB; the directory claims 1 KB.
  const zeros = Buffer.alloc(300 * 1024 * 1024)
  const bomb = zipOf([{ name: 'xl/worksheets/sheet1.xml', data: zeros, declaredSize: 1024 }])
  const before = memoryBefore()
  const body = problem(t, await upload(app, token, bomb), 413)
  t.match(body.detail, /inflates to more than the 1024 bytes it declares/)
  t.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'memory stays flat: inflation stopped at the ceiling')
})

t.test('an archive with more than 1,000 entries is a 413 problem', async (t) => {
  const { app, token } = await appAndEditor()
  const many = zipOf(Array.from({ length: 1001 }, (_, i) => ({ name: `f${i}.xml`, data: Buffer.from('x'), store: true })))
  problem(t, await upload(app, token, many), 413)
})

t.test('bytes that are not a ZIP archive are a 400 problem', async (t) => {
  const { app, token } = await appAndEditor()
  problem(t, await upload(app, token, Buffer.from('PK not really a zip file at all')), 400)
  const damaged = zipOf([{ name: 'xl/workbook.xml', data: Buffer.from('<x/>') }])
  damaged.writeUInt32LE(0, 0) // the local header's signature
  problem(t, await upload(app, token, damaged), 400)
})

t.test('a sheet with one cell at XFD1048576 is a 413 problem, from its cell references alone', async (t) => {
  const { app, token } = await appAndEditor()
  const parts = await workbookParts((sheet) => {
    sheet.getCell('A1').value = '事项编码'
    sheet.getCell('XFD1048576').value = 'x'
  })
  const bytes = zipOf(parts)
  t.ok(bytes.length < 10_000, 'a small file')
  const before = memoryBefore()
  const body = problem(t, await upload(app, token, bytes), 413)
  t.match(body.detail, /reaches XFD1048576/)
  t.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'memory stays flat')
})

t.test('a sheet with one merge A1:SF5000 is a 413 problem before any cell is filled', async (t) => {
  const { app, token } = await appAndEditor()
  const parts = await workbookParts((sheet) => {
    sheet.getCell('A1').value = '事项编码'
  })
  const sheet = parts.find((p) => p.name === 'xl/worksheets/sheet1.xml')!
  sheet.data = Buffer.from(sheet.data.toString('utf8').replace('</sheetData>', '</sheetData><mergeCells count="1"><mergeCell ref="A1:SF5000"/></mergeCells>'))
  const bytes = zipOf(parts)
  t.ok(bytes.length < 10_000, 'a small file')
  const before = memoryBefore()
  const body = problem(t, await upload(app, token, bytes), 413)
  t.match(body.detail, /A1|SF5000|cells/)
  t.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'memory stays flat')
})

t.test('an XLSX cell with a NUL is a 422 problem naming its row and column', async (t) => {
  const { app, token } = await appAndEditor()
  const parts = await workbookParts((sheet) => {
    sheet.getCell('A1').value = '事项编码'
    sheet.getCell('C2').value = 'PLACEHOLDER'
  })
  const shared = parts.find((p) => p.name === 'xl/sharedStrings.xml')
  const target = shared ?? parts.find((p) => p.name === 'xl/worksheets/sheet1.xml')!
  target.data = Buffer.from(target.data.toString('utf8').replace('PLACEHOLDER', 'a&#xD800;b'))
  const res = await upload(app, token, zipOf(parts))
  // A lone surrogate escape is either refused by the XML reader (400) or reaches the cell check (422).
  t.ok([400, 422].includes(res.statusCode), `refused (${res.statusCode})`)
  if (res.statusCode === 422) t.equal(json(res).errors[0].pointer, '/body/2/C')
})

t.test('a CSV cell with a NUL or longer than 32,767 characters is a 422 problem naming its row and column', async (t) => {
  const { app, token } = await appAndEditor()
  const nul = problem(t, await upload(app, token, csvOf([reliefHeader, reliefRow('', '王五\u0000')])), 422)
  t.same(nul.errors, [{ pointer: '/body/2/D', message: 'row 2, column D holds a NUL character, which no text field accepts' }])
  const long = problem(t, await upload(app, token, csvOf([reliefHeader, reliefRow('', '一'.repeat(120_000))])), 422)
  t.match(long.errors[0], { pointer: '/body/2/D', message: /longer than 32,767 characters/ })
})

t.test('a CSV line longer than 1 MiB is a 400 problem', async (t) => {
  const { app, token } = await appAndEditor()
  const line = Array.from({ length: 40 }, () => 'x'.repeat(30_000)).join(',')
  t.ok(line.length > MAX_CSV_LINE)
  const body = problem(t, await upload(app, token, `${reliefHeader.join(',')}\r\n${line}\r\n`), 400)
  t.match(body.detail, /line 2 is longer than/)
})

t.test('a 120 KB time-limit wording is parsed in linear time, and never cached', async (t) => {
  // Quadratic patterns took seconds for 120 KB (billions of steps); these finish long before the test's timeout.
  for (const text of ['一'.repeat(120_000), `在${'一'.repeat(120_000)}`, '前一'.repeat(60_000), `每年${'一'.repeat(120_000)}`, '起一'.repeat(60_000), `公示${'七'.repeat(120_000)}`]) {
    t.same(parseWording(text), { type: 'other' })
  }
  t.same(parseWording(`在组织听证${'一'.repeat(3)}7个工作日前`), { type: 'before', unit: 'working_day', length: 7, event: '组织听证一一一' })
  t.same(parseTimeLimit(`在组织听证会7个工作日前${'。'.repeat(600)}`), { type: 'other' }, 'over the wording limit: no rule, not parsed')
  t.same(parseTimeLimit('在组织听证会7个工作日前'), { type: 'before', unit: 'working_day', length: 7, event: '组织听证会' })
})

t.test('a JSON item with a 120 KB time limit is refused as the caller\'s error', async (t) => {
  const { app, token } = await appAndEditor()
  const item = {
    domain: 'disaster_relief',
    firstLevel: '受灾人员冬春生活救助',
    secondLevel: '救助对象',
    department: 'civil_affairs',
    timeLimit: { text: `在${'一'.repeat(120_000)}` },
  }
  const res = await upload(app, token, [item])
  t.ok(res.statusCode >= 400 && res.statusCode < 500, `a 4xx (${res.statusCode})`)
})

t.test('CSV cells that a spreadsheet would run as formulas are written with a leading quote and read back as they were', async (t) => {
  for (const value of ['=HYPERLINK("http://x","y")', '+1', '-2', '@SUM(A1)', '\tx', '\rx', '＝1', '＋1', '－1', '＠a', "'=x", "''+y"]) {
    t.equal(neutraliseFormula(value), `'${value}`, JSON.stringify(value))
    t.equal(restoreFormula(neutraliseFormula(value)), value)
    t.same(parseCsv(csvOf([[value]])).rows, [[value]], `round trip of ${JSON.stringify(value)}`)
  }
  for (const value of ['plain', "'quoted text", '1-2', 'a=b']) {
    t.equal(neutraliseFormula(value), value)
    t.same(parseCsv(csvOf([[value]])).rows, [[value]])
  }
})

t.test('a catalog export neutralises formulas, and importing it back changes nothing', async (t) => {
  const { app, token } = await appAndEditor()
  const created = await upload(app, token, csvOf([reliefHeader, reliefRow('', '=HYPERLINK("http://evil.example","点击")'), reliefRow('', '@cmd')]), { query: 'department=civil_affairs' })
  t.equal(created.statusCode, 200, created.body.slice(0, 300))
  const exported = await app.inject({ method: 'GET', url: '/v1/items/export?format=csv&department=civil_affairs' })
  t.equal(exported.statusCode, 200)
  const text = exported.rawPayload.toString('utf8')
  t.match(text, /"'=HYPERLINK\(""http:\/\/evil\.example"",""点击""\)"/)
  t.match(text, /,'@cmd,/)
  t.notMatch(text, /(^|,)=HYPERLINK/m, 'no cell starts with =')
  const again = await upload(app, token, exported.rawPayload, { contentType: 'text/csv; charset=utf-8', query: 'department=civil_affairs&dryRun=true' })
  t.equal(again.statusCode, 200, again.body.slice(0, 300))
  t.match(json(again).counts, { added: 0, changed: 0 })
})

t.test('forged cursors are a 400 problem, never a 500', async (t) => {
  const { app } = await appAndEditor()
  const forged = [encodeCursor([1e20, 'x']), encodeCursor([1, 'not-a-uuid']), encodeCursor([-1, '00000000-0000-4000-8000-000000000000']), encodeCursor(['1', 2] as never), Buffer.from('{"a":1}').toString('base64url'), 'x'.repeat(600), encodeCursor([1.5, '00000000-0000-4000-8000-000000000000'])]
  for (const path of ['/v1/posts', '/v1/notices', '/v1/departments', '/v1/items', '/v1/catalog/versions']) {
    for (const cursor of forged) {
      const res = await app.inject({ method: 'GET', url: `${path}?cursor=${encodeURIComponent(cursor)}` })
      t.equal(res.statusCode, 400, `${path} ${cursor.slice(0, 30)}`)
      t.match(res.headers['content-type'], /application\/problem\+json/)
    }
  }
  const ok = await app.inject({ method: 'GET', url: `/v1/posts?cursor=${encodeCursor([Date.parse('2026-01-01'), '00000000-0000-4000-8000-000000000000'])}` })
  t.equal(ok.statusCode, 200, 'a well-formed cursor is still read')
})

t.test('download names outside plain ASCII are sent as RFC 6266 filename*, with no way to inject a parameter', async (t) => {
  t.equal(attachment('catalog-v3.csv'), 'attachment; filename="catalog-v3.csv"')
  t.equal(attachment('目录-民政.csv'), `attachment; filename="__-__.csv"; filename*=UTF-8''%E7%9B%AE%E5%BD%95-%E6%B0%91%E6%94%BF.csv`)
  const injected = attachment('a"; filename="evil.exe.csv')
  t.equal(injected, `attachment; filename="a_; filename=_evil.exe.csv"; filename*=UTF-8''a%22%3B%20filename%3D%22evil.exe.csv`)
  t.equal(injected.split('"').length - 1, 2, 'exactly one quoted string')
  const { app } = await appAndEditor()
  const res = await app.inject({ method: 'GET', url: `/v1/items/export?format=csv&department=${encodeURIComponent('民政"局')}` })
  t.ok(res.statusCode < 500, `not a 500 (${res.statusCode})`)
})

t.test('an upload without a body is a 4xx problem, not a 500 (found by the fuzzer)', async (t) => {
  const { app, token } = await appAndEditor()
  const bulk = await app.inject({ method: 'POST', url: '/v1/items/bulk?department=civil_affairs', headers: { authorization: `Bearer ${token}` } })
  problem(t, bulk, 415)
  const { readTable } = await import('../../src/lib/spreadsheet/read.js')
  await t.rejects(readTable(undefined as never, 'xlsx'), /the request has no body/)
})
