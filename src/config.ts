// The one place that reads process.env. Every setting is validated at start; a bad one stops start-up
// with a message naming it.
import { isIP } from 'node:net'
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'

const LogLevel = Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])

export const ConfigSchema = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  host: Type.String({ minLength: 1 }),
  databaseUrl: Type.Union([Type.String({ pattern: '^postgres(ql)?://' }), Type.Null()]),
  databaseReadUrl: Type.Union([Type.String({ pattern: '^postgres(ql)?://' }), Type.Null()]),
  dataDir: Type.String({ minLength: 1 }),
  logLevel: LogLevel,
  jwtSecret: Type.Union([Type.String({ minLength: 32 }), Type.Null()]),
  jwtPreviousSecret: Type.Union([Type.String({ minLength: 32 }), Type.Null()]),
  refreshTokenDays: Type.Integer({ minimum: 1, maximum: 365 }),
  defaultRegion: Type.String({ pattern: '^[0-9]{6}$' }),
  corsOrigins: Type.Array(Type.String({ pattern: '^https?://[^/\\s]+$' })),
  bodyLimit: Type.Integer({ minimum: 1024, maximum: 256 * 1024 * 1024 }),
  /**
   * Which X-Forwarded-For hops to believe: false (none), a number of proxies in front of the API
   * (the client address is that many hops from the right), or the proxies' addresses/CIDRs.
   * Never `true`: trusting the left-most entry lets any caller pick its own address.
   */
  trustProxy: Type.Union([Type.Literal(false), Type.Integer({ minimum: 1, maximum: 10 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })]),
  demoData: Type.Boolean(),
  backupDir: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
  backupEveryMinutes: Type.Integer({ minimum: 0, maximum: 7 * 24 * 60 }),
  backupKeep: Type.Integer({ minimum: 1, maximum: 10_000 }),
  /** Webhook delivery and the statutory-time scheduler run in this process (server.ts starts them). */
  backgroundJobs: Type.Boolean(),
  /**
   * Webhook targets allowed although private (intranet receivers): CIDRs or addresses (`10.20.0.0/16`)
   * and host names. Everything else must be a public address over https (SSRF rule, webhooks/address-rule.ts).
   */
  webhookAllowHosts: Type.Array(Type.String({ minLength: 1 })),
  /**
   * Seconds a webhook delivery may take (the 15 s). A claim is leased for four times this, so a
   * crashed instance's deliveries are retried that long after it died (fault scripts shorten it).
   */
  webhookTimeoutSeconds: Type.Integer({ minimum: 1, maximum: 120 }),
  /** A second listener serving only GET /metrics without a token, for an internal scraper (null: none). */
  metricsPort: Type.Union([Type.Integer({ minimum: 0, maximum: 65535 }), Type.Null()]),
  /** Where that listener binds: loopback unless the operator says otherwise. */
  metricsHost: Type.String({ minLength: 1 }),
})
export type Config = Static<typeof ConfigSchema>

/** The environment variable each setting is read from, for messages and the README. */
export const settingNames: Record<keyof Config, string> = {
  port: 'PORT',
  host: 'HOST',
  databaseUrl: 'DATABASE_URL',
  databaseReadUrl: 'DATABASE_READ_URL',
  dataDir: 'DATA_DIR',
  logLevel: 'LOG_LEVEL',
  jwtSecret: 'JWT_SECRET',
  jwtPreviousSecret: 'JWT_PREVIOUS_SECRET',
  refreshTokenDays: 'REFRESH_TOKEN_DAYS',
  defaultRegion: 'DEFAULT_REGION',
  corsOrigins: 'CORS_ORIGINS',
  bodyLimit: 'BODY_LIMIT',
  trustProxy: 'TRUST_PROXY',
  demoData: 'DEMO_DATA',
  backupDir: 'BACKUP_DIR',
  backupEveryMinutes: 'BACKUP_EVERY',
  backupKeep: 'BACKUP_KEEP',
  backgroundJobs: 'BACKGROUND_JOBS',
  webhookAllowHosts: 'WEBHOOK_ALLOW_HOSTS',
  webhookTimeoutSeconds: 'WEBHOOK_TIMEOUT',
  metricsPort: 'METRICS_PORT',
  metricsHost: 'METRICS_HOST',
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

function parseBoolean(name: string, raw: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true
  if (/^(0|false|no|off)$/i.test(raw)) return false
  throw new ConfigError(`${name}: expected true or false, got ${JSON.stringify(raw)}`)
}

/** A proxy address or CIDR range (`10.0.0.0/8`, `fd00::/8`, `192.0.2.7`). */
function isAddressOrRange(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/')
  const family = isIP(address ?? '')
  if (!family || rest.length) return false
  if (prefix === undefined) return true
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)
}

/**
 * TRUST_PROXY: `false` (default: the socket's address is the caller's), a hop count (`1` behind one
 * load balancer), or comma-separated proxy addresses/CIDRs. `true` is refused (issue 14 #11).
 */
