// Builders for report tests: a report written in full, and calls that fail the test with the body.
import type { TestApp } from '../helpers/app.js'
import { json } from '../helpers/app.js'
import { bearer } from '../helpers/auth.js'

export const fullSections = {
  progress: '完成冬春生活救助对象名单公示3批次。',
  practices: '名单在村公示栏和“E网通”同步公示7天。',
  results: '公示期内收到异议1件，核实后已答复。',
  difficulties: '部分村公示栏位置偏僻。',
  nextSteps: '建议同步推送至村民微信群。',
}

export async function call(app: TestApp['app'], method: string, url: string, token: string | null, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: method as 'GET', url, headers: { ...(token ? bearer(token) : {}), ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) })
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
  return { body: json(res), etag: String(res.headers.etag) }
}

/** Creates a department's report for a period with every section written, and returns its id and ETag. */
export async function writtenReport(app: TestApp['app'], editor: string, departmentCode: string, period: string, type = 'monthly') {
  const { body, etag } = await call(app, 'POST', '/v1/reports', editor, { departmentCode, type, period, ...fullSections })
  return { id: body.id as string, etag }
}

/** Writes and submits a report at the clock's now. */
export async function submittedReport(app: TestApp['app'], editor: string, departmentCode: string, period: string, type = 'monthly') {
  const { id } = await writtenReport(app, editor, departmentCode, period, type)
  return (await call(app, 'POST', `/v1/reports/${id}/submit`, editor, {})).body
}
