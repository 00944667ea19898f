// The one place that reads process.env. Every setting is validated at start; a bad one stops start-up
// with a message naming it.
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
  trustProxy: Type.Boolean(),
  demoData: Type.Boolean(),
  backupDir: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
  backupEveryMinutes: Type.Integer({ minimum: 0, maximum: 7 * 24 * 60 }),
  backupKeep: Type.Integer({ minimum: 1, maximum: 10_000 }),
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
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

function parseBoolean(name: string, raw: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true
  if (/^(0|false|no|off)$/i.test(raw)) return false
  throw new ConfigError(`${name}: expected true or false, got ${JSON.stringify(raw)}`)
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
    trustProxy: get('trustProxy') ? parseBoolean('TRUST_PROXY', get('trustProxy')!) : false,
    // Demo data goes into the embedded database only, unless asked for explicitly.
    demoData: get('demoData') ? parseBoolean('DEMO_DATA', get('demoData')!) : !get('databaseUrl'),
    backupDir: get('backupDir') ?? null,
    backupEveryMinutes: get('backupEveryMinutes') ? parseDuration('BACKUP_EVERY', get('backupEveryMinutes')!) : 0,
    backupKeep: get('backupKeep') ? parseInteger('BACKUP_KEEP', get('backupKeep')!) : 14,
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
  if (candidate.backupEveryMinutes > 0 && candidate.databaseUrl && !candidate.backupDir) {
    throw new ConfigError('BACKUP_EVERY: scheduled backups of a Postgres database need BACKUP_DIR (where pg_dump writes them)')
  }
  return candidate
}
