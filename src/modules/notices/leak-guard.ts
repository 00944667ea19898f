// The last line of defence for personal data (PIPL arts. 6, 51; DESIGN.md "Personal information"):
// every response to an anonymous caller on these routes is scanned for an unmasked ID number or mobile
// number before it leaves. Masking and the checks at upload should make this never fire; when it does,
// the caller gets a 500 problem instead of the leak, and the log says which kind leaked where — never
// the value. Landlines and e-mail addresses are refused in lists at upload but not scanned here: an
// office hotline or mailbox in a notice's text is public on purpose.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { findUnmasked } from '../../lib/masking.js'
import { problemTypes, problemTypeUri } from '../../lib/problems.js'

/**
 * The same check for a body rendered to be kept and sent as bytes (the cached anonymous list): the
 * hook above sees only strings. Throws (a 500 problem, nothing kept) when the body holds a number.
 */
export function refuseLeak(request: FastifyRequest, body: string): void {
  const found = findUnmasked(body, ['idNumber', 'mobile'])
  if (!found) return
  request.log.error({ leak: found.kind, route: request.routeOptions.url, status: 200 }, 'unmasked personal data in a public response: withheld')
  throw new Error('unmasked personal data in a public response')
}

export function guardAnonymousResponses(app: FastifyInstance) {
  app.addHook('onSend', async (request, reply, payload) => {
    // A problem echoes only the caller's own request (its URL as `instance`), never stored data: a
    // number typed into a URL is not a leak, and withholding it would turn bad input into a 500.
    if (request.principal || typeof payload !== 'string' || reply.statusCode >= 400) return payload
    const found = findUnmasked(payload, ['idNumber', 'mobile'])
    if (!found) return payload
    request.log.error({ leak: found.kind, route: request.routeOptions.url, status: reply.statusCode }, 'unmasked personal data in a public response: withheld')
    reply.code(500).type('application/problem+json')
    reply.removeHeader('etag')
    reply.header('cache-control', 'no-store')
    return JSON.stringify({
      type: problemTypeUri('internal'),
      title: problemTypes.internal.title,
      status: 500,
      detail: 'The response was withheld: it held personal data that should have been masked. The operator can find it by the requestId.',
      instance: request.url,
      requestId: String(request.id),
    })
  })
}
