// SSRF: webhook targets are public addresses over https, unless the operator allow-listed an intranet
// receiver. Refused at registration (the URL) and at the dialer (every resolved address; the socket
// goes to the checked one). No packet leaves the machine: names resolve through a stub, refusals
// happen before any connection, and the one delivery made goes to a receiver on 127.0.0.1.
import t from 'tap'
import { AddressRule, unmapped } from '../../src/modules/webhooks/address-rule.js'
import { httpSender, pinnedLookup, type Resolver } from '../../src/modules/webhooks/delivery.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, clientWith } from '../helpers/auth.js'
import { receiver } from './builders.js'

const probes = [
  'https://127.0.0.1/hook',
  'https://127.1.2.3/hook',
  'https://[::1]/hook',
  'https://169.254.169.254/latest/meta-data/',
  'https://10.0.0.8/hook',
  'https://172.16.4.4/hook',
  'https://192.168.1.1/hook',
  'https://100.64.0.1/hook',
  'https://[fc00::1]/hook',
  'https://[fd12:3456::1]/hook',
  'https://[fe80::1]/hook',
  'https://[::ffff:10.0.0.1]/hook',
  'https://[::ffff:127.0.0.1]/hook',
  'https://0.0.0.0/hook',
  'https://localhost/hook',
  'http://portal.example.gov.cn/hook',
  'https://user:pass@portal.example.gov.cn/hook',
  'ftp://portal.example.gov.cn/hook',
]

t.test('registration refuses loopback, private, link-local, CGNAT, ULA and mapped addresses, plain http and credentials', async (t) => {
  const { app } = await buildTestApp(t)
  const { token } = await clientWith(app, ['webhooks:manage'])
  for (const url of probes) {
    const res = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(token), payload: { url } })
    t.equal(res.statusCode, 422, url)
    t.match(json(res).errors, [{ pointer: '/body/url' }])
  }
  const fine = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(token), payload: { url: 'https://portal.example.gov.cn/hook' } })
  t.equal(fine.statusCode, 201, 'a public https URL is registered (nothing is sent at registration)')
  const unknownType = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(token), payload: { url: 'https://portal.example.gov.cn/hook', types: ['notice.exploded'] } })
  t.match(json(unknownType).errors, [{ pointer: '/body/types/0' }])
})

t.test('an allow-listed intranet receiver may use http and a private address', async (t) => {
  const rule = new AddressRule(['10.20.0.0/16', 'wiki.intranet'])
  t.equal(rule.urlProblem('http://10.20.3.4:8080/hook'), null)
  t.equal(rule.urlProblem('http://wiki.intranet/hook'), null)
  t.match(rule.urlProblem('http://10.21.0.1/hook'), /https/)
  t.ok(rule.addressAllowed('10.20.9.9'))
  t.notOk(rule.addressAllowed('10.21.0.1'))
  t.ok(rule.addressAllowed('93.184.216.34'), 'a public address')
  t.ok(rule.addressAllowed('2001:4860:4860::8888'), 'a public IPv6 address')
  t.notOk(rule.addressAllowed('not an address'))
  t.equal(unmapped('::ffff:a00:1'), '10.0.0.1', 'the hex form of an IPv4-mapped address is judged as IPv4')
  t.equal(unmapped('[::ffff:192.168.0.1]'), '192.168.0.1')
})

t.test('the dialer checks every resolved address and refuses before connecting', async (t) => {
  const rule = new AddressRule([])
  const asked: string[] = []
  const stub =
    (answers: Record<string, string[]>): Resolver =>
    async (host) => {
      asked.push(host)
      return (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
    }
  const resolver = stub({ 'rebind.example': ['10.0.0.5'], 'mixed.example': ['93.184.216.34', '169.254.169.254'], 'ula.example': ['fd00::5'], 'empty.example': [] })
  const send = httpSender(rule, resolver)
  for (const host of ['rebind.example', 'mixed.example', 'ula.example', 'empty.example']) {
    const result = await send({ url: `https://${host}/hook`, headers: {}, body: '{}' })
    t.equal(result.outcome, 'refused', `${host} resolving to a forbidden address is refused`)
  }
  t.same(asked, ['rebind.example', 'mixed.example', 'ula.example', 'empty.example'], 'each name went through the (stubbed) resolver')
  const literal = await send({ url: 'https://169.254.169.254/latest', headers: {}, body: '{}' })
  t.equal(literal.outcome, 'refused', 'an address literal is judged without a lookup')

  // The lookup answers with the address it checked (pinned), in both of node's calling styles.
  const lookup = pinnedLookup(new AddressRule(['127.0.0.1']), stub({ 'receiver.test': ['127.0.0.1'] }))
  const one = await new Promise<unknown[]>((resolve) => lookup('receiver.test', {}, (...args: unknown[]) => resolve(args)))
  t.same(one, [null, '127.0.0.1', 4])
  const all = await new Promise<unknown[]>((resolve) => lookup('receiver.test', { all: true }, (...args: unknown[]) => resolve(args)))
  t.same(all, [null, [{ address: '127.0.0.1', family: 4 }]])
})

t.test('a name that resolves to an allow-listed loopback receiver is delivered to the checked address', async (t) => {
  const hook = await receiver(t)
  const send = httpSender(new AddressRule(['127.0.0.1', 'receiver.test']), async () => [{ address: '127.0.0.1', family: 4 }])
  const result = await send({ url: `http://receiver.test:${hook.port}/hook`, headers: { 'webhook-id': 'evt_x' }, body: '{"a":1}' })
  t.match(result, { outcome: 'answered', status: 204 })
  t.equal(hook.received[0]!.body, '{"a":1}')
  t.equal(hook.received[0]!.headers.host, `receiver.test:${hook.port}`, 'the Host header names the URL\'s host')
})

t.test('a receiver that does not answer in time is a timeout', async (t) => {
  const http = await import('node:http')
  const server = http.createServer(() => undefined) // never answers
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  const port = (server.address() as import('node:net').AddressInfo).port
  const send = httpSender(new AddressRule(['127.0.0.1']), async () => [], 50)
  const result = await send({ url: `http://127.0.0.1:${port}/hook`, headers: {}, body: '{}' })
  t.equal(result.outcome, 'timeout')
})

t.test('a receiver that is not listening is an error (logged as such), not a crash', async (t) => {
  const http = await import('node:http')
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as import('node:net').AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  const result = await httpSender(new AddressRule(['127.0.0.1']))({ url: `http://127.0.0.1:${port}/hook`, headers: {}, body: '{}' })
  t.match(result, { outcome: 'error', status: null, response: /ECONNREFUSED/ })
})
