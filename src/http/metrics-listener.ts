// The internal metrics port (METRICS_PORT, issue 15): a second listener, bound to METRICS_HOST
// (loopback unless the operator says otherwise), that serves GET /metrics without a token, for a
// Prometheus scraper on the host or on a private network the operator controls. It serves nothing
// else: any other path is a 404 problem, any other method a 405 problem (RFC 9457, as on the API's
// port). The API's own GET /metrics keeps requiring metrics:read.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyBaseLogger } from 'fastify'
import { problemTypeUri, problemTypes, type ProblemCode } from '../lib/problems.js'
import { databaseProblem } from './errors.js'

/** What the listener exposes: prom-client's Registry fits. */
export interface MetricsSource {
  readonly contentType: string
  metrics(): Promise<string>
}

export interface MetricsListener {
  /** http://host:port of the listener (the port the kernel chose when METRICS_PORT is 0). */
  address: string
  close(): Promise<void>
}

function sendProblem(res: http.ServerResponse, path: string, code: ProblemCode, detail: string, headers: Record<string, string> = {}) {
  const { status, title } = problemTypes[code]
  res.writeHead(status, { 'content-type': 'application/problem+json', 'x-content-type-options': 'nosniff', ...headers })
  res.end(JSON.stringify({ type: problemTypeUri(code), title, status, detail, instance: path }))
}

export async function listenForMetrics(source: MetricsSource, options: { port: number; host: string; log: FastifyBaseLogger }): Promise<MetricsListener> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    if (path !== '/metrics') return sendProblem(res, path, 'route-not-found', 'This port serves only GET /metrics.')
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendProblem(res, path, 'method-not-allowed', 'GET /metrics only.', { allow: 'GET, HEAD' })
    source.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': source.contentType, 'x-content-type-options': 'nosniff' })
        res.end(req.method === 'HEAD' ? undefined : text)
      },
      (err: unknown) => {
        // A series reads the database: when it is away the scrape fails as the API's would (503), never a 4xx.
        options.log.error({ err }, 'metrics collection failed on the internal port')
        const problem = databaseProblem(err)
        if (problem?.code === 'service-unavailable') sendProblem(res, path, problem.code, problem.detail, { 'retry-after': '1' })
        else sendProblem(res, path, 'internal', problemTypes.internal.description)
      },
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { address, port, family } = server.address() as AddressInfo
  return {
    address: `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
