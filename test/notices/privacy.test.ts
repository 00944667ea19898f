// Personal data in notices: masked in every public response, refused when sensitive, removed from
// public view when its retention ends, and readable raw only by entitled staff, with an audit row.
import t from 'tap'
import { unmaskedPatterns } from '../../src/lib/masking.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'
import { families, noticeBody, publishedNotice, staffOf } from './builders.js'

t.test('public responses mask names, ID numbers, phones and addresses with the one policy', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-26T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const id = await publishedNotice(ctx, staff)
  const n = json(await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}` }))
  t.same(n.entries, [
    { name: '张*明', id_number: '23*************238', phone: '138****5678', address: '龙沙区五龙街道', household_size: 3, subsidy: 420 },
    { name: '李*', id_number: '23*************56X', phone: '139****5432', address: '龙沙区湖滨街道', household_size: 2, subsidy: 380 },
  ])
  const page = json(await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}/entries?limit=1` }))
  t.same(page.items[0].data, n.entries[0], 'the same mask on every page')
  t.equal(page.masked, true)
  const staffView = json(await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}`, headers: bearer(staff.editor) }))
  t.same(staffView.entries, n.entries, 'staff see masked data unless they ask for raw')
})

t.test('raw data needs read:private on the department, and every raw read is audited', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-26T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const id = await publishedNotice(ctx, staff)
  t.equal((await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}/entries?raw=true` })).statusCode, 401)
  t.equal((await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}/entries?raw=true`, headers: bearer(staff.editor) })).statusCode, 403, 'editors lack read:private')
  const otherReviewer = await userWith(ctx.app, 'reviewer', 'finance')
  t.equal((await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}/entries?raw=true`, headers: bearer(otherReviewer.token) })).statusCode, 403, 'another department')
  const raw = await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}/entries?raw=true`, headers: { ...bearer(staff.reviewer), 'x-request-id': 'raw-read-0001' } })
  t.equal(raw.statusCode, 200)
  t.same(json(raw).items.map((e: any) => e.data.id_number), [families[0]!.id_number, families[1]!.id_number])
  const auditor = await userWith(ctx.app, 'auditor')
  const audit = json(await ctx.app.inject({ method: 'GET', url: `/v1/audit?action=notice.entries.read_raw`, headers: bearer(auditor.token) }))
  t.match(audit.items, [{ targetId: id, requestId: 'raw-read-0001', details: { rows: 2 } }])
})

t.test('bank account, health and disability columns are refused at upload, naming them', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'civil_affairs')
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/notices',
    headers: bearer(staff.editor),
    payload: noticeBody({
      departmentCode: 'civil_affairs',
      domainCode: 'disaster_relief',
      columns: [
        { key: 'name', label: '姓名', type: 'name', public: true },
        { key: 'bank_account', label: '银行卡号', type: 'text', public: true },
        { key: 'illness', label: '患病情况', type: 'text', public: true },
        { key: 'disability_level', label: '残疾等级', type: 'text', public: true },
      ],
    }),
  })
  t.equal(res.statusCode, 422)
  const errors = json(res).errors
  t.same(errors.map((e: any) => e.pointer), ['/body/columns/1', '/body/columns/2', '/body/columns/3'])
  t.match(errors[0].message, /bank account/)
  t.match(errors[1].message, /health/)
  t.match(errors[2].message, /disability/)
})

t.test('entries are checked against the declared columns; any bad row rejects the upload whole', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'housing')
  const created = await ctx.app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(staff.editor), payload: noticeBody() })
  const id = json(created).id
  const bad = [families[0], { ...families[1], id_number: '12345', household_size: 'two' }, { ...families[0], colour: 'red' }]
  const res = await ctx.app.inject({ method: 'PUT', url: `/v1/notices/${id}/entries`, headers: { ...bearer(staff.editor), 'if-match': String(created.headers.etag) }, payload: { entries: bad } })
  t.equal(res.statusCode, 422)
  t.same(json(res).errors.map((e: any) => e.pointer).sort(), ['/body/entries/1/household_size', '/body/entries/1/id_number', '/body/entries/2/colour'])
  t.equal(json(await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}`, headers: bearer(staff.editor) })).entryCount, 0, 'nothing written')
})

