// The token endpoint's grants (RFC 6749): password (staff), client_credentials (scripts) and
// refresh_token (rotating: every refresh token is single-use; presenting a used one again revokes
// its whole family, since either the user or a thief holds a copy).
import { randomUUID } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import type { Config } from '../../config.js'
import type { Db } from '../../db/client.js'
import type { Clock } from '../../lib/clock.js'
import { randomToken, sameDigest, sha256Hex } from '../../lib/hashing.js'
import { ProblemError } from '../../lib/problems.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { decoyPasswordHash, verifyPassword } from './passwords.js'
import * as q from './queries.js'
import { clientPrincipal, userPrincipal } from './principal.js'
import { checkThrottle, recordFailure, recordSuccess } from './sign-in-throttle.js'
import { refreshTokens, users } from './tables.js'

export const ACCESS_TOKEN_SECONDS = 15 * 60

export interface AccessClaims {
  sub: string
  typ: 'user' | 'client'
  name: string
  /** The user's token epoch when the token was issued (see users.tokenEpoch). */
  ep?: number
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
  const user = await q.findUserById(db, userId)
  const principal = user && (await userPrincipal(db, userId, user.tokenEpoch))
  if (!principal) throw invalidCredentials()
  return {
    access_token: deps.signer.sign({ sub: principal.id, typ: 'user', name: principal.login, ep: user.tokenEpoch }),
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_SECONDS,
    refresh_token: await issueRefreshToken(db, userId, familyId, now, deps.config.refreshTokenDays),
    scope: principal.scopes.join(' '),
  }
}

/**
 * Staff sign-in. An unknown name costs the same as a wrong password: the password is verified against
 * a decoy hash, the failure is counted by the throttle and audited (without the password) alike.
 * `address`: the caller's address, for the throttle (see sign-in-throttle.ts).
 */
export async function passwordGrant(deps: TokenDeps, ctx: WriteContext, username: string, password: string, address = 'internal'): Promise<TokenResponse> {
  const now = ctx.now
  const attempt = { login: username, address }
  await checkThrottle(deps.db, attempt, now)
  const user = await q.findUserByUsername(deps.db, username)
  const ok = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password)
  const signedIn = await deps.db.transaction(async (tx) => {
    if (!user || !ok || user.disabled) {
      const { accountBlockedUntil } = await recordFailure(tx, attempt, now)
      // Counted in the statement itself (no read-modify-write), so parallel failures all count.
      if (user) await tx.update(users).set({ failedLogins: sql`${users.failedLogins} + 1`, lockedUntil: accountBlockedUntil }).where(eq(users.id, user.id))
      // Recorded in the account's region (the request itself names none).
      await appendAudit(tx, { ...ctx, regionCode: user?.regionCode ?? ctx.regionCode, actor: { type: 'public', id: null, name: username } }, {
        action: 'auth.sign_in_failed',
        targetType: 'user',
        targetId: user?.id ?? 'unknown',
        details: user ? {} : { reason: 'unknown user' },
      })
      // The failure is committed; the error is thrown after the transaction ends (see below).
      return null
    }
    await recordSuccess(tx, attempt, now)
    await tx.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id))
    const tokens = await userTokens(deps, tx, user.id, randomUUID(), now)
    await appendAudit(tx, { ...ctx, regionCode: user.regionCode, actor: { type: 'user', id: user.id, name: user.displayName, login: user.username } }, { action: 'auth.sign_in', targetType: 'user', targetId: user.id })
    return tokens
  })
  if (!signedIn) throw invalidCredentials()
  return signedIn
}

const invalidClient = () => new ProblemError('unauthorized', 'Invalid client credentials.')

/** Scripts' sign-in. A failure is audited with the client id presented (never the secret). */
export async function clientCredentialsGrant(deps: TokenDeps, ctx: WriteContext, clientId: string, clientSecret: string): Promise<TokenResponse> {
  const client = await q.findClient(deps.db, { clientId })
  const presented = sha256Hex(clientSecret)
  const principal = client && !client.disabled && sameDigest(client.secretHash, presented) ? await clientPrincipal(deps.db, client.id) : null
  if (!principal) {
    await deps.db.transaction((tx) =>
      appendAudit(tx, { ...ctx, regionCode: client?.regionCode ?? ctx.regionCode, actor: { type: 'public', id: null, name: clientId } }, {
        action: 'auth.client_credentials_failed',
        targetType: 'client',
        targetId: client?.id ?? 'unknown',
        details: { clientId, reason: !client ? 'unknown client' : client.disabled ? 'disabled' : 'wrong secret' },
      }),
    )
    throw invalidClient()
  }
  return {
    access_token: deps.signer.sign({ sub: principal.id, typ: 'client', name: principal.login }),
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
      const regionCode = (await q.endAccessTokens(tx, row.userId)) ?? ctx.regionCode
      await appendAudit(tx, { ...ctx, regionCode, actor: { type: 'public', id: null, name: 'refresh token holder' } }, {
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
    // The session's access tokens end too. Tokens carry the user's epoch, not a session id, so the
    // user's other sessions need a refresh (their refresh tokens still work): one read per request.
    const regionCode = (await q.endAccessTokens(tx, row.userId)) ?? ctx.regionCode
    await appendAudit(tx, { ...ctx, regionCode }, { action: 'auth.revoke', targetType: 'user', targetId: row.userId, details: { family: row.familyId } })
  })
}
