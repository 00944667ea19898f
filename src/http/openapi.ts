// The OpenAPI 3.1 document, generated from the route schemas and nothing else, served at
// /openapi.json with a docs UI at /docs. `npm run openapi` writes the same document to
// openapi/openapi.json, and CI fails when the committed copy differs.
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import { problemTypes } from '../lib/problems.js'
import { openapiWebhooks } from '../modules/webhooks/openapi-webhooks.js'

export const apiTags = [
  { name: 'reference', description: 'Regions, disclosure domains and departments.' },
  { name: 'auth', description: 'Tokens (OAuth 2: password, client credentials, rotating refresh tokens) and the caller\'s own account.' },
  { name: 'accounts', description: 'Staff users, their grants (editor/reviewer of a department, admin/auditor of the region) and API clients.' },
  { name: 'audit', description: 'The append-only, hash-chained audit log of every write.' },
  {
    name: 'catalog',
    description:
      "The standard catalog of disclosure items (公开事项标准目录): the working set each department keeps, the catalog versions the district office freezes, reviews and publishes (immutable and cacheable forever; `current` is the latest), their item-by-item, field-by-field diffs, and each region's disclosure levels.",
  },
  {
    name: 'calendar',
    description:
      "The working-day calendar (the State Council's yearly holiday arrangements, provisional years computed from the statutory holidays, region closures), the statutory period rules with their legal sources, and period computation under the Civil Code (arts. 200–204).",
  },
  {
    name: 'notices',
    description:
      'Publicity notices (公示): lists of eligible families, relief recipients, poor students, lottery results, decisions… with their statutory periods, review workflow, conclusion and revisions. Personal columns are masked in every public response.',
  },
  { name: 'objections', description: "The public's objections (异议) to a notice during its period, their receipts, and how staff resolve them." },
  {
    name: 'reports',
    description:
      'Monthly reports (月度工作报告) and pilot phase reports from each department to the district office: five sections, figures filled in by the system, submission, acceptance or return with a comment, due dates from the working-day calendar; the period summary and its export (XLSX, Markdown).',
  },
  { name: 'posts', description: 'The special column (专题专栏) on the portal and the E-Net app: work progress, typical cases and highlights, reviewed before publication.' },
  { name: 'assessment', description: "The district office's assessment of its departments: indicators with numerator, denominator and the records behind every failure, and a weighted score." },
  {
    name: 'applications',
    description:
      'Applications for disclosure on request (依申请公开, Regulations on Open Government Information arts. 27–45): receipt, the statutory clock on the working-day calendar (20 working days, correction, extension, consultation, fees), the reviewed reply and its outcome as the annual report counts it, reviews and lawsuits.',
  },
  { name: 'annual-reports', description: 'The annual report on open government information (arts. 49–50) in the national format (国办公开办函〔2021〕30号): its tables computed from the records, integrity checks, review and publication, export and the district roll-up.' },
  { name: 'changes', description: 'The change feed: every committed change (and statutory moment) exactly once, in commit order; long polls and Server-Sent Events; the event types and their schemas.' },
  { name: 'webhooks', description: 'Standard Webhooks delivery of the change feed to integrators\' endpoints: signed, retried, observable.' },
  { name: 'operations', description: 'Liveness, readiness and the problem types the API reports.' },
]

const problemList = Object.entries(problemTypes)
  .map(([code, t]) => `| \`/problems/${code}\` | ${t.status} | ${t.title} |`)
  .join('\n')

export const openapiDocumentation = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'gongkai',
          version: '1.0.0',
          summary: "Disclosure programme (政务公开) of a district government.",
          description: [
            'A headless API for a district government\'s disclosure programme: the standard catalog of disclosure items,',
            'publicity notices with statutory periods, objections, monthly reports.',
            '',
            'Conventions: JSON field names are camelCase, enum values snake_case, dates `YYYY-MM-DD`, instants RFC 3339.',
            'Lists answer `{ items, nextCursor }`; pass `nextCursor` back as `cursor`. Every error is an RFC 9457',
            '`application/problem+json` document; its `type` can be dereferenced on this server:',
            '',
            '| type | status | title |',
            '|---|---|---|',
            problemList,
          ].join('\n'),
          license: { name: 'MIT', identifier: 'MIT' },
          contact: { name: 'gongkai maintainers' },
        },
        servers: [{ url: '/', description: 'This server' }],
        tags: apiTags,
        // What gongkai sends to registered endpoints (Standard Webhooks), generated from the event types.
        webhooks: openapiWebhooks(),
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from POST /v1/auth/token.' },
          },
        },
      },
      refResolver: {
        // Named schemas (registered with addSchema and an $id) become components under their own name.
        buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
      },
    })
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: true,
      // Served over plain http on a developer's machine too: do not force https for the UI's assets.
      transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, ''),
      uiConfig: { deepLinking: true, displayOperationId: true },
    })
  },
  { name: 'openapi' },
)

/** GET /openapi.json: the generated document (also at /docs/json for the UI). */
export const openapiRoute = fp(
  async (app) => {
    app.get('/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, async () => app.swagger())
  },
  { name: 'openapi-route' },
)
