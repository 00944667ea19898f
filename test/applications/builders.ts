// Builders for application tests: staff of a department, an application entered by staff, and calls.
import type { TestApp } from '../helpers/app.js'
import { json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'

export async function staffOf(app: TestApp['app'], department: string) {
  const editor = await userWith(app, 'editor', department)
  const reviewer = await userWith(app, 'reviewer', department)
  const reviewer2 = await userWith(app, 'reviewer', department)
  return { editor: editor.token, reviewer: reviewer.token, reviewer2: reviewer2.token }
}

export const applicant = { type: 'natural_person', name: '赵志强', idNumber: '230202198003151238', phone: '13812345678', address: '龙沙区五龙街道新政社区3号楼2单元101' }

export function applicationBody(overrides: Record<string, unknown> = {}) {
  return {
    departmentCode: 'housing',
    channel: 'post',
    receivedAt: '2025-09-26T02:00:00Z', // Friday 26 September 2025, 10:00 in Shanghai
    receiptEvidence: '挂号信 XA123456789CN 签收',
    applicant,
    request: '申请公开2025年第三季度住房租赁补贴发放名单及标准。',
    ...overrides,
  }
}

export function caller(ctx: TestApp) {
  return async (method: string, url: string, token: string | null, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await ctx.app.inject({ method: method as 'GET', url, headers: { ...(token ? bearer(token) : {}), ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) })
    return { status: res.statusCode, body: res.body ? json(res) : null, headers: res.headers }
  }
}

/** An application entered by staff; returns its receipt. */
export async function received(ctx: TestApp, token: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await caller(ctx)('POST', '/v1/applications', token, applicationBody(overrides))
  if (res.status !== 201) throw new Error(`create: ${JSON.stringify(res.body)}`)
  return res.body.receipt
}

/** Writes a reply, has it approved by a reviewer and sends it. */
export async function replied(ctx: TestApp, staff: { editor: string; reviewer: string }, receipt: string, reply: Record<string, unknown>) {
  const call = caller(ctx)
  const steps: [string, string, string, unknown][] = [
    ['PUT', `/v1/applications/${receipt}/reply`, staff.editor, { legalBasis: '《中华人民共和国政府信息公开条例》第三十六条', document: '政府信息公开申请答复书', deliveryMethod: 'post', ...reply }],
    ['POST', `/v1/applications/${receipt}/reply/submit`, staff.editor, {}],
    ['POST', `/v1/applications/${receipt}/reply/approve`, staff.reviewer, {}],
    ['POST', `/v1/applications/${receipt}/reply/send`, staff.editor, {}],
  ]
  let last
  for (const [method, url, token, payload] of steps) {
    last = await call(method, url, token, payload)
    if (last.status !== 200) throw new Error(`${method} ${url}: ${JSON.stringify(last.body)}`)
  }
  return last!.body
}
