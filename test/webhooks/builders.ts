// A webhook receiver on 127.0.0.1 (the only address tests ever send to) that records each request and
// answers what the test queued (204 by default).
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import { Webhook as SvixWebhook } from 'svix'
import type { Test } from 'tap'

export interface Received {
  headers: http.IncomingHttpHeaders
  body: string
}

export interface Answer {
  status: number
  headers?: Record<string, string>
  body?: string
}

export async function receiver(t: Test) {
  const received: Received[] = []
  const answers: Answer[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      const answer = answers.shift() ?? { status: 204 }
      res.writeHead(answer.status, answer.headers ?? {})
      res.end(answer.body ?? '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const port = (server.address() as AddressInfo).port
  return { url: `http://127.0.0.1:${port}/hook`, port, received, answers }
}

/** Both verifiers' window around their own (real) clock for `webhook-timestamp`. */
const TOLERANCE_SECONDS = 5 * 60

/**
 * Whether a delivery verifies with `secret`, by the `standardwebhooks` library and, independently, by
 * `svix`'s own implementation (pinned to 1.82: later versions wrap standardwebhooks). When the
 * delivery's timestamp is within the libraries' 5-minute window of the real clock, their full
 * `verify`; otherwise (the simulated clock of retry tests runs hours ahead, which `verify` rightly
 * refuses) each library's signature of id.timestamp.body, looked up among the header's signatures.
 */
export function verifies(secret: string, delivery: Received): { standardwebhooks: boolean; svix: boolean } {
  const headers = delivery.headers as Record<string, string>
  const timestamp = Number(headers['webhook-timestamp'])
  const inWindow = Math.abs(Date.now() / 1000 - timestamp) < TOLERANCE_SECONDS
  const signatures = String(headers['webhook-signature'] ?? '').split(' ')
  const check = (verify: () => unknown, sign: () => string) => {
    try {
      if (inWindow) return Boolean(verify())
      return signatures.includes(sign())
    } catch {
      return false
    }
  }
  const at = new Date(timestamp * 1000)
  const id = headers['webhook-id'] ?? ''
  const standard = new StandardWebhook(secret)
  const svix = new SvixWebhook(secret)
  return {
    standardwebhooks: check(() => standard.verify(delivery.body, headers), () => standard.sign(id, at, delivery.body)),
    svix: check(() => svix.verify(delivery.body, headers), () => svix.sign(id, at, delivery.body)),
  }
}

/** Every delivery verified by both libraries with `secret` (the deliveries that did not, for the assertion message). */
export function unverified(secret: string, deliveries: Received[]): string[] {
  return deliveries.flatMap((d, i) => {
    const v = verifies(secret, d)
    return v.standardwebhooks && v.svix ? [] : [`delivery ${i} (${String(d.headers['webhook-id'])}): standardwebhooks ${v.standardwebhooks}, svix ${v.svix}`]
  })
}
