// The access-token signing key. From JWT_SECRET when set; on the embedded default, generated on first
// start and kept in the data directory (owner-only); with DATABASE_URL and no JWT_SECRET, start-up stops.
// Rotation: set the new JWT_SECRET and move the old one to JWT_PREVIOUS_SECRET; tokens signed with the
// old key verify until they expire (15 minutes), then drop JWT_PREVIOUS_SECRET.
import { existsSync } from 'node:fs'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Config } from '../../config.js'
import { ConfigError } from '../../config.js'
import { randomToken, sha256Hex } from '../../lib/hashing.js'

export interface SigningKey {
  kid: string
  secret: string
}
export interface SigningKeys {
  current: SigningKey
  previous: SigningKey | null
  /** A random key for this process only (a throwaway database): nothing derived from it is kept. */
  ephemeral?: boolean
}

export const keyOf = (secret: string): SigningKey => ({ kid: sha256Hex(secret).slice(0, 16), secret })

/**
 * `ephemeral`: the database is throwaway (tests, spec generation): a random key for this process.
 */
export async function loadSigningKeys(config: Config, options: { ephemeral: boolean }): Promise<SigningKeys> {
  const previous = config.jwtPreviousSecret ? keyOf(config.jwtPreviousSecret) : null
  if (config.jwtSecret) return { current: keyOf(config.jwtSecret), previous }
  if (options.ephemeral) return { current: keyOf(randomToken(48)), previous, ephemeral: true }
  if (config.databaseUrl) {
    throw new ConfigError('JWT_SECRET: required when DATABASE_URL is set (32+ random characters, the same on every instance)')
  }
  const file = path.resolve(config.dataDir, 'jwt-secret')
  if (existsSync(file)) {
    const secret = (await readFile(file, 'utf8')).trim()
    if (secret.length < 32) throw new ConfigError(`JWT_SECRET: the generated key in ${file} is damaged; delete it to generate a new one`)
    return { current: keyOf(secret), previous }
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 })
  const secret = randomToken(48)
  await writeFile(file, secret + '\n', { mode: 0o600, flag: 'wx' })
  await chmod(file, 0o600)
  return { current: keyOf(secret), previous }
}
