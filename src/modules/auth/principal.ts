// Who the caller is, rebuilt from the database on every authenticated request, so that disabling a
// user, revoking a client or removing a grant takes effect at once (not when a token expires).
import type { Db } from '../../db/client.js'
import { scopes as allScopes, type Grant, type Principal, type Role, type Scope } from '../../http/access.js'
import * as q from './queries.js'

/** The scopes a staff user's roles carry. Clients carry the scopes they were given instead. */
export const scopesOfRole: Record<Role, readonly Scope[]> = {
  editor: ['items:write', 'notices:write', 'reports:write', 'posts:write', 'applications:write'],
  reviewer: ['review:approve', 'catalog:publish', 'notices:write', 'applications:write', 'read:private'],
  admin: allScopes,
  auditor: ['accounts:read', 'audit:read', 'read:private'],
}

/**
 * Scopes no API client may hold: reviewing is done by accountable people (four eyes), and accounts
 * are managed by people only — a client that could create users, set passwords, grant roles or edit
 * clients could make itself (or a person it controls) an admin.
 */
export const personOnlyScopes: readonly Scope[] = ['review:approve', 'accounts:manage']

/** Scopes that only a region-wide client may hold. */
export const regionOnlyScopes: readonly Scope[] = ['calendar:write', 'catalog:publish', 'accounts:read', 'accounts:manage', 'audit:read', 'events:read', 'metrics:read']

/**
 * The user behind a token. `tokenEpoch`: the epoch the token carries; a token from before the last
 * password change, reset or sign-out no longer matches (checked in the same indexed read).
 */
export async function userPrincipal(db: Db, userId: string, tokenEpoch?: number): Promise<Principal | null> {
  const user = await q.findUserById(db, userId)
  if (!user || user.disabled) return null
  if (tokenEpoch !== undefined && tokenEpoch !== user.tokenEpoch) return null
  const rows = await q.grantsOf(db, [user.id])
  const grants: Grant[] = rows.map((g) => ({ id: g.id, role: g.role as Role, departmentCode: g.departmentCode }))
  const scopes = [...new Set(grants.flatMap((g) => scopesOfRole[g.role]))].sort() as Scope[]
  return { type: 'user', id: user.id, name: user.displayName, login: user.username, regionCode: user.regionCode, grants, scopes, mustChangePassword: user.mustChangePassword }
}

export async function clientPrincipal(db: Db, id: string): Promise<Principal | null> {
  const client = await q.findClient(db, { id })
  if (!client || client.disabled) return null
  // A client bound to a department works as an editor there; one bound to the region as an admin,
  // in both cases only within its scopes.
  const grant: Grant = client.departmentCode
    ? { id: client.id, role: 'editor', departmentCode: client.departmentCode }
    : { id: client.id, role: 'admin', departmentCode: null }
  return {
    type: 'client',
    id: client.id,
    name: client.name,
    login: client.clientId,
    regionCode: client.regionCode,
    grants: [grant],
    scopes: [...client.scopes].sort() as Scope[],
    mustChangePassword: false,
  }
}
