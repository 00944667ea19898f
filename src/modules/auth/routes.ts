// Sign-in and the caller's own account: the token endpoint (RFC 6749), revocation (RFC 7009),
// who am I, and changing one's own password.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { writeContext } from '../../http/access.js'
import { problemResponses } from '../../http/schemas.js'
import { ProblemError, type FieldError } from '../../lib/problems.js'
import { changeOwnPassword } from './accounts.js'
import { ChangePasswordRequest, meResponse, RevokeRequest, tokenResponse, TokenRequest } from './schemas.js'
import { clientCredentialsGrant, passwordGrant, refreshGrant, revokeRefreshToken, type TokenDeps } from './tokens.js'

/** RFC 6749 §2.3.1: HTTP Basic with the id and secret form-urlencoded. Malformed encoding is a 401. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const match = header && /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header)
  if (!match) return null
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return null
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) }
  } catch {
    // decodeURIComponent's URIError: a stray `%` (RFC 3986 percent-encoding broken).
    throw new ProblemError('unauthorized', 'The HTTP Basic credentials are not validly percent-encoded.', { headers: { 'WWW-Authenticate': 'Basic realm="gongkai"' } })
  }
}

function required(body: Record<string, unknown>, names: string[], grant: string): void {
  const errors: FieldError[] = names.filter((n) => !body[n]).map((n) => ({ pointer: `/body/${n}`, message: `is required for grant_type ${grant}` }))
  if (errors.length) throw new ProblemError('validation-failed', errors.map((e) => `${e.pointer} ${e.message}`).join('; '), { errors })
}

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // OAuth client libraries send the token request form-encoded.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })
  const deps = (): TokenDeps => ({ db: app.db, signer: app.tokenSigner, clock: app.clock, config: app.config })

  app.post(
    '/v1/auth/token',
    {
      schema: {
        operationId: 'createToken',
        tags: ['auth'],
        summary: 'Get an access token',
        description:
          'Access tokens live 15 minutes and end at once when the password is changed or reset or the user signs out. Staff sign in with `password` and keep the session with `refresh_token` (single-use, rotating: presenting a used one again revokes the whole session). Scripts use `client_credentials`. After repeated failures for a name from an address, further tries from there must wait (30 s, doubling, at most 15 minutes); after many failures from everywhere, addresses the account never signed in from wait too. Each address is also rate-limited. Both answer 429 with Retry-After, for unknown names exactly as for real ones.',
        security: [],
        consumes: ['application/json', 'application/x-www-form-urlencoded'],
        body: TokenRequest,
        response: { 200: tokenResponse, ...problemResponses(401, 415, 429) },
      },
      config: { auth: 'public', rateLimit: { max: 20, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      const body = request.body
      const ctx = writeContext(request)
      if (body.grant_type === 'password') {
        required(body, ['username', 'password'], 'password')
        return passwordGrant(deps(), ctx, body.username!, body.password!, request.ip)
      }
      if (body.grant_type === 'client_credentials') {
        const basic = basicCredentials(request.headers.authorization)
        const id = body.client_id ?? basic?.id
        const secret = body.client_secret ?? basic?.secret
        if (!basic) required(body, ['client_id', 'client_secret'], 'client_credentials')
        return clientCredentialsGrant(deps(), ctx, id!, secret!)
      }
      required(body, ['refresh_token'], 'refresh_token')
      return refreshGrant(deps(), ctx, body.refresh_token!)
    },
  )

  app.post(
    '/v1/auth/revoke',
    {
      schema: {
        operationId: 'revokeToken',
        tags: ['auth'],
        summary: 'Sign out: revoke a refresh token and its session',
        description: 'Answers 204 whether or not the token was known (RFC 7009).',
        security: [],
        consumes: ['application/json', 'application/x-www-form-urlencoded'],
        body: RevokeRequest,
        response: { 204: { description: 'Revoked (or unknown).', type: 'null' }, ...problemResponses(415, 429) },
      },
      config: { auth: 'public', rateLimit: { max: 60, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      await revokeRefreshToken(deps(), writeContext(request), request.body.token)
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/v1/me',
    {
      schema: {
        operationId: 'getMe',
        tags: ['auth'],
        summary: 'Who am I: my grants and scopes',
        security: [{ bearerAuth: [] }],
        response: { 200: meResponse, ...problemResponses(401) },
      },
      config: { auth: { beforePasswordChange: true } },
    },
    async (request) => {
      const p = request.principal!
      return { type: p.type, id: p.id, name: p.login, displayName: p.name, regionCode: p.regionCode, grants: p.grants, scopes: p.scopes, mustChangePassword: p.mustChangePassword }
    },
  )

  app.post(
    '/v1/me/password',
    {
      schema: {
        operationId: 'changeMyPassword',
        tags: ['auth'],
        summary: 'Change my password',
        description:
          'Required after signing in with a one-time password. Ends every session and access token of the user, this one included: sign in again with the new password. A wrong current password counts as a failed sign-in (429 with Retry-After after repeated failures).',
        security: [{ bearerAuth: [] }],
        body: ChangePasswordRequest,
        response: { 204: { description: 'Changed.', type: 'null' }, ...problemResponses(401, 403, 422, 429) },
      },
      config: { auth: { beforePasswordChange: true } },
    },
    async (request, reply) => {
      const p = request.principal!
      if (p.type !== 'user') throw new ProblemError('forbidden', 'API clients have secrets, not passwords: rotate the secret instead.')
      await changeOwnPassword(app.db, writeContext(request), p.id, request.body.currentPassword, request.body.newPassword, request.ip)
      return reply.code(204).send(null)
    },
  )
}

