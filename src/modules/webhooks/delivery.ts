// One HTTP POST of a webhook message: to the address the SSRF rule approved (resolved here, checked,
// and pinned for the connection), no redirects followed, 15 s for the whole exchange, the first KiB
// of the answer kept for the attempts log.
import { lookup as dnsLookup } from 'node:dns/promises'
import http from 'node:http'
import https from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import type { AddressRule } from './address-rule.js'

export const DELIVERY_TIMEOUT_MS = 15_000
const KEPT_RESPONSE_BYTES = 1024

/** Resolves a host name to its addresses (tests stub it; no test ever resolves a real name). */
export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>
export const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true })

export interface DeliveryRequest {
  url: string
  headers: Record<string, string>
  body: string
}

export type DeliveryResult =
  | { outcome: 'answered'; status: number; retryAfter: string | undefined; response: string; durationMs: number }
  | { outcome: 'timeout' | 'refused' | 'error'; status: null; retryAfter: undefined; response: string; durationMs: number }

export class RefusedAddressError extends Error {
  override name = 'RefusedAddressError'
  readonly code = 'EREFUSEDADDRESS'
}

/** A `lookup` for the socket that resolves through `resolve`, refuses if any address breaks the rule, and pins the first. */
export function pinnedLookup(rule: AddressRule, resolve: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const bad = addresses.find((a) => !rule.addressAllowed(a.address))
        if (!addresses.length || bad) {
          callback(new RefusedAddressError(`${hostname} resolves to ${bad?.address ?? 'nothing'}, which webhooks may not reach`), '', 0)
          return
        }
        const first = addresses[0]!
        if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [first])
        else callback(null, first.address, first.family)
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    )
  }
}

export interface Sender {
  (request: DeliveryRequest): Promise<DeliveryResult>
}

/** The real sender: node's http(s) client with the pinned lookup. */
export function httpSender(rule: AddressRule, resolve: Resolver = systemResolver, timeoutMs = DELIVERY_TIMEOUT_MS): Sender {
  const lookup = pinnedLookup(rule, resolve)
  return (request) =>
    new Promise<DeliveryResult>((settle) => {
      const started = performance.now()
      const elapsed = () => Math.round(performance.now() - started)
      const url = new URL(request.url)
      const host = url.hostname.replace(/^\[|\]$/g, '')
      // An address literal never goes through lookup: judged here.
      if (isIP(host) && !rule.addressAllowed(host)) {
        settle({ outcome: 'refused', status: null, retryAfter: undefined, response: `${host} may not be reached by webhooks`, durationMs: 0 })
        return
      }
      const client = url.protocol === 'https:' ? https : http
      const req = client.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'gongkai-webhooks/1', ...request.headers }, lookup, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
        const chunks: Buffer[] = []
        let kept = 0
        res.on('data', (chunk: Buffer) => {
          if (kept < KEPT_RESPONSE_BYTES) chunks.push(chunk.subarray(0, KEPT_RESPONSE_BYTES - kept))
          kept += chunk.length
          if (kept >= KEPT_RESPONSE_BYTES) res.destroy()
        })
        const done = () => {
          const retryAfter = res.headers['retry-after']
          settle({ outcome: 'answered', status: res.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined, response: Buffer.concat(chunks).toString('utf8'), durationMs: elapsed() })
        }
        res.once('end', done)
        res.once('close', done)
        res.once('error', () => undefined)
      })
      req.on('error', (err: NodeJS.ErrnoException) => {
        const outcome = err instanceof RefusedAddressError || err.code === 'EREFUSEDADDRESS' ? 'refused' : err.name === 'TimeoutError' || err.name === 'AbortError' ? 'timeout' : 'error'
        settle({ outcome, status: null, retryAfter: undefined, response: err.message.slice(0, KEPT_RESPONSE_BYTES), durationMs: elapsed() })
      })
      req.end(request.body)
    })
}