t.test('an ID number whose check character does not match is refused, naming the row', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'housing')
  const created = await ctx.app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(staff.editor), payload: noticeBody() })
  const id = json(created).id
  // One digit mistyped, and what a spreadsheet keeps of an 18-digit number stored as a float (15
  // significant digits, then zeros; the check catches such a number 10 times in 11).
  const mistyped = { ...families[0], id_number: '230202198003151288' }
  const floated = { ...families[1], id_number: '230202199001011000' }
  const res = await ctx.app.inject({ method: 'PUT', url: `/v1/notices/${id}/entries`, headers: { ...bearer(staff.editor), 'if-match': String(created.headers.etag) }, payload: { entries: [families[0], mistyped, floated] } })
  t.equal(res.statusCode, 422)
  t.same(json(res).errors.map((e: any) => e.pointer), ['/body/entries/1/id_number', '/body/entries/2/id_number'])
  t.match(json(res).errors[0].message, /check character/)
  const fifteen = { ...families[0], id_number: '230202800315123' }
  const ok = await ctx.app.inject({ method: 'PUT', url: `/v1/notices/${id}/entries`, headers: { ...bearer(staff.editor), 'if-match': String(created.headers.etag) }, payload: { entries: [families[0], families[1], fifteen] } })
  t.equal(ok.statusCode, 200, 'valid 18-digit numbers (one ending in X) and a first-generation 15-digit number pass')
})

t.test('when the period ends the list leaves public responses; the summary and counts stay', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-26T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const id = await publishedNotice(ctx, staff)
  ctx.clock.set('2025-10-09T16:00:01Z')
  const n = json(await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}` }))
  t.match(n, { status: 'period_ended', entries: null, entriesWithdrawn: true, entryCount: 2, title: '住房租赁补贴家庭名单公示' })
  t.equal((await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}/entries` })).statusCode, 404)
  const raw = await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}/entries?raw=true`, headers: bearer(staff.reviewer) })
  t.equal(raw.statusCode, 404, 'nor, with no objection open, is it kept raw (PIPL art. 47: deleted once its retention ends)')
})

t.test('a long-term list stays public with its reduced columns only', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-26T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'civil_affairs')
  const id = await publishedNotice(ctx, staff, { departmentCode: 'civil_affairs', domainCode: 'disaster_relief', retention: { type: 'long_term', columns: ['address', 'household_size'] } })
  ctx.clock.set('2026-06-01T00:00:00Z')
  const n = json(await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}` }))
  t.same(n.entries, [{ address: '龙沙区五龙街道', household_size: 3 }, { address: '龙沙区湖滨街道', household_size: 2 }])
})

t.test('drafts are invisible to the public and to other departments', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'housing')
  const other = await staffOf(ctx.app, 'finance')
  const id = json(await ctx.app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(staff.editor), payload: noticeBody() })).id
  t.equal((await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}` })).statusCode, 404)
  t.equal((await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}`, headers: bearer(other.editor) })).statusCode, 404)
  t.equal((await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}`, headers: bearer(staff.reviewer) })).statusCode, 200)
  t.same(json(await ctx.app.inject({ method: 'GET', url: '/v1/notices' })).items, [])
  t.equal(json(await ctx.app.inject({ method: 'GET', url: '/v1/notices', headers: bearer(staff.editor) })).items.length, 1)
  const editByOther = await ctx.app.inject({ method: 'PATCH', url: `/v1/notices/${id}`, headers: { ...bearer(other.editor), 'if-match': '*' }, payload: { title: 'x' } })
  t.equal(editByOther.statusCode, 403)
})

t.test('public lists: in publicity now, ending soon, recently concluded; ETag and 304', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-11-03T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'civil_affairs')
  const a = await publishedNotice(ctx, staff, { departmentCode: 'civil_affairs', domainCode: 'disaster_relief', title: 'A' })
  ctx.clock.set('2025-11-06T02:00:00Z')
  const b = await publishedNotice(ctx, staff, { departmentCode: 'civil_affairs', domainCode: 'disaster_relief', title: 'B' })
  ctx.clock.set('2025-11-11T02:00:00Z') // A ended on 10 Nov 24:00, B runs until 13 Nov
  const inPublicity = json(await ctx.app.inject({ method: 'GET', url: '/v1/notices?status=in_publicity' }))
  t.same(inPublicity.items.map((n: any) => n.id), [b])
  t.notOk('entries' in inPublicity.items[0], 'list items carry no entries')
  const ended = json(await ctx.app.inject({ method: 'GET', url: '/v1/notices?status=period_ended' }))
  t.same(ended.items.map((n: any) => n.id), [a])
  const endingSoon = json(await ctx.app.inject({ method: 'GET', url: '/v1/notices?endingWithinDays=3' }))
  t.same(endingSoon.items.map((n: any) => n.id), [b])
  await ctx.app.inject({ method: 'POST', url: `/v1/notices/${a}/conclude`, headers: bearer(staff.editor), payload: { outcome: 'no_objection' } })
  t.same(json(await ctx.app.inject({ method: 'GET', url: '/v1/notices?concludedWithinDays=1' })).items.map((n: any) => n.id), [a])
  t.same(json(await ctx.app.inject({ method: 'GET', url: '/v1/notices?domain=affordable_housing' })).items, [])
  const first = await ctx.app.inject({ method: 'GET', url: `/v1/notices/${b}` })
  const again = await ctx.app.inject({ method: 'GET', url: `/v1/notices/${b}`, headers: { 'if-none-match': String(first.headers.etag) } })
  t.equal(again.statusCode, 304)
  ctx.clock.set('2025-11-12T02:00:00Z')
  const nextDay = await ctx.app.inject({ method: 'GET', url: `/v1/notices/${b}`, headers: { 'if-none-match': String(first.headers.etag) } })
  t.equal(nextDay.statusCode, 200, 'days remaining changed, so the representation did')
})

t.test('no public response carries an unmasked ID number or mobile number', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-26T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const id = await publishedNotice(ctx, staff)
  const { receipt } = json(await ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/objections`, payload: { name: '赵强', contact: '13800001234', reason: '名单中第1户收入超标。', channel: 'portal' } }))
  const urls = ['/v1/notices', `/v1/notices/${id}`, `/v1/notices/${id}/entries`, `/v1/objections/${receipt}`, '/v1/notices?status=in_publicity']
  for (const url of urls) {
    const body = (await ctx.app.inject({ method: 'GET', url })).body
    t.notMatch(body, unmaskedPatterns.idNumber, `${url}: no ID number`)
    t.notMatch(body, unmaskedPatterns.mobile, `${url}: no mobile number`)
  }
  t.match(JSON.stringify(families), unmaskedPatterns.idNumber, 'the scan would see one (control)')
})

