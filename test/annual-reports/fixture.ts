// A fixture year of housing's applications (2024 into 2025), built through the API with the clock
// moved to each event, and the 2024 report published. The expected 2025 tables are worked out by hand
// in table-three.test.ts.
import type { TestApp } from '../helpers/app.js'
import { caller, received, replied, staffOf } from '../applications/builders.js'

export const sections = { overview: '2025年，本局认真贯彻落实《条例》。', problems: '依申请公开答复规范性有待提高。', otherMatters: '无。' }
export const proactive = { regulations: { issued: 0, repealed: 0, inForce: 0 }, normativeDocuments: { issued: 2, repealed: 1, inForce: 9 }, licensing: 35, penalties: 4, enforcement: 1, feesAmount: 1.25 }

const person = (name: string) => ({ type: 'natural_person', name })
const org = (type: string, name: string) => ({ type, name })

export async function publishReport(ctx: TestApp, staff: { editor: string; reviewer: string }, year: number, department = 'housing') {
  const call = caller(ctx)
  const q = department ? `?department=${department}` : ''
  const saved = await call('PUT', `/v1/annual-reports/${year}${q}`, staff.editor, { ...sections, proactive })
  if (saved.status !== 200) throw new Error(`save: ${JSON.stringify(saved.body)}`)
  for (const [action, token] of [['submit', staff.editor], ['approve', staff.reviewer], ['publish', staff.editor]] as const) {
    const res = await call('POST', `/v1/annual-reports/${year}/${action}${q}`, token, {})
    if (res.status !== 200) return res
  }
  return call('GET', `/v1/annual-reports/${year}${q}`, null)
}

export async function fixtureYear(ctx: TestApp) {
  const staff = await staffOf(ctx.app, 'housing')
  const finance = await staffOf(ctx.app, 'finance')
  const call = caller(ctx)
  const at = (iso: string) => ctx.clock.set(iso)
  const base = { departmentCode: 'housing', channel: 'post' }

  // 2024: A1 answered in 2024 (not in the 2025 table); A2 and A3 carried into 2025.
  at('2024-11-04T02:00:00Z')
  const a1 = await received(ctx, staff.editor, { ...base, receivedAt: '2024-11-04T01:00:00Z', applicant: person('钱一') })
  at('2024-11-20T02:00:00Z')
  await replied(ctx, staff, a1, { outcome: 'disclosed' })
  at('2024-12-20T02:00:00Z')
  const a2 = await received(ctx, staff.editor, { ...base, receivedAt: '2024-12-20T01:00:00Z', applicant: org('business', '龙沙某商贸有限公司') })
  at('2024-12-25T02:00:00Z')
  const a3 = await received(ctx, staff.editor, { ...base, receivedAt: '2024-12-25T01:00:00Z', applicant: person('孙三') })
  at('2024-12-26T02:00:00Z')
  await call('POST', `/v1/applications/${a3}/correction-request`, staff.editor, { items: '请说明所需信息的年份。', dueDate: '2025-01-10' })

  // The 2024 report, published early in January: it carries A2 and A3 into 2025.
  at('2025-01-06T02:00:00Z')
  const published2024 = await publishReport(ctx, staff, 2024)
  at('2025-01-10T02:00:00Z')
  await replied(ctx, staff, a2, { outcome: 'withheld', reason: 'third_party_rights' })
  // A3 is never corrected: closed as 逾期不补正 at 24:00 on 10 January 2025.

  // 2025.
  const b: Record<string, string> = {}
  const receive = async (key: string, when: string, applicant: object, extra: object = {}) => {
    at(when)
    b[key] = await received(ctx, staff.editor, { ...base, receivedAt: when, applicant, ...extra })
  }
  await receive('b1', '2025-03-03T02:00:00Z', person('李四'))
  at('2025-03-10T02:00:00Z')
  await replied(ctx, staff, b.b1!, { outcome: 'disclosed' })
  await receive('b2', '2025-04-01T02:00:00Z', person('周五'))
  at('2025-04-15T02:00:00Z')
  await replied(ctx, staff, b.b2!, { outcome: 'partially_disclosed' })
  await receive('b3', '2025-05-06T02:00:00Z', org('research', '某大学城市研究中心'))
  at('2025-05-20T02:00:00Z')
  await replied(ctx, staff, b.b3!, { outcome: 'unable_to_provide', reason: 'not_held' })
  await receive('b4', '2025-06-02T02:00:00Z', org('legal_service', '某律师事务所'))
  at('2025-06-10T02:00:00Z')
  await replied(ctx, staff, b.b4!, { outcome: 'not_processed', reason: 'repeated' })
  await receive('b5', '2025-07-01T02:00:00Z', org('nonprofit', '某公益基金会'))
  at('2025-07-02T02:00:00Z')
  await call('POST', `/v1/applications/${b.b5}/fee`, staff.editor, { amount: '50.00', noticedAt: '2025-07-02T01:00:00Z' })
  // Not paid: closed as 逾期未缴费 at 24:00 on 30 July 2025 (20 working days after 2 July).
  at('2025-08-01T02:00:00Z')
  await call('POST', `/v1/applications/${b.b3}/remedies`, staff.editor, { kind: 'review', filedAt: '2025-08-01T01:00:00Z' })
  at('2025-09-01T02:00:00Z')
  await call('POST', `/v1/applications/${b.b3}/remedies/1/outcome`, staff.editor, { outcome: 'upheld', decidedAt: '2025-09-01T01:00:00Z' })
  at('2025-10-01T02:00:00Z')
  await call('POST', `/v1/applications/${b.b4}/remedies`, staff.editor, { kind: 'lawsuit_direct', filedAt: '2025-10-01T01:00:00Z' })
  at('2025-11-03T02:00:00Z')
  await call('POST', `/v1/applications/${a2}/remedies`, staff.editor, { kind: 'lawsuit_after_review', filedAt: '2025-11-03T01:00:00Z' })
  at('2025-11-10T02:00:00Z')
  b.finance = (await call('POST', '/v1/applications', finance.editor, { departmentCode: 'finance', channel: 'in_person', receivedAt: '2025-11-10T01:00:00Z', applicant: person('吴六'), request: '申请公开2025年财政预算。' })).body.receipt
  await receive('b6', '2025-12-29T02:00:00Z', org('other_organisation', '某村股份经济合作社'))
  await receive('b7', '2025-12-30T02:00:00Z', org('business', '某房地产开发有限公司'))
  await call('PUT', `/v1/applications/${b.b7}/reply`, staff.editor, { outcome: 'disclosed', legalBasis: '条例第三十六条', document: '答复书', deliveryMethod: 'post' })
  // The lawsuit after review is decided in 2026: still 尚未审结 in the 2025 table.
  at('2026-01-05T02:00:00Z')
  await call('POST', `/v1/applications/${a2}/remedies/1/outcome`, staff.editor, { outcome: 'corrected', decidedAt: '2026-01-03T01:00:00Z' })
  return { staff, finance, a1, a2, a3, b, published2024 }
}
