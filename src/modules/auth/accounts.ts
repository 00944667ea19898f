// Administration of staff users, their grants and API clients. Every change is audited; secrets
// (one-time passwords, client secrets) are returned once, by the call that creates them, and only
// their hashes are stored.
import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { etagOf, checkIfMatch } from '../../http/preconditions.js'
import type { Role, Scope } from '../../http/access.js'
import { encodeCursor, readCursor } from '../../lib/cursor.js'
import { randomToken, sha256Hex } from '../../lib/hashing.js'
import { conflict, notFound, unprocessable, type FieldError } from '../../lib/problems.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { getDepartment } from '../reference/service.js'
import { generatePassword, hashPassword, passwordProblems, verifyPassword } from './passwords.js'
import { checkThrottle, clearAccount, recordFailure } from './sign-in-throttle.js'
import { personOnlyScopes, regionOnlyScopes } from './principal.js'
import * as q from './queries.js'
import { apiClients, grants, users, type UserRow } from './tables.js'

export const departmentRoles: readonly Role[] = ['editor', 'reviewer']

export interface GrantInput {
  role: Role
  departmentCode?: string | undefined
}

export const userEtag = (u: { id: string; version: number }) => etagOf('user', u.id, u.version)
export const clientEtag = (c: { id: string; version: number }) => etagOf('client', c.id, c.version)

function cursorAfter(cursor: string | undefined): string | undefined {
  return readCursor(cursor, ['string'])?.[0]
}

export async function withGrants(db: Db, rows: UserRow[]) {
  const all = await q.grantsOf(db, rows.map((r) => r.id))
  return rows.map((u) => ({ ...u, grants: all.filter((g) => g.userId === u.id) }))
}
export type UserWithGrants = Awaited<ReturnType<typeof withGrants>>[number]

export async function listUsers(db: Db, regionCode: string, f: { disabled?: boolean | undefined; limit: number; cursor?: string | undefined }) {
  const rows = await q.listUsers(db, { regionCode, disabled: f.disabled, afterUsername: cursorAfter(f.cursor), limit: f.limit + 1 })
  const page = rows.slice(0, f.limit)
  return { items: await withGrants(db, page), nextCursor: rows.length > f.limit ? encodeCursor([page[page.length - 1]!.username]) : null }
}

/** A user of the caller's region (users of other regions do not exist for it). */
export async function getUser(db: Db, regionCode: string, username: string): Promise<UserWithGrants> {
  const user = await q.findUserByUsername(db, username)
  if (!user || user.regionCode !== regionCode) throw notFound(`No user ${username}.`)
  return (await withGrants(db, [user]))[0]!
}

async function departmentIdFor(db: Db, regionCode: string, input: GrantInput, pointer: string): Promise<string | null> {
  const errors: FieldError[] = []
  const perDepartment = departmentRoles.includes(input.role)
  if (perDepartment && !input.departmentCode) errors.push({ pointer: `${pointer}/departmentCode`, message: `is required for the role ${input.role}` })
  if (!perDepartment && input.departmentCode) errors.push({ pointer: `${pointer}/departmentCode`, message: `must be omitted: ${input.role} is a region-wide role` })
  if (errors.length) throw unprocessable('The grant is not valid.', errors)
  if (!input.departmentCode) return null
  try {
    return (await getDepartment(db, regionCode, input.departmentCode)).id
  } catch {
    throw unprocessable('The grant is not valid.', [{ pointer: `${pointer}/departmentCode`, message: `no department ${input.departmentCode}` }])
  }
}

export interface CreateUserInput {
  username: string
  displayName: string
  password?: string | undefined
  grants?: GrantInput[] | undefined
  /** Admins creating users through the API hand out one-time passwords; the CLI sets a chosen one. */
  mustChangePassword?: boolean
}