t.test('the ETag a client reads is the one it sends back in If-Match', async (t) => {
  const ctx = await buildTestApp(t)
  const staff = await staffOf(ctx.app, 'housing')
  const id = json(await ctx.app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(staff.editor), payload: noticeBody() })).id
  const read = await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}`, headers: bearer(staff.editor) })
  const edited = await ctx.app.inject({ method: 'PATCH', url: `/v1/notices/${id}`, headers: { ...bearer(staff.editor), 'if-match': String(read.headers.etag) }, payload: { title: '新标题' } })
  t.equal(edited.statusCode, 200)
  const stale = await ctx.app.inject({ method: 'PATCH', url: `/v1/notices/${id}`, headers: { ...bearer(staff.editor), 'if-match': String(read.headers.etag) }, payload: { title: '又一个标题' } })
  t.equal(stale.statusCode, 412, 'the same tag again is stale')
})

t.test('after its retention ends (and no objection is open) an unmasked list is anonymised: raw reads refused, masked entries and counts kept', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-09-26T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const id = await publishedNotice(ctx, staff)
  const raw = () => ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}/entries?raw=true`, headers: bearer(staff.reviewer) })
  t.equal((await raw()).statusCode, 200, 'readable raw during the period')
  const objected = await ctx.app.inject({ method: 'POST', url: `/v1/notices/${id}/objections`, remoteAddress: '127.0.4.1', payload: { name: '赵强', contact: 'zq@example.com', reason: '名单中有不符合条件的家庭。', channel: 'portal' } })
  t.equal(objected.statusCode, 201)
  ctx.clock.set('2025-10-20T02:00:00Z') // the 7-day period (and the default retention) ended long ago
  t.equal((await raw()).statusCode, 200, 'an undecided objection keeps the record raw for entitled staff: it is decided on the real data')
  const resolved = await ctx.app.inject({ method: 'POST', url: `/v1/objections/${json(objected).receipt}/resolve`, headers: bearer(staff.reviewer), payload: { outcome: 'rejected', reply: '经核查，异议不成立。' } })
  t.equal(resolved.statusCode, 200)
  const after = await raw()
  t.equal(after.statusCode, 404)
  t.match(json(after).detail, /PIPL art\. 47/)
  t.equal((await raw()).statusCode, 404, 'and stays so')
  const { noticeEntries } = await import('../../src/modules/notices/tables.js')
  const stored = await ctx.app.db.select().from(noticeEntries)
  t.same(stored.map((e) => e.data.id_number), ['23*************238', '23*************56X'], 'the stored list holds masked data only')
  t.same(stored.map((e) => e.data.address), ['龙沙区五龙街道', '龙沙区湖滨街道'])
  const summary = json(await ctx.app.inject({ method: 'GET', url: `/v1/notices/${id}`, headers: bearer(staff.editor) }))
  t.equal(summary.entryCount, 2, 'the counts stay')
})
