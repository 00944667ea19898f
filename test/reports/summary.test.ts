// The district office's view of a month: missing and late departments, counts, and the bound volume.
import ExcelJS from 'exceljs'
import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'
import { call, fullSections, submittedReport, writtenReport } from './builders.js'

async function fixture(t: any) {
  const ctx = await buildTestApp(t, { now: '2026-03-02T02:00:00Z' })
  const { app, clock } = ctx
  const admin = await userWith(app, 'admin')
  const current = await app.inject({ method: 'GET', url: '/v1/reports/settings', headers: bearer(admin.token) })
  const put = await app.inject({
    method: 'PUT',
    url: '/v1/reports/settings',
    headers: { ...bearer(admin.token), 'if-match': String(current.headers.etag) },
    payload: { dueRule: { type: 'nth_working_day_of_next_month', n: 5 }, departments: ['civil_affairs', 'education', 'finance', 'housing'], pilotPhases: [] },
  })
  if (put.statusCode !== 200) throw new Error(put.body)
  const editors = Object.fromEntries(await Promise.all(['civil_affairs', 'education', 'finance', 'housing', 'wulong_community'].map(async (d) => [d, (await userWith(app, 'editor', d)).token] as const)))
  // Due: 24:00 on Friday 6 March 2026.
  clock.set('2026-03-03T02:00:00Z')
  const civil = await submittedReport(app, editors.civil_affairs!, 'civil_affairs', '2026-02')
  await call(app, 'POST', `/v1/reports/${civil.id}/accept`, admin.token, {})
  const finance = await writtenReport(app, editors.finance!, 'finance', '2026-02')
  // A pilot community reports without having to.
  await submittedReport(app, editors.wulong_community!, 'wulong_community', '2026-02')
  clock.set('2026-03-09T02:00:00Z')
  const housing = await submittedReport(app, editors.housing!, 'housing', '2026-02')
  // education never reports.
  clock.set('2026-03-10T02:00:00Z')
  return { ...ctx, admin: admin.token, editors, ids: { civil: civil.id as string, finance: finance.id, housing: housing.id as string } }
}

t.test('the summary lists every department that must report, with missing and late ones', async (t) => {
  const { app, clock, admin, editors, ids } = await fixture(t)
  const res = await app.inject({ method: 'GET', url: '/v1/reports/summary?month=2026-02', headers: bearer(admin) })
  t.equal(res.statusCode, 200)
  const s = json(res)
  t.match(s, { type: 'monthly', period: '2026-02', from: '2026-02-01', to: '2026-02-28', dueDate: '2026-03-06', dueAt: '2026-03-06T16:00:00.000Z', dueDateProvisional: false })
  t.same(
    s.departments.map((d: any) => [d.departmentCode, d.required, d.status, d.late, d.reportId]),
    [
      ['civil_affairs', true, 'accepted', false, ids.civil],
      ['education', true, 'missing', true, null],
      ['finance', true, 'draft', true, ids.finance],
      ['housing', true, 'submitted', true, ids.housing],
      ['wulong_community', false, 'submitted', false, s.departments[4].reportId],
    ],
  )
  t.equal(s.departments[0].departmentName, '龙沙区民政局')
  t.same(s.counts, { expected: 4, missing: 1, draft: 1, submitted: 1, accepted: 1, returned: 0, onTime: 1, late: 3 })

  // Before the due date nobody is late yet.
  clock.set('2026-03-05T02:00:00Z')
  const before = json(await app.inject({ method: 'GET', url: '/v1/reports/summary?month=2026-02', headers: bearer(admin) }))
  t.same(before.departments.filter((d: any) => d.required).map((d: any) => d.late), [false, false, false, true], 'only housing, submitted on 9 March, is late')

  t.equal((await app.inject({ method: 'GET', url: '/v1/reports/summary?month=2026-02', headers: bearer(editors.finance!) })).statusCode, 403, 'departments do not see the summary')
  t.equal((await app.inject({ method: 'GET', url: '/v1/reports/summary', headers: bearer(admin) })).statusCode, 400, 'a month or a phase is required')
  t.equal((await app.inject({ method: 'GET', url: '/v1/reports/summary?month=2026-2', headers: bearer(admin) })).statusCode, 400)
  const auditor = (await userWith(app, 'auditor')).token
  t.equal((await app.inject({ method: 'GET', url: '/v1/reports/summary?month=2026-02', headers: bearer(auditor) })).statusCode, 200, 'auditors read it')
})

