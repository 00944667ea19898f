// Fixtures for callers: staff users with a grant, API clients, and their access tokens. Users are
// created through the service (fixture setup), tokens through the real token endpoint's grants.
import { randomBytes } from 'node:crypto'
import type { App } from '../../src/app.js'
import type { Role, Scope } from '../../src/http/access.js'
import type { WriteContext } from '../../src/modules/audit/service.js'
import { createClient, createUser } from '../../src/modules/auth/accounts.js'
import { clientCredentialsGrant, passwordGrant } from '../../src/modules/auth/tokens.js'

export const testPassword = 'correct horse battery staple'

function systemContext(app: App): WriteContext {
  return { actor: { type: 'system', id: null, name: 'test fixture' }, requestId: null, regionCode: app.config.defaultRegion, now: app.clock.now() }
}

function deps(app: App) {
  return { db: app.db, signer: app.tokenSigner, clock: app.clock, config: app.config }
}

export interface TestUser {
  id: string
  username: string
  password: string
  token: string
  refreshToken: string
}

/** A staff user holding `role` (on `departmentCode` for editor/reviewer), signed in. */
export async function userWith(app: App, role: Role, departmentCode?: string, username?: string): Promise<TestUser> {
  const name = username ?? `${role}.${randomBytes(4).toString('hex')}`
  const department = role === 'editor' || role === 'reviewer' ? (departmentCode ?? 'civil_affairs') : undefined
  await createUser(app.db, systemContext(app), {
    username: name,
    displayName: name,
    password: testPassword,
    grants: [{ role, departmentCode: department }],
    mustChangePassword: false,
  })
  const tokens = await passwordGrant(deps(app), systemContext(app), name, testPassword)
  const { getUser } = await import('../../src/modules/auth/accounts.js')
  const user = await getUser(app.db, app.config.defaultRegion, name)
  return { id: user.id, username: name, password: testPassword, token: tokens.access_token, refreshToken: tokens.refresh_token! }
}

/** An access token of a fresh user holding `role`. */
export async function tokenFor(app: App, role: Role, departmentCode?: string): Promise<string> {
  return (await userWith(app, role, departmentCode)).token
}

/** An API client with `scopes` (bound to `departmentCode`, or region-wide), and its access token. */
export async function clientWith(app: App, scopes: Scope[], departmentCode?: string) {
  const { client, clientSecret } = await createClient(app.db, systemContext(app), { name: 'test client', scopes, departmentCode })
  const tokens = await clientCredentialsGrant(deps(app), systemContext(app), client.clientId, clientSecret)
  return { clientId: client.clientId, clientSecret, token: tokens.access_token }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
