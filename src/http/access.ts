// What a route needs from its caller, declared on the route (`config.auth`) and decided in one place.
// 'public' routes need no token; the accounts module adds scoped and role-based rules.
export type AccessRule = 'public'

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AccessRule
  }
}
