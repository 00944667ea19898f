// What an error may put in the log: its kind, message, stack and the database's diagnostic codes —
// never the values of a query. drizzle's query errors carry the SQL parameters (`params`, and again
// in the message: "Failed query: … params: …"), and Postgres's `detail` and `where` quote values
// ("Key (name)=(王五) already exists"); one objection or a thousand-row list would put people's names,
// ID numbers and contacts into the log (PIPL art. 51: keep personal data from those who need none).
// A whitelist, not a blacklist: a field that is not named here is not logged.

const keptFields = ['code', 'statusCode', 'severity', 'constraint', 'table', 'column', 'schema', 'dataType', 'routine', 'errno', 'syscall'] as const
const MAX_CAUSES = 4

/** The message or stack of an error with a drizzle query's parameters cut out. */
export function withoutParameters(text: string): string {
  const at = text.indexOf('\nparams: ')
  if (at < 0) return text
  const stackStart = text.indexOf('\n    at ', at)
  return `${text.slice(0, at)}\nparams: [not logged]${stackStart < 0 ? '' : text.slice(stackStart)}`
}

export interface SafeError {
  type: string
  message: string
  stack: string
  cause?: SafeError
  [field: string]: unknown
}

export function safeError(err: unknown, depth = 0): SafeError {
  if (err === null || typeof err !== 'object') return { type: typeof err, message: String(err), stack: '' }
  const e = err as Error & Record<string, unknown>
  const out: SafeError = {
    type: e.constructor?.name ?? e.name ?? 'Error',
    message: withoutParameters(String(e.message ?? '')),
    stack: typeof e.stack === 'string' ? withoutParameters(e.stack) : '',
  }
  for (const field of keptFields) {
    const value = e[field]
    if (typeof value === 'string' || typeof value === 'number') out[field] = value
  }
  if (e.cause !== undefined && depth < MAX_CAUSES) out.cause = safeError(e.cause, depth + 1)
  return out
}

/** Pino serializers for the app's logger: `err` through the whitelist above. */
export const logSerializers = { err: (err: unknown) => safeError(err) }
