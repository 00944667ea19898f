// Passwords: Argon2id hashes (@node-rs/argon2 defaults: m=19 MiB, t=2, p=1, the OWASP baseline),
// a minimum policy, and generated one-time passwords.
import { hash, verify } from '@node-rs/argon2'
import { randomInt } from 'node:crypto'
import type { FieldError } from '../../lib/problems.js'

export const hashPassword = (password: string) => hash(password)

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

// A hash of a random password, verified against when the username is unknown, so that the answer
// takes as long for an unknown user as for a wrong password.
let decoyHash: Promise<string> | undefined
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hash(generatePassword())
  return decoyHash
}

const commonPasswords = new Set(['password', 'password123', '123456789012', 'qwertyuiopas', 'administrator', 'changeme1234', 'gongkai12345'])

/** The reasons a new password is refused (empty when it is acceptable). */
export function passwordProblems(password: string, username: string, pointer: string): FieldError[] {
  const problems: FieldError[] = []
  if ([...password].length < 12) problems.push({ pointer, message: 'must be at least 12 characters long' })
  if (password.length > 256) problems.push({ pointer, message: 'must be at most 256 characters long' })
  if (password.toLowerCase().includes(username.toLowerCase())) problems.push({ pointer, message: 'must not contain the username' })
  if (commonPasswords.has(password.toLowerCase())) problems.push({ pointer, message: 'is a commonly used password' })
  if (/^(.)\1+$/.test(password)) problems.push({ pointer, message: 'must not repeat one character' })
  return problems
}

// Unambiguous characters (no 0/O, 1/l/I) so a one-time password can be read out over the phone.
const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'

/** A one-time password: 20 characters, about 117 bits. */
export function generatePassword(length = 20): string {
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)]
  return out
}
