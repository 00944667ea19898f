// Authorization in one place. Every route declares `config.auth` (a route without it stops start-up);
// this plugin authenticates the bearer token (HS256 only, key chosen by `kid`), rebuilds the caller
// from the database (one indexed read of the user, which also checks the token's epoch), and decides:
// 401 when not authenticated, 403 when not allowed. A token presented to a public route is checked
// the same way and under the same rules (a one-time password blocks everything but changing it).
// Every answer to an authenticated caller is `Cache-Control: no-store` unless its route says otherwise.
import jwt from '@fastify/jwt'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { AccessRule, Principal, Role, Scope } from '../../http/access.js'
import { ProblemError } from '../../lib/problems.js'
import type { SigningKeys } from './keys.js'
import { clientPrincipal, userPrincipal } from './principal.js'
import { ACCESS_TOKEN_SECONDS, type AccessClaims, type AccessTokenSigner } from './tokens.js'

declare module 'fastify' {
  interface FastifyInstance {
    tokenSigner: AccessTokenSigner
  }
}

const unauthorized = (detail: string) =>
  new ProblemError('unauthorized', detail, { headers: { 'WWW-Authenticate': 'Bearer realm="gongkai"' } })

/** Does this caller hold one of `roles` on `department` (or region-wide)? */
export function holdsRole(principal: Principal, roles: readonly Role[], department: string | null | undefined): boolean {
  return principal.grants.some((g) => {
    if (g.role === 'admin') return roles.some((r) => r !== 'auditor') || roles.includes('admin')
    if (!roles.includes(g.role)) return false
    return g.departmentCode === null || (department !== null && department !== undefined && g.departmentCode === department)
  })
}

/** The roles that may see a department's content before it is published. */
const staffRoles: readonly Role[] = ['editor', 'reviewer', 'admin', 'auditor']

/**
 * May this caller see unpublished (or unmasked) content of a kind in `department`? It needs a role
 * there (or region-wide) *and* a scope that concerns the content: `scope` (the kind's write scope),
 * `review:approve` or `read:private`. A client holding only `items:write` sees no unpublished notice.
 */
export function seesUnpublished(principal: Principal | null, scope: Scope, department: string | null): boolean {
  if (!principal || principal.mustChangePassword) return false
  return holdsContentScope(principal, scope) && holdsRole(principal, staffRoles, department)
}

function holdsContentScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.some((s) => s === scope || s === 'review:approve' || s === 'read:private')
}

/**
 * The departments whose unpublished content of a kind this caller sees: null for all of the region,
 * [] for none (anonymous callers, or callers without a scope for the kind).
 */
export function departmentsSeenUnpublished(principal: Principal | null, scope: Scope): string[] | null {
  if (!principal || principal.mustChangePassword || !holdsContentScope(principal, scope)) return []
  if (principal.grants.some((g) => g.departmentCode === null && staffRoles.includes(g.role))) return null
  return principal.grants.map((g) => g.departmentCode).filter((d): d is string => d !== null)
}

export const authorization = fp(
  async (app, opts: { keys: SigningKeys }) => {
    const { current, previous } = opts.keys
    await app.register(jwt, {
      secret: current.secret,
      sign: { algorithm: 'HS256', expiresIn: ACCESS_TOKEN_SECONDS, kid: current.kid, iss: 'gongkai' },
      verify: { algorithms: ['HS256'], allowedIss: 'gongkai' },
    })
    app.decorate('tokenSigner', { sign: (claims: AccessClaims) => app.jwt.sign(claims) })
    app.decorateRequest('principal', null)

    async function authenticate(request: FastifyRequest, rule: AccessRule): Promise<Principal | null> {
      const header = request.headers.authorization
      if (!header) return null
      // Other schemes (HTTP Basic on the token endpoint) are for the public route to read itself.
      if (rule === 'public' && !/^bearer /i.test(header)) return null
      const match = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/.exec(header)
      if (!match) throw unauthorized('The Authorization header must be "Bearer <access token>".')
      const token = match[1]!
      let claims: AccessClaims
      try {
        const decoded = app.jwt.decode<{ header: { kid?: string; alg?: string } }>(token, { complete: true })
        const kid = decoded?.header?.kid
        const key = kid === current.kid ? current.secret : previous && kid === previous.kid ? previous.secret : null
        if (!key) throw new Error('unknown key id')
        claims = app.jwt.verify<AccessClaims>(token, { key, algorithms: ['HS256'] })
      } catch {
        throw unauthorized('The access token is invalid or has expired.')
      }
      const principal =
        claims.typ === 'client' ? await clientPrincipal(app.db, claims.sub) : claims.typ === 'user' ? await userPrincipal(app.db, claims.sub, claims.ep ?? 0) : null
      if (!principal) throw unauthorized('The token has been revoked (password change, reset or sign-out), or its account is disabled or no longer exists.')
      return principal
    }

    app.addHook('onRoute', (route) => {
      const config = (route.config ??= {}) as { auth?: AccessRule }
      if (config.auth) return
      // The docs UI's own asset routes are public; every other route must say what it needs.
      if (route.url.startsWith('/docs')) config.auth = 'public'
      else throw new Error(`route ${route.method} ${route.url} declares no access rule (config.auth)`)
    })

    // Authentication and scopes before validation: an anonymous caller gets 401, not a 400 on its body.
    app.addHook('onRequest', async (request) => {
      const rule = request.routeOptions.config.auth
      if (!rule) return // 404 handler
      request.principal = await authenticate(request, rule)
      const p = request.principal
      // A one-time password allows nothing but changing it, on public routes too: a token is not
      // worth more on a public route than on a staff one (raw lists, unpublished drafts).
      if (p?.mustChangePassword && (rule === 'public' || !rule.beforePasswordChange)) {
        throw new ProblemError('forbidden', 'Change the one-time password first (POST /v1/me/password).')
      }
      if (rule === 'public') return
      if (!p) throw unauthorized('This operation needs an access token (POST /v1/auth/token).')
      if (rule.peopleOnly && p.type === 'client') throw new ProblemError('forbidden', 'This operation is for people only: API clients never manage accounts.')
      const missing = (rule.scopes ?? []).filter((s) => !p.scopes.includes(s))
      if (missing.length) throw new ProblemError('forbidden', `This operation needs the scope ${missing.join(', ')}.`)
    })

    // Private answers are never stored by a browser or proxy: anything an authenticated caller
    // receives (unmasked lists, users, clients, drafts) and routes marked noStore (objection receipts).
    // Routes that set their own Cache-Control (published catalog versions) keep it.
    app.addHook('onSend', async (request, reply, payload) => {
      if ((request.principal || request.routeOptions.config.noStore) && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store')
      return payload
    })

    // Roles on the resource's department need the validated request (its params or body).
    app.addHook('preHandler', async (request) => {
      const rule = request.routeOptions.config.auth
      if (!rule || rule === 'public' || !rule.roles) return
      const principal = request.principal!
      // A client acts only within its scopes: a rule that names roles but no scope is for people.
      if (principal.type === 'client' && !rule.scopes?.length) throw new ProblemError('forbidden', 'This operation is for staff users, not API clients.')
      const department = rule.department ? await rule.department(request) : null
      if (!holdsRole(principal, rule.roles, department)) {
        const where = department ? ` of department ${department}` : ''
        throw new ProblemError('forbidden', `This operation needs the role ${rule.roles.join(' or ')}${where}.`)
      }
    })
  },
  { name: 'authorization', dependencies: ['problem-handling'] },
)
