// Authorization in one place. Every route declares `config.auth` (a route without it stops start-up);
// this plugin authenticates the bearer token (HS256 only, key chosen by `kid`), rebuilds the caller
// from the database, and decides: 401 when not authenticated, 403 when not allowed.
import jwt from '@fastify/jwt'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { AccessRule, Principal, Role } from '../../http/access.js'
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
      const principal = claims.typ === 'client' ? await clientPrincipal(app.db, claims.sub) : claims.typ === 'user' ? await userPrincipal(app.db, claims.sub) : null
      if (!principal) throw unauthorized('The account behind this token is disabled or no longer exists.')
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
      if (rule === 'public') return
      const p = request.principal
      if (!p) throw unauthorized('This operation needs an access token (POST /v1/auth/token).')
      if (p.mustChangePassword && !rule.beforePasswordChange) {
        throw new ProblemError('forbidden', 'Change the one-time password first (POST /v1/me/password).')
      }
      const missing = (rule.scopes ?? []).filter((s) => !p.scopes.includes(s))
      if (missing.length) throw new ProblemError('forbidden', `This operation needs the scope ${missing.join(', ')}.`)
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
