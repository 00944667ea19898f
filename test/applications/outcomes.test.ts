// Every outcome of table 三 reached through a reviewed reply; the reply's review (author ≠ approver);
// reviews and lawsuits about an application; the pointer to proactively published information.
import t from 'tap'
import { seedDemoCatalog } from '../../src/modules/catalog/service.js'
import { outcomeRows } from '../../src/modules/applications/outcomes.js'
import { buildTestApp } from '../helpers/app.js'
import { caller, received, replied, staffOf } from './builders.js'

t.test('each outcome a reply can give is recorded as the row table 三 counts it', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-10-09T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const byReply = outcomeRows.filter((r) => r.reason !== 'no_correction' && r.reason !== 'fee_unpaid')
  t.equal(byReply.length, 19, '予以公开, 部分公开, 8 + 3 + 5 reasons, and 其他')
  for (const row of byReply) {
    const receipt = await received(ctx, staff.editor)
    const done = await replied(ctx, staff, receipt, { outcome: row.group, ...(row.reason ? { reason: row.reason } : {}) })
    t.match(done, { status: 'replied', overdue: false, outcome: { group: row.group, reason: row.reason, at: '2025-10-09T02:00:00.000Z' } }, row.key)
    t.ok(done.outcome.label.includes(row.label), `${row.key} is labelled ${row.label}`)
  }
})

t.test('a reply: reason must fit the outcome, the clock outcomes are not a reply, and the author cannot approve', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-10-09T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const call = caller(ctx)
  const receipt = await received(ctx, staff.editor)
  const base = { legalBasis: '条例第三十六条', document: '答复书', deliveryMethod: 'post' }
  t.equal((await call('PUT', `/v1/applications/${receipt}/reply`, staff.editor, { ...base, outcome: 'withheld' })).status, 422, 'withheld needs its reason')
  t.equal((await call('PUT', `/v1/applications/${receipt}/reply`, staff.editor, { ...base, outcome: 'disclosed', reason: 'state_secret' })).status, 422)
  t.equal((await call('PUT', `/v1/applications/${receipt}/reply`, staff.editor, { ...base, outcome: 'other', reason: 'fee_unpaid' })).status, 422)
  const saved = await call('PUT', `/v1/applications/${receipt}/reply`, staff.editor, { ...base, outcome: 'withheld', reason: 'third_party_rights' })
  t.equal(saved.status, 200)
  t.match(saved.body, { status: 'reply_in_review', reply: { outcome: 'withheld', reason: 'third_party_rights', review: { state: 'draft' } } })
  t.equal((await call('PUT', `/v1/applications/${receipt}/reply`, staff.editor, { ...base, outcome: 'disclosed' })).status, 428, 'an edit needs If-Match')
  t.equal((await call('PUT', `/v1/applications/${receipt}/reply`, staff.editor, { ...base, outcome: 'disclosed' }, { 'if-match': '"stale"' })).status, 412)
  const edited = await call('PUT', `/v1/applications/${receipt}/reply`, staff.editor, { ...base, outcome: 'partially_disclosed' }, { 'if-match': saved.headers.etag as string })
  t.equal(edited.status, 200)
  t.equal((await call('POST', `/v1/applications/${receipt}/reply/send`, staff.editor, {})).status, 409, 'only an approved reply is sent')
  t.equal((await call('POST', `/v1/applications/${receipt}/reply/submit`, staff.reviewer, {})).status, 200)
  t.equal((await call('POST', `/v1/applications/${receipt}/reply/reject`, staff.reviewer2, {})).status, 422, 'a rejection needs a comment')
  t.equal((await call('POST', `/v1/applications/${receipt}/reply/reject`, staff.reviewer2, { comment: '依据引用不全。' })).status, 200)
  t.equal((await call('POST', `/v1/applications/${receipt}/reply/submit`, staff.reviewer, {})).status, 200)
  // The reply's author is the editor who first wrote it.
  const own = await caller(ctx)('POST', `/v1/applications/${receipt}/reply/approve`, staff.editor, {})
  t.equal(own.status, 403)
  t.equal((await call('POST', `/v1/applications/${receipt}/reply/approve`, staff.reviewer, {})).status, 403, 'nor may whoever submitted it (four eyes)')
  t.equal((await call('POST', `/v1/applications/${receipt}/reply/approve`, staff.reviewer2, {})).status, 200)
  const sent = await call('POST', `/v1/applications/${receipt}/reply/send`, staff.editor, { deliveredAt: '2025-10-09T01:00:00Z' })
  t.match(sent.body, { status: 'replied', outcome: { group: 'partially_disclosed', reason: null }, reply: { deliveredAt: '2025-10-09T01:00:00.000Z', review: { state: 'published' } } })
  t.equal((await call('PUT', `/v1/applications/${receipt}/reply`, staff.editor, { ...base, outcome: 'disclosed' }, { 'if-match': '*' })).status, 409, 'a sent reply never changes')
  t.equal((await call('POST', `/v1/applications/${receipt}/reply/submit`, staff.editor, {})).status, 409)
})