t.test('by default every office, bureau, centre and subdistrict must report, not the pilot units', async (t) => {
  const { app } = await buildTestApp(t, { now: '2026-03-10T02:00:00Z' })
  const admin = (await userWith(app, 'admin')).token
  const s = json(await app.inject({ method: 'GET', url: '/v1/reports/summary?month=2026-02', headers: bearer(admin) }))
  t.equal(s.counts.expected, 25, '21 district departments and 4 subdistricts')
  t.equal(s.counts.missing, 25)
  t.notOk(s.departments.some((d: any) => ['wulong_community', 'hubin_community', 'caihong_village', 'experimental_school'].includes(d.departmentCode)))
})

t.test('the month exports as a workbook with the Chinese section headers', async (t) => {
  const { app, admin } = await fixture(t)
  const res = await app.inject({ method: 'GET', url: '/v1/reports/export?month=2026-02&format=xlsx', headers: bearer(admin) })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /spreadsheetml/)
  t.match(res.headers['content-disposition'], /reports-2026-02\.xlsx/)
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(res.rawPayload as any)
  const sheet = workbook.getWorksheet('月度报告')!
  const headers = (sheet.getRow(1).values as unknown[]).slice(1)
  for (const h of ['单位', '状态', '是否逾期', '进展情况', '主要做法', '成果经验', '矛盾困难', '下一步建议', '发布公示']) t.ok(headers.includes(h), `header ${h}`)
  t.equal(headers.indexOf('进展情况') + 1, headers.indexOf('主要做法'), 'the sections in the plan\'s order')
  const column = (name: string) => headers.indexOf(name) + 1
  const rows = [2, 3, 4, 5, 6].map((i) => sheet.getRow(i))
  t.same(
    rows.map((r) => [r.getCell(column('单位代码')).value, r.getCell(column('状态')).value, r.getCell(column('是否逾期')).value]),
    [
      ['civil_affairs', '已审核通过', '否'],
      ['education', '未报送', '是'],
      ['finance', '草稿未报送', '是'],
      ['housing', '已报送', '是'],
      ['wulong_community', '已报送', '否'],
    ],
  )
  t.equal(rows[0]!.getCell(column('进展情况')).value, fullSections.progress)
  t.equal(rows[2]!.getCell(column('进展情况')).value, '', 'a draft is not yet a report')
  t.equal(rows[0]!.getCell(column('发布公示')).value, 0)
  const totals = workbook.getWorksheet('汇总')!
  t.same(totals.getRow(2).values, [undefined, '应报单位', 4])
})

t.test('the month exports as a bound Markdown volume', async (t) => {
  const { app, admin } = await fixture(t)
  const res = await app.inject({ method: 'GET', url: '/v1/reports/export?month=2026-02&format=markdown', headers: bearer(admin) })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/markdown/)
  const md = res.body
  t.match(md, /^# 政务公开工作月度报告汇编（2026年2月）\n/)
  t.match(md, /应报 4 个单位：已审核通过 1，已报送待审核 1，已退回修改 0，草稿未报送 1，未报送 1；逾期 3。/)
  t.match(md, /## 1\. 龙沙区民政局\n/)
  t.match(md, /## 2\. 龙沙区住房和城乡建设局\n/)
  t.match(md, /## 3\. 五龙街道新政社区\n/)
  t.match(md, /### 进展情况\n\n> 完成冬春生活救助对象名单公示3批次。/)
  t.match(md, /- 龙沙区教育局（education）：未报送，已逾期/)
  t.match(md, /- 龙沙区财政局（finance）：草稿未报送，已逾期/)
})