function parseTrustProxy(raw: string): Config['trustProxy'] {
  if (/^(0|false|no|off)$/i.test(raw)) return false
  if (/^(1|true|yes|on)$/i.test(raw) && !/^1$/.test(raw)) {
    throw new ConfigError('TRUST_PROXY: "true" would believe any X-Forwarded-For a caller sends; give the number of proxies in front of the API (e.g. 1) or their addresses/CIDRs')
  }
  if (/^\d+$/.test(raw.trim())) return parseInteger('TRUST_PROXY', raw)
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean)
  const bad = entries.find((e) => !isAddressOrRange(e))
  if (bad !== undefined || !entries.length) throw new ConfigError(`TRUST_PROXY: expected a hop count or proxy addresses/CIDRs, got ${JSON.stringify(bad ?? raw)}`)
  return entries
}

/**
 * TRUST_PROXY as Fastify's `trustProxy`. A hop count becomes a function (hop i from the socket is a
 * proxy while i < n): Fastify 5 deliberately trusts nothing for a bare number. A count is sound only
 * when the API cannot be reached except through those proxies; addresses/CIDRs are sound everywhere.
 */
export function trustProxyOption(value: Config['trustProxy']): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value !== 'number') return value
  return (_address, hop) => hop < value
}

function parseInteger(name: string, raw: string): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${name}: expected a whole number, got ${JSON.stringify(raw)}`)
  return Number(raw)
}

/** Minutes, from `90`, `90m`, `6h` or `1d`; `0` or `off` turns the thing off. */
function parseDuration(name: string, raw: string): number {
  if (/^off$/i.test(raw.trim())) return 0
  const match = /^(\d+)\s*(m|h|d)?$/i.exec(raw.trim())
  if (!match) throw new ConfigError(`${name}: expected minutes or a duration such as 30m, 6h, 1d, got ${JSON.stringify(raw)}`)
  return Number(match[1]) * ({ m: 1, h: 60, d: 1440 }[(match[2] ?? 'm').toLowerCase() as 'm' | 'h' | 'd'])
}

/** Reads the settings from an environment (process.env by default) and validates them. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const get = (key: keyof Config): string | undefined => {
    const value = env[settingNames[key]]
    return value === undefined || value === '' ? undefined : value
  }
  const candidate: Config = {
    port: get('port') ? parseInteger('PORT', get('port')!) : 3000,
    host: get('host') ?? '127.0.0.1',
    databaseUrl: get('databaseUrl') ?? null,
    databaseReadUrl: get('databaseReadUrl') ?? null,
    dataDir: get('dataDir') ?? './data',
    logLevel: (get('logLevel') ?? 'info') as Config['logLevel'],
    jwtSecret: get('jwtSecret') ?? null,
    jwtPreviousSecret: get('jwtPreviousSecret') ?? null,
    refreshTokenDays: get('refreshTokenDays') ? parseInteger('REFRESH_TOKEN_DAYS', get('refreshTokenDays')!) : 30,
    defaultRegion: get('defaultRegion') ?? '230202',
    corsOrigins: (get('corsOrigins') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    bodyLimit: get('bodyLimit') ? parseInteger('BODY_LIMIT', get('bodyLimit')!) : 1024 * 1024,
    trustProxy: get('trustProxy') ? parseTrustProxy(get('trustProxy')!) : false,
    // Demo data goes into the embedded database only, unless asked for explicitly.
    demoData: get('demoData') ? parseBoolean('DEMO_DATA', get('demoData')!) : !get('databaseUrl'),
    backupDir: get('backupDir') ?? null,
    backupEveryMinutes: get('backupEveryMinutes') ? parseDuration('BACKUP_EVERY', get('backupEveryMinutes')!) : 0,
    backupKeep: get('backupKeep') ? parseInteger('BACKUP_KEEP', get('backupKeep')!) : 14,
    backgroundJobs: get('backgroundJobs') ? parseBoolean('BACKGROUND_JOBS', get('backgroundJobs')!) : true,
    webhookAllowHosts: (get('webhookAllowHosts') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    webhookTimeoutSeconds: get('webhookTimeoutSeconds') ? parseInteger('WEBHOOK_TIMEOUT', get('webhookTimeoutSeconds')!) : 15,
    metricsPort: get('metricsPort') ? parseInteger('METRICS_PORT', get('metricsPort')!) : null,
    metricsHost: get('metricsHost') ?? '127.0.0.1',
  }
  return validateConfig(candidate)
}

export function validateConfig(candidate: Config): Config {
  const first = Value.Errors(ConfigSchema, candidate)[0]
  if (first) {
    const key = first.instancePath.split('/')[1] as keyof Config | undefined
    const name = key ? settingNames[key] : 'configuration'
    const shown = key === 'jwtSecret' || key === 'jwtPreviousSecret' || key === 'databaseUrl' || key === 'databaseReadUrl' ? '(value hidden)' : JSON.stringify(key ? candidate[key] : candidate)
    throw new ConfigError(`${name}: ${first.message} ${shown}`)
  }
  if (candidate.databaseReadUrl && !candidate.databaseUrl) {
    throw new ConfigError('DATABASE_READ_URL: a read replica needs DATABASE_URL (the embedded database has no replicas)')
  }
  if (candidate.backupEveryMinutes > 0 && candidate.databaseUrl && !candidate.backupDir) {
    throw new ConfigError('BACKUP_EVERY: scheduled backups of a Postgres database need BACKUP_DIR (where pg_dump writes them)')
  }
  return candidate
}
