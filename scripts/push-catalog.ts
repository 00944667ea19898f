// Pushes a catalog file (XLSX, CSV or JSON) to gongkai's bulk import, for integrators and scripts:
//
//   npm run push-catalog -- --file catalog.xlsx [--mode upsert|replace] [--dry-run]
//                           [--department civil_affairs] [--domain disaster_relief]
//                           [--charset gbk] [--url http://127.0.0.1:3000] [--quiet]
//
// Credentials of an API client with the items:write scope come from GONGKAI_CLIENT_ID and
// GONGKAI_CLIENT_SECRET (POST /v1/clients; a client bound to a department imports into that
// department only). The script gets a token with the client-credentials grant, uploads the file with
// an Idempotency-Key (so a retry after a dropped connection or a 503 cannot apply it twice), and
// prints what was (or, with --dry-run, would be) added, changed field by field, retired and left
// unchanged. Exit codes: 0 done, 1 the server refused the upload (every bad row is printed), 2 the
// script could not run (arguments, credentials, file, network).
//
// Written against the types generated from the OpenAPI document (src/client/schema.d.ts,
// `npm run client:generate`), so a change of the API that breaks this script breaks its type check.
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import createClient from 'openapi-fetch'
import type { components, paths } from '../src/client/schema.js'

type BulkResult = components['schemas']['BulkImportResult']
type Problem = components['schemas']['Problem']

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const mediaTypes: Record<string, string> = { '.xlsx': XLSX, '.csv': 'text/csv', '.json': 'application/json' }
const RETRIES = 3

class UsageError extends Error {}

const usage = `usage: push-catalog --file <catalog.xlsx|.csv|.json> [--mode upsert|replace] [--dry-run]
                    [--department <code>] [--domain <code>] [--charset utf-8|gbk|gb18030]
                    [--url http://127.0.0.1:3000] [--quiet]
environment: GONGKAI_CLIENT_ID, GONGKAI_CLIENT_SECRET (an API client with items:write)`

function options() {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      mode: { type: 'string', default: 'upsert' },
      'dry-run': { type: 'boolean', default: false },
      department: { type: 'string' },
      domain: { type: 'string' },
      charset: { type: 'string' },
      url: { type: 'string', default: 'http://127.0.0.1:3000' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    console.log(usage)
    process.exit(0)
  }
  if (!values.file) throw new UsageError('--file is required')
  if (values.mode !== 'upsert' && values.mode !== 'replace') throw new UsageError('--mode is upsert or replace')
  const mediaType = mediaTypes[path.extname(values.file).toLowerCase()]
  if (!mediaType) throw new UsageError(`${values.file}: the file must end in .xlsx, .csv or .json`)
  const clientId = process.env.GONGKAI_CLIENT_ID
  const clientSecret = process.env.GONGKAI_CLIENT_SECRET
  if (!clientId || !clientSecret) throw new UsageError('set GONGKAI_CLIENT_ID and GONGKAI_CLIENT_SECRET to the credentials of an API client with the items:write scope')
  return { ...values, file: values.file, mode: values.mode as 'upsert' | 'replace', mediaType, clientId, clientSecret }
}

/** Progress on stderr (so stdout stays the result): a line per step, with the time since the start. */
function progress(quiet: boolean) {
  const start = Date.now()
  return (message: string) => {
    if (!quiet) process.stderr.write(`[${((Date.now() - start) / 1000).toFixed(1)} s] ${message}\n`)
  }
}

const short = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > 80 ? `${text.slice(0, 77)}…` : text
}

