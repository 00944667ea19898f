// Builders for notice tests: staff of a department, and a notice taken through the workflow.
import type { TestApp } from '../helpers/app.js'
import { json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'

export async function staffOf(app: TestApp['app'], department: string) {
  const editor = await userWith(app, 'editor', department)
  const reviewer = await userWith(app, 'reviewer', department)
  return { editor: editor.token, reviewer: reviewer.token }
}

export const familyColumns = [
  { key: 'name', label: '申请人', type: 'name', public: true },
  { key: 'id_number', label: '身份证号', type: 'id_number', public: true },
  { key: 'phone', label: '联系电话', type: 'phone', public: true },
  { key: 'address', label: '住址', type: 'address', public: true },
  { key: 'household_size', label: '家庭人口', type: 'integer', public: true },
  { key: 'subsidy', label: '月补贴金额', type: 'amount', public: true },
]

export const families = [
  { name: '张三明', id_number: '230202198003151238', phone: '13812345678', address: '龙沙区五龙街道新政社区3号楼2单元101', household_size: 3, subsidy: 420 },
  { name: '李娜', id_number: '23020219900101156X', phone: '13998765432', address: '龙沙区湖滨街道明月社区8号', household_size: 2, subsidy: 380 },
]

export function noticeBody(overrides: Record<string, unknown> = {}) {
  return {
    departmentCode: 'housing',
    domainCode: 'affordable_housing',
    kind: 'eligible_list',
    title: '住房租赁补贴家庭名单公示',
    body: '经审核，下列家庭符合住房租赁补贴条件，现予公示。',
    ruleCode: 'PUBLICITY_7D',
    channels: ['portal', 'e_net_app', 'bulletin_board'],
    columns: familyColumns,
    privacyAssessment: { reference: 'LS-PIA-2025-031', date: '2025-09-18' },
    ...overrides,
  }
}

/** Creates, fills, submits, approves and (unless told otherwise) publishes a notice at the clock's now. */
export async function publishedNotice(
  t: TestApp,
  staff: { editor: string; reviewer: string },
  overrides: Record<string, unknown> = {},
  options: { entries?: Record<string, unknown>[]; publish?: boolean } = {},
) {
  const { app } = t
  const created = await app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(staff.editor), payload: noticeBody(overrides) })
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.body}`)
  const id = json(created).id as string
  let etag = String(created.headers.etag)
  const put = await app.inject({ method: 'PUT', url: `/v1/notices/${id}/entries`, headers: { ...bearer(staff.editor), 'if-match': etag }, payload: { entries: options.entries ?? families } })
  if (put.statusCode !== 200) throw new Error(`entries failed: ${put.body}`)
  etag = String(put.headers.etag)
  for (const [action, token] of [['submit', staff.editor], ['approve', staff.reviewer], ...(options.publish === false ? [] : [['publish', staff.editor]])] as const) {
    const res = await app.inject({ method: 'POST', url: `/v1/notices/${id}/${action}`, headers: bearer(token), payload: {} })
    if (res.statusCode !== 200) throw new Error(`${action} failed: ${res.body}`)
  }
  return id
}