export async function createUser(db: Db, ctx: WriteContext, input: CreateUserInput) {
  if (input.password) {
    const problems = passwordProblems(input.password, input.username, '/body/password')
    if (problems.length) throw unprocessable('The password is too weak.', problems)
  }
  const oneTimePassword = input.password ? null : generatePassword()
  const passwordHash = await hashPassword(input.password ?? oneTimePassword!)
  const grantRows: { role: Role; departmentId: string | null }[] = []
  for (const [i, g] of (input.grants ?? []).entries()) grantRows.push({ role: g.role, departmentId: await departmentIdFor(db, ctx.regionCode, g, `/body/grants/${i}`) })
  const user = await db.transaction(async (tx) => {
    if (await q.findUserByUsername(tx, input.username)) throw conflict(`The username ${input.username} is taken.`)
    const [row] = await tx
      .insert(users)
      .values({
        regionCode: ctx.regionCode,
        username: input.username,
        displayName: input.displayName,
        passwordHash,
        mustChangePassword: input.mustChangePassword ?? true,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning()
    if (grantRows.length) await tx.insert(grants).values(grantRows.map((g) => ({ ...g, userId: row!.id, createdAt: ctx.now }))).onConflictDoNothing()
    await appendAudit(tx, ctx, { action: 'user.create', targetType: 'user', targetId: row!.id, details: { username: input.username, grants: input.grants ?? [] } })
    return row!
  })
  return { user: await getUser(db, ctx.regionCode, user.username), oneTimePassword }
}

async function lockUser(tx: Db, regionCode: string, username: string) {
  const [row] = await tx
    .select()
    .from(users)
    .where(and(eq(users.username, username), eq(users.regionCode, regionCode)))
    .for('update')
  if (!row) throw notFound(`No user ${username}.`)
  return row
}

export async function updateUser(db: Db, ctx: WriteContext, username: string, ifMatch: string, patch: { displayName?: string | undefined; disabled?: boolean | undefined }) {
  await db.transaction(async (tx) => {
    const user = await lockUser(tx, ctx.regionCode, username)
    checkIfMatch(ifMatch, userEtag(user))
    if (patch.disabled && ctx.actor.id === user.id) throw conflict('You cannot disable your own account.')
    if (patch.disabled && !user.disabled && (await isLastAdmin(tx, user.id, ctx.regionCode))) throw conflict('This is the last active admin; grant admin to someone else first.')
    await tx
      .update(users)
      .set({ ...patch, version: user.version + 1, updatedAt: ctx.now })
      .where(eq(users.id, user.id))
    if (patch.disabled) {
      await q.revokeUserTokens(tx, user.id, ctx.now)
      await q.endAccessTokens(tx, user.id)
    }
    await appendAudit(tx, ctx, { action: 'user.update', targetType: 'user', targetId: user.id, details: { ...patch } })
  })
  return getUser(db, ctx.regionCode, username)
}

async function isLastAdmin(tx: Db, userId: string, regionCode: string): Promise<boolean> {
  const held = await q.grantsOf(tx, [userId])
  return held.some((g) => g.role === 'admin') && (await q.countActiveAdmins(tx, regionCode)) <= 1
}

/** An admin resets a password: a new one-time password, all sessions and access tokens ended, sign-in waits lifted. */
export async function resetPassword(db: Db, ctx: WriteContext, username: string) {
  const oneTimePassword = generatePassword()
  const passwordHash = await hashPassword(oneTimePassword)
  await db.transaction(async (tx) => {
    const user = await lockUser(tx, ctx.regionCode, username)
    await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: true, failedLogins: 0, lockedUntil: null, version: user.version + 1, updatedAt: ctx.now })
      .where(eq(users.id, user.id))
    await q.revokeUserTokens(tx, user.id, ctx.now)
    await q.endAccessTokens(tx, user.id)
    await clearAccount(tx, user.username, ctx.now)
    await appendAudit(tx, ctx, { action: 'user.password_reset', targetType: 'user', targetId: user.id })
  })
  return { oneTimePassword }
}