t.test('reviews and lawsuits about an application, with their outcomes', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-10-09T02:00:00Z' })
  const staff = await staffOf(ctx.app, 'housing')
  const call = caller(ctx)
  const receipt = await received(ctx, staff.editor)
  t.equal((await call('POST', `/v1/applications/${receipt}/remedies`, staff.editor, { kind: 'review', filedAt: '2025-10-09T01:00:00Z' })).status, 409, 'not while it is open')
  await replied(ctx, staff, receipt, { outcome: 'withheld', reason: 'process_information' })
  ctx.clock.set('2025-11-20T02:00:00Z')
  await call('POST', `/v1/applications/${receipt}/remedies`, staff.editor, { kind: 'review', filedAt: '2025-11-03T02:00:00Z', caseNumber: '龙复〔2025〕12号' })
  const filed = await call('POST', `/v1/applications/${receipt}/remedies`, staff.editor, { kind: 'lawsuit_after_review', filedAt: '2025-11-20T01:00:00Z' })
  t.match(filed.body.remedies, [{ seq: 1, kind: 'review', outcome: 'pending' }, { seq: 2, kind: 'lawsuit_after_review', outcome: 'pending' }])
  const decided = await call('POST', `/v1/applications/${receipt}/remedies/1/outcome`, staff.editor, { outcome: 'upheld', decidedAt: '2025-11-19T02:00:00Z' })
  t.match(decided.body.remedies[0], { outcome: 'upheld', decidedAt: '2025-11-19T02:00:00.000Z' })
  t.equal((await call('POST', `/v1/applications/${receipt}/remedies/1/outcome`, staff.editor, { outcome: 'corrected', decidedAt: '2025-11-19T02:00:00Z' })).status, 409)
  t.equal((await call('POST', `/v1/applications/${receipt}/remedies/9/outcome`, staff.editor, { outcome: 'corrected', decidedAt: '2025-11-19T02:00:00Z' })).status, 404)
  t.equal((await call('POST', `/v1/applications/${receipt}/remedies/2/outcome`, staff.editor, { outcome: 'other', decidedAt: '2025-11-01T02:00:00Z' })).status, 422, 'decided before it was filed')
})

t.test('information the catalog marks as proactive: the application points to where it is published', async (t) => {
  const ctx = await buildTestApp(t, { now: '2025-10-09T02:00:00Z' })
  await seedDemoCatalog(ctx.app.db, '230202', ctx.clock.now())
  const staff = await staffOf(ctx.app, 'land_branch')
  const call = caller(ctx)
  const receipt = await received(ctx, staff.editor, { departmentCode: 'land_branch', itemKey: 'land_acquisition.pre_announcement' })
  const status = (await call('GET', `/v1/applications/${receipt}`, null)).body
  t.match(status.proactiveItem, { key: 'land_acquisition.pre_announcement', url: '/v1/items/land_acquisition.pre_announcement' })
  t.equal((await call('POST', '/v1/applications', staff.editor, { departmentCode: 'land_branch', channel: 'post', receivedAt: '2025-10-09T01:00:00Z', applicant: { type: 'business', name: '某公司' }, request: 'x', itemKey: 'no.such_item' })).status, 422)
})
