// The token endpoint's grants (RFC 6749): password (staff), client_credentials (scripts) and
// refresh_token (rotating: every refresh token is single-use; presenting a used one again revokes
// its whole family, since either the user or a thief holds a copy).
import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { Config } from '../../config.js'
import type { Db } from '../../db/client.js'
import type { Clock } from '../../lib/clock.js'
import { randomToken, sameDigest, sha256Hex } from '../../lib/hashing.js'
import { ProblemError } from '../../lib/problems.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { decoyPasswordHash, verifyPassword } from './passwords.js'
import * as q from './queries.js'
import { clientPrincipal, userPrincipal } from './principal.js'
import { refreshTokens, users } from './tables.js'

export const ACCESS_TOKEN_SECONDS = 15 * 60
const MAX_FAILED_LOGINS = 5
const LOCK_MS = 15 * 60 * 1000

export interface AccessClaims {
  sub: string
  typ: 'user' | 'client'
  name: string
}
export interface AccessTokenSigner {
  sign(claims: AccessClaims): string
}

export interface TokenDeps {
  db: Db
  signer: AccessTokenSigner
  clock: Clock
  config: Config
}

export interface TokenResponse {
  access_token: string
  token_type: 'Bearer'
  expires_in: number
  refresh_token?: string
  scope: string
}

const invalidCredentials = () => new ProblemError('unauthorized', 'Invalid username or password.')

async function issueRefreshToken(db: Db, userId: string, familyId: string, now: Date, days: number): Promise<string> {
  const token = `gkr_${randomToken(32)}`
  await db.insert(refreshTokens).values({
    familyId,
    userId,
    tokenHash: sha256Hex(token),
    createdAt: now,
    expiresAt: new Date(now.getTime() + days * 86_400_000),
  })
  return token
}

async function userTokens(deps: TokenDeps, db: Db, userId: string, familyId: string, now: Date): Promise<TokenResponse> {
  const principal = await userPrincipal(db, userId)
  if (!principal) throw invalidCredentials()
  return {
    access_token: deps.signer.sign({ sub: principal.id, typ: 'user', name: principal.name }),
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_SECONDS,
    refresh_token: await issueRefreshToken(db, userId, familyId, now, deps.config.refreshTokenDays),
    scope: principal.scopes.join(' '),
  }
}

export async function passwordGrant(deps: TokenDeps, ctx: WriteContext, username: string, password: string): Promise<TokenResponse> {
  const now = ctx.now
  const user = await q.findUserByUsername(deps.db, username)
  if (!user) {
    await verifyPassword(await decoyPasswordHash(), password)
    throw invalidCredentials()
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    const seconds = Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 1000)
    throw new ProblemError('too-many-requests', 'Too many failed sign-ins for this account; try again later.', { headers: { 'Retry-After': String(seconds) } })
  }
  const ok = await verifyPassword(user.passwordHash, password)
  return deps.db.transaction(async (tx) => {
    if (!ok || user.disabled) {
      const failed = user.failedLogins + 1
      const locked = failed >= MAX_FAILED_LOGINS
      await tx
        .update(users)
        .set({ failedLogins: locked ? 0 : failed, lockedUntil: locked ? new Date(now.getTime() + LOCK_MS) : user.lockedUntil })
        .where(eq(users.id, user.id))
      await appendAudit(tx, { ...ctx, actor: { type: 'public', id: null, name: username } }, {
        action: locked ? 'auth.account_locked' : 'auth.sign_in_failed',
        targetType: 'user',
        targetId: user.id,
      })
      // The failure is committed; the error is thrown after the transaction ends (see below).
      return null
    }
    await tx.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id))
    const tokens = await userTokens(deps, tx, user.id, randomUUID(), now)
    await appendAudit(tx, { ...ctx, actor: { type: 'user', id: user.id, name: user.username } }, { action: 'auth.sign_in', targetType: 'user', targetId: user.id })
    return tokens
  }).then((tokens) => {
    if (!tokens) throw invalidCredentials()
    return tokens
  })
}

export async function clientCredentialsGrant(deps: TokenDeps, ctx: WriteContext, clientId: string, clientSecret: string): Promise<TokenResponse> {
  const client = await q.findClient(deps.db, { clientId })
  const presented = sha256Hex(clientSecret)
  if (!client || client.disabled || !sameDigest(client.secretHash, presented)) {
    throw new ProblemError('unauthorized', 'Invalid client credentials.')
  }
  const principal = await clientPrincipal(deps.db, client.id)
  if (!principal) throw new ProblemError('unauthorized', 'Invalid client credentials.')
  return {
    access_token: deps.signer.sign({ sub: client.id, typ: 'client', name: client.clientId }),
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_SECONDS,
    scope: principal.scopes.join(' '),
  }
}

export async function refreshGrant(deps: TokenDeps, ctx: WriteContext, refreshToken: string): Promise<TokenResponse> {
  const outcome = await deps.db.transaction(async (tx) => {
    const row = await q.lockRefreshToken(tx, sha256Hex(refreshToken))
    if (!row) return { error: 'The refresh token is not valid.' }
    if (row.usedAt || row.revokedAt) {
      await q.revokeFamily(tx, row.familyId, ctx.now)
      await appendAudit(tx, { ...ctx, actor: { type: 'public', id: null, name: 'refresh token holder' } }, {
        action: 'auth.refresh_token_reused',
        targetType: 'user',
        targetId: row.userId,
        details: { family: row.familyId },
      })
      return { error: 'The refresh token was already used; every session of this sign-in is now revoked. Sign in again.' }
    }
    if (row.expiresAt <= ctx.now) return { error: 'The refresh token has expired. Sign in again.' }
    await tx.update(refreshTokens).set({ usedAt: ctx.now }).where(eq(refreshTokens.id, row.id))
    try {
      return { tokens: await userTokens(deps, tx, row.userId, row.familyId, ctx.now) }
    } catch {
      return { error: 'The account is no longer active.' }
    }
  })
  if ('error' in outcome) throw new ProblemError('unauthorized', outcome.error)
  return outcome.tokens!
}

/** RFC 7009: revoking answers the same whether or not the token was known. */
export async function revokeRefreshToken(deps: TokenDeps, ctx: WriteContext, token: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const row = await q.lockRefreshToken(tx, sha256Hex(token))
    if (!row || row.revokedAt) return
    await q.revokeFamily(tx, row.familyId, ctx.now)
    await appendAudit(tx, ctx, { action: 'auth.revoke', targetType: 'user', targetId: row.userId, details: { family: row.familyId } })
  })
}
