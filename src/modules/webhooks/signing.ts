// Signing per the Standard Webhooks specification, with its reference library: `webhook-signature` is
// `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per valid secret, space-separated — during the
// 24 h after a rotation both the new and the previous secret sign, so receivers can switch at leisure.
import { randomBytes } from 'node:crypto'
import { Webhook } from 'standardwebhooks'

/** How long the previous secret keeps signing after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000

/** `whsec_` and 32 random bytes, base64: the format the Standard Webhooks libraries take. */
export const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`

export interface SigningKeys {
  secret: string
  previousSecret: string | null
  previousSecretUntil: Date | null
}

/** The three headers of a delivery at `at` (the app's clock). */
export function signedHeaders(keys: SigningKeys, messageId: string, at: Date, body: string): Record<string, string> {
  const secrets = [keys.secret]
  if (keys.previousSecret && keys.previousSecretUntil && keys.previousSecretUntil > at) secrets.push(keys.previousSecret)
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(messageId, at, body)).join(' '),
  }
}
