// Builders for catalog tests: a valid item body with overrides, and the calls every test repeats.
import type { App } from '../../src/app.js'
import { json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'

/** A valid disclosure item of the civil affairs bureau; override any element. */
export function itemBody(overrides: Record<string, unknown> = {}) {
  return {
    key: 'disaster_relief.recipients',
    domain: 'disaster_relief',
    firstLevel: '受灾人员冬春生活救助',
    secondLevel: '救助对象名单',
    content: [
      { name: '救助对象姓名', required: true },
      { name: '救助金额', required: true },
      { name: '异议受理方式', required: false },
    ],
    basis: [{ kind: 'administrative_regulation', title: '自然灾害救助条例', documentNumber: '国务院令第577号', articles: '第二十条' }],
    timeLimit: { text: '信息形成或者变更之日起20个工作日内', rule: { type: 'within', unit: 'working_day', length: 20, event: '信息形成或者变更之日' } },
    department: 'civil_affairs',
    channels: ['government_website', 'bulletin_board'],
    audience: { public: true, specificGroups: false },
    mode: { proactive: true, onRequest: false },
    levels: ['county'],
    ...overrides,
  }
}

export async function createItem(app: App, token: string, overrides: Record<string, unknown> = {}) {
  const res = await app.inject({ method: 'POST', url: '/v1/items', headers: bearer(token), payload: itemBody(overrides) })
  if (res.statusCode !== 201) throw new Error(`creating an item failed: ${res.statusCode} ${res.body}`)
  return { item: json(res), etag: res.headers.etag as string }
}

export async function patchItem(app: App, token: string, key: string, etag: string | undefined, payload: Record<string, unknown>) {
  return app.inject({ method: 'PATCH', url: `/v1/items/${key}`, headers: { ...bearer(token), ...(etag ? { 'if-match': etag } : {}) }, payload })
}

export async function etagOf(app: App, key: string): Promise<string> {
  return (await app.inject({ method: 'GET', url: `/v1/items/${key}` })).headers.etag as string
}

/** Two admins: one writes versions, the other reviews them (four eyes). */
export async function admins(app: App) {
  return { author: await userWith(app, 'admin', undefined, 'li.na'), approver: await userWith(app, 'admin', undefined, 'zhao.lei') }
}

export function versionStep(app: App, token: string, n: number | string, action: string, payload: Record<string, unknown> = {}) {
  return app.inject({ method: 'POST', url: `/v1/catalog/versions/${n}/${action}`, headers: bearer(token), payload })
}

/** Freezes the working set and takes it through submit, approve (by someone else) and publish. */
export async function publishVersion(app: App, author: string, approver: string, changeNote = '调整目录'): Promise<number> {
  const created = await app.inject({ method: 'POST', url: '/v1/catalog/versions', headers: bearer(author), payload: { changeNote } })
  if (created.statusCode !== 201) throw new Error(`creating a version failed: ${created.statusCode} ${created.body}`)
  const n = json(created).number as number
  for (const [token, action] of [
    [author, 'submit'],
    [approver, 'approve'],
    [author, 'publish'],
  ] as const) {
    const res = await versionStep(app, token, n, action)
    if (res.statusCode !== 200) throw new Error(`${action} failed: ${res.statusCode} ${res.body}`)
  }
  return n
}