/**
 * A user changes their own password (required after a one-time password). Every session ends, this
 * one included: sign in again with the new password. A wrong current password counts as a failed
 * sign-in of the account from this address (the same throttle, so this is no side door for guessing).
 */
export async function changeOwnPassword(db: Db, ctx: WriteContext, userId: string, currentPassword: string, newPassword: string, address: string) {
  const user = await q.findUserById(db, userId)
  if (!user) throw notFound('No such user.')
  const attempt = { login: user.username, address }
  await checkThrottle(db, attempt, ctx.now)
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    await db.transaction(async (tx) => {
      await recordFailure(tx, attempt, ctx.now)
      await appendAudit(tx, ctx, { action: 'user.password_change_failed', targetType: 'user', targetId: user.id })
    })
    throw unprocessable('The current password is wrong.', [{ pointer: '/body/currentPassword', message: 'does not match' }])
  }
  const problems = passwordProblems(newPassword, user.username, '/body/newPassword')
  if (newPassword === currentPassword) problems.push({ pointer: '/body/newPassword', message: 'must differ from the current password' })
  if (problems.length) throw unprocessable('The new password is not acceptable.', problems)
  const passwordHash = await hashPassword(newPassword)
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, mustChangePassword: false, version: user.version + 1, updatedAt: ctx.now }).where(eq(users.id, user.id))
    await q.revokeUserTokens(tx, user.id, ctx.now)
    await q.endAccessTokens(tx, user.id)
    await appendAudit(tx, ctx, { action: 'user.password_change', targetType: 'user', targetId: user.id })
  })
}

export async function addGrant(db: Db, ctx: WriteContext, username: string, input: GrantInput) {
  const departmentId = await departmentIdFor(db, ctx.regionCode, input, '/body')
  return db.transaction(async (tx) => {
    const user = await lockUser(tx, ctx.regionCode, username)
    const [row] = await tx.insert(grants).values({ userId: user.id, role: input.role, departmentId, createdAt: ctx.now }).onConflictDoNothing().returning()
    if (!row) throw conflict(`${username} already holds this grant.`)
    await tx.update(users).set({ version: user.version + 1, updatedAt: ctx.now }).where(eq(users.id, user.id))
    await appendAudit(tx, ctx, { action: 'grant.add', targetType: 'user', targetId: user.id, details: { grant: row.id, role: input.role, department: input.departmentCode ?? null } })
    return { id: row.id, role: input.role, departmentCode: input.departmentCode ?? null }
  })
}

export async function removeGrant(db: Db, ctx: WriteContext, username: string, grantId: string) {
  await db.transaction(async (tx) => {
    const user = await lockUser(tx, ctx.regionCode, username)
    const [grant] = await tx.select().from(grants).where(and(eq(grants.id, grantId), eq(grants.userId, user.id)))
    if (!grant) throw notFound(`${username} has no grant ${grantId}.`)
    if (grant.role === 'admin' && (await q.countActiveAdmins(tx, ctx.regionCode)) <= 1 && !user.disabled) {
      throw conflict('This is the last active admin grant; grant admin to someone else first.')
    }
    await tx.delete(grants).where(eq(grants.id, grantId))
    await tx.update(users).set({ version: user.version + 1, updatedAt: ctx.now }).where(eq(users.id, user.id))
    await appendAudit(tx, ctx, { action: 'grant.remove', targetType: 'user', targetId: user.id, details: { grant: grantId, role: grant.role } })
  })
}

// ---- API clients

function scopeProblems(scopes: Scope[], departmentCode: string | undefined): FieldError[] {
  return scopes
    .map((s, i) => {
      if (personOnlyScopes.includes(s)) return { pointer: `/body/scopes/${i}`, message: `${s} is for people: API clients neither review nor manage accounts` }
      if (departmentCode && regionOnlyScopes.includes(s)) return { pointer: `/body/scopes/${i}`, message: `${s} needs a region-wide client (omit departmentCode)` }
      return null
    })
    .filter((e): e is FieldError => e !== null)
}

export const newClientSecret = () => `gks_${randomToken(32)}`