function printResult(result: BulkResult) {
  const { counts } = result
  console.log(`${result.dryRun ? 'DRY RUN — nothing was written. ' : ''}${result.rows} items read (${result.format}, ${result.layout} layout), mode ${result.mode}${result.department ? `, department ${result.department}` : ''}:`)
  console.log(`  ${counts.added} added, ${counts.changed} changed, ${counts.retired} retired, ${counts.unchanged} unchanged`)
  for (const a of result.added) console.log(`+ ${a.key}  ${a.firstLevel} / ${a.secondLevel}  (row ${a.row})`)
  for (const c of result.changed) {
    console.log(`~ ${c.key}  ${c.firstLevel} / ${c.secondLevel}  (row ${c.row})`)
    for (const change of c.changes) console.log(`    ${change.field}: ${short(change.old)} → ${short(change.new)}`)
  }
  for (const r of result.retired) console.log(`- ${r.key}  ${r.firstLevel} / ${r.secondLevel}  (retired)`)
  for (const w of result.warnings) console.log(`! ${w}`)
  // How the sheet was read: what each 公开主体 text resolved to, the rows set aside, each row's assumptions.
  for (const b of result.bodies ?? []) console.log(`= ${b.text.replace(/\s+/g, ' ')} → ${b.departments.join(', ') || '(none)'}`)
  for (const s of result.skipped ?? []) console.log(`  skipped row ${s.row} (${s.reason}): ${s.text}`)
  for (const r of result.rowWarnings ?? []) for (const w of r.warnings) console.log(`! row ${r.row}: ${w}`)
}

function printProblem(status: number, problem: Problem | undefined) {
  console.error(`rejected (${status}): ${problem?.detail ?? problem?.title ?? 'no details'}`)
  for (const e of problem?.errors ?? []) console.error(`  ${e.message}    [${e.pointer}]`)
  if (problem?.requestId) console.error(`request id: ${problem.requestId}`)
}

async function main(): Promise<number> {
  const o = options()
  const say = progress(o.quiet)
  const client = createClient<paths>({ baseUrl: o.url.replace(/\/$/, '') })

  const bytes = await readFile(o.file)
  say(`read ${o.file} (${(bytes.length / 1024).toFixed(1)} KB, ${o.mediaType === XLSX ? 'XLSX' : o.mediaType === 'text/csv' ? 'CSV' : 'JSON'})`)

  say(`signing in to ${o.url} as ${o.clientId}`)
  const token = await client.POST('/v1/auth/token', { body: { grant_type: 'client_credentials', client_id: o.clientId, client_secret: o.clientSecret } })
  if (!token.data) {
    printProblem(token.response.status, token.error as Problem | undefined)
    return token.response.status >= 500 ? 2 : 1
  }
  const authorization = `Bearer ${token.data.access_token}`

  // One key for this push: every retry below is the same request, applied at most once.
  const idempotencyKey = randomUUID()
  const contentType = o.charset && o.mediaType === 'text/csv' ? `text/csv; charset=${o.charset}` : o.mediaType
  for (let attempt = 1; ; attempt++) {
    say(`uploading ${(bytes.length / 1024).toFixed(1)} KB (${o['dry-run'] ? 'dry run' : o.mode}${attempt > 1 ? `, attempt ${attempt}` : ''}); the server checks every row…`)
    try {
      const res = await client.POST('/v1/items/bulk', {
        params: {
          query: { mode: o.mode, dryRun: o['dry-run'], ...(o.department ? { department: o.department } : {}), ...(o.domain ? { domain: o.domain } : {}) },
          header: { 'idempotency-key': idempotencyKey },
        },
        headers: { authorization, 'content-type': contentType },
        // The file's bytes go as read (a GBK CSV stays GBK); `body` only names the upload for the types.
        body: o.file as never,
        bodySerializer: () => bytes,
      })
      if (res.data) {
        say(`done${res.response.headers.get('idempotent-replayed') ? ' (the server had already applied this upload; its first answer follows)' : ''}`)
        printResult(res.data)
        return 0
      }
      const status = res.response.status
      if (status >= 500 && attempt < RETRIES) {
        say(`the server answered ${status}; retrying with the same Idempotency-Key`)
        await new Promise((r) => setTimeout(r, 1000 * attempt))
        continue
      }
      printProblem(status, res.error as Problem | undefined)
      return status >= 500 ? 2 : 1
    } catch (err) {
      if (attempt >= RETRIES) throw err
      say(`${(err as Error).message}; retrying with the same Idempotency-Key`)
      await new Promise((r) => setTimeout(r, 1000 * attempt))
    }
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof UsageError ? `${err.message}\n${usage}` : `push-catalog: ${(err as Error).message}`)
    process.exit(2)
  },
)
