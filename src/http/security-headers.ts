// Security headers on every response, worked out once: helmet's defaults (helmet 8, as @fastify/helmet
// applies them) with our two choices — a Content-Security-Policy that allows nothing to load or frame
// an API answer, and Cross-Origin-Resource-Policy `cross-origin` so that the portal and the apps may
// read public data. @fastify/helmet rebuilds its middleware (parsing the CSP) on every request, about
// 3% of the CPU of a cached read; these are constants, set in one call. test/foundation/
// security-headers.test.ts holds them equal to what @fastify/helmet sends for the same options.
import fp from 'fastify-plugin'

export const securityHeaders: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy':
    "default-src 'none';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'none';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'cross-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
})

/** The options of @fastify/helmet that give `securityHeaders` (for the test that compares them). */
export const helmetOptions = {
  contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  crossOriginResourcePolicy: { policy: 'cross-origin' as const },
}

export const securityHeaderPlugin = fp(
  async (app) => {
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(securityHeaders)
      done()
    })
  },
  { name: 'security-headers' },
)