export async function createClient(db: Db, ctx: WriteContext, input: { name: string; departmentCode?: string | undefined; scopes: Scope[] }) {
  const problems = scopeProblems(input.scopes, input.departmentCode)
  if (problems.length) throw unprocessable('The client is not valid.', problems)
  const departmentId = input.departmentCode
    ? await departmentIdFor(db, ctx.regionCode, { role: 'editor', departmentCode: input.departmentCode }, '/body')
    : null
  const clientId = `gkc_${randomToken(12)}`
  const clientSecret = newClientSecret()
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiClients)
      .values({ clientId, name: input.name, regionCode: ctx.regionCode, departmentId, scopes: [...new Set(input.scopes)], secretHash: sha256Hex(clientSecret), createdAt: ctx.now, updatedAt: ctx.now })
      .returning({ id: apiClients.id })
    await appendAudit(tx, ctx, { action: 'client.create', targetType: 'client', targetId: row!.id, details: { clientId, scopes: input.scopes, department: input.departmentCode ?? null } })
  })
  return { client: await getClient(db, ctx.regionCode, clientId), clientSecret }
}

/** A client of the caller's region. */
export async function getClient(db: Db, regionCode: string, clientId: string) {
  const row = await q.findClient(db, { clientId })
  if (!row || row.regionCode !== regionCode) throw notFound(`No client ${clientId}.`)
  return row
}

export async function listClients(db: Db, regionCode: string, f: { limit: number; cursor?: string | undefined }) {
  const rows = await q.listClients(db, { regionCode, afterClientId: cursorAfter(f.cursor), limit: f.limit + 1 })
  const page = rows.slice(0, f.limit)
  return { items: page, nextCursor: rows.length > f.limit ? encodeCursor([page[page.length - 1]!.clientId]) : null }
}

async function lockClient(tx: Db, regionCode: string, clientId: string) {
  const [row] = await tx
    .select()
    .from(apiClients)
    .where(and(eq(apiClients.clientId, clientId), eq(apiClients.regionCode, regionCode)))
    .for('update')
  if (!row) throw notFound(`No client ${clientId}.`)
  return row
}

export async function updateClient(db: Db, ctx: WriteContext, clientId: string, ifMatch: string, patch: { name?: string | undefined; scopes?: Scope[] | undefined; disabled?: boolean | undefined }) {
  await db.transaction(async (tx) => {
    const client = await lockClient(tx, ctx.regionCode, clientId)
    checkIfMatch(ifMatch, clientEtag(client))
    const current = await q.findClient(tx, { id: client.id })
    if (patch.scopes) {
      const problems = scopeProblems(patch.scopes, current?.departmentCode ?? undefined)
      if (problems.length) throw unprocessable('The client is not valid.', problems)
    }
    await tx
      .update(apiClients)
      .set({ ...patch, ...(patch.scopes ? { scopes: [...new Set(patch.scopes)] } : {}), version: client.version + 1, updatedAt: ctx.now })
      .where(eq(apiClients.id, client.id))
    await appendAudit(tx, ctx, { action: 'client.update', targetType: 'client', targetId: client.id, details: { ...patch } })
  })
  return getClient(db, ctx.regionCode, clientId)
}

/** A new secret, shown once; the old one stops working at once. */
export async function rotateClientSecret(db: Db, ctx: WriteContext, clientId: string) {
  const clientSecret = newClientSecret()
  await db.transaction(async (tx) => {
    const client = await lockClient(tx, ctx.regionCode, clientId)
    await tx
      .update(apiClients)
      .set({ secretHash: sha256Hex(clientSecret), secretRotatedAt: ctx.now, version: sql`${apiClients.version} + 1`, updatedAt: ctx.now })
      .where(eq(apiClients.id, client.id))
    await appendAudit(tx, ctx, { action: 'client.rotate_secret', targetType: 'client', targetId: client.id })
  })
  return { client: await getClient(db, ctx.regionCode, clientId), clientSecret }
}
