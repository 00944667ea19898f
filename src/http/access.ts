// What a route needs from its caller, declared on the route as `config.auth` and decided in one place
// (src/modules/auth/guard.ts). Every route must declare a rule: a route without one fails at start-up.
import type { FastifyRequest } from 'fastify'
import type { WriteContext } from '../modules/audit/service.js'

export const roles = ['editor', 'reviewer', 'admin', 'auditor'] as const
export type Role = (typeof roles)[number]

export const scopes = [
  'items:write',
  'catalog:publish',
  'notices:write',
  'reports:write',
  'posts:write',
  'applications:write',
  'review:approve',
  'calendar:write',
  'accounts:read',
  'accounts:manage',
  'webhooks:manage',
  'events:read',
  'metrics:read',
  'audit:read',
  'read:private',
] as const
export type Scope = (typeof scopes)[number]

export interface Grant {
  id: string
  role: Role
  /** null: the grant is on the whole region (admin, auditor). */
  departmentCode: string | null
}

/** The authenticated caller: a staff user or an API client. */
export interface Principal {
  type: 'user' | 'client'
  id: string
  /**
   * The name the public may see (a user's display name, a client's name): what is recorded as author,
   * reviewer or editor on published content. Login names are never published (they are half a
   * credential: knowing one lets anyone aim the sign-in throttle at it).
   */
  name: string
  /** The username, or the client id: for the caller's own view and the audit log, never published. */
  login: string
  regionCode: string
  grants: Grant[]
  scopes: Scope[]
  /** Set for a user who must change a one-time password before doing anything else. */
  mustChangePassword: boolean
}

export type AccessRule =
  | 'public'
  | {
      /** Every scope listed is required. */
      scopes?: Scope[]
      /**
       * The caller must hold one of these roles on the resource's department (see `department`), or
       * region-wide. An admin qualifies for every role except `auditor`'s read-only access.
       */
      roles?: Role[]
      /** The department the resource belongs to (its code), when the rule is about a department. */
      department?: (request: FastifyRequest) => string | null | undefined | Promise<string | null | undefined>
      /** Allowed while the user still has to change a one-time password (/v1/me, password change). */
      beforePasswordChange?: boolean
      /** For people only: no API client may call it, whatever its scopes (account management). */
      peopleOnly?: boolean
    }

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AccessRule
    /** The answer is private to its caller even when anonymous (an objection receipt): never cached. */
    noStore?: boolean
  }
  interface FastifyRequest {
    /** The authenticated caller, or null on an anonymous request. */
    principal: Principal | null
  }
}

/** The audit and workflow context of a write made by this request. */
export function writeContext(request: FastifyRequest): WriteContext {
  const p = request.principal
  return {
    actor: p ? { type: p.type, id: p.id, name: p.name, login: p.login } : { type: 'public', id: null, name: 'anonymous' },
    requestId: String(request.id),
    regionCode: p?.regionCode ?? request.server.config.defaultRegion,
    now: request.server.clock.now(),
  }
}
