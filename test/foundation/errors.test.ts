import t from 'tap'
import { Type } from 'typebox'
import { buildTestApp, json } from '../helpers/app.js'

// A route with a body schema, registered by the test, exercises the app's validators and error handler.
async function appWithEcho(t: any, options = {}) {
  const built = await buildTestApp(t, options)
  built.app.post(
    '/test/echo',
    {
      config: { auth: 'public' },
      schema: {
        body: Type.Object({ name: Type.String({ minLength: 1 }), count: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
      },
    },
    async (request) => request.body,
  )
  built.app.get('/test/boom', { config: { auth: 'public' } }, async () => {
    throw new Error('secret internal detail')
  })
  return built
}

const post = (payload: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => ({
  method: 'POST' as const,
  url: '/test/echo',
  payload,
  headers,
})

t.test('a valid body passes', async (t) => {
  const { app } = await appWithEcho(t)
  const res = await app.inject(post('{"name":"a","count":1}'))
  t.equal(res.statusCode, 200)
  t.same(json(res), { name: 'a', count: 1 })
})

t.test('malformed JSON is a 400 problem', async (t) => {
  const { app } = await appWithEcho(t)
  const res = await app.inject(post('{"name": '))
  t.equal(res.statusCode, 400)
  t.match(res.headers['content-type'], /application\/problem\+json/)
  t.match(json(res), { type: '/problems/malformed-body', status: 400, title: String })
})

t.test('an unknown field is refused, not dropped, with a pointer to it', async (t) => {
  const { app } = await appWithEcho(t)
  const res = await app.inject(post('{"name":"a","count":1,"admin":true}'))
  t.equal(res.statusCode, 400)
  const body = json(res)
  t.equal(body.type, '/problems/validation-failed')
  t.same(body.errors, [{ pointer: '/body/admin', message: 'is not a known field' }])
})

t.test('a wrong type is refused without coercion, and every error is listed', async (t) => {
  const { app } = await appWithEcho(t)
  const res = await app.inject(post('{"name":"","count":"5"}'))
  t.equal(res.statusCode, 400)
  const pointers = json(res).errors.map((e: any) => e.pointer).sort()
  t.same(pointers, ['/body/count', '/body/name'])
})

t.test('a missing field is reported at its own pointer', async (t) => {
  const { app } = await appWithEcho(t)
  const res = await app.inject(post('{"name":"a"}'))
  t.equal(res.statusCode, 400)
  t.same(json(res).errors, [{ pointer: '/body/count', message: "must have required property 'count'" }])
})

t.test('query parameters are validated too', async (t) => {
  const { app } = await appWithEcho(t)
  const wrongType = await app.inject({ method: 'GET', url: '/v1/departments?limit=many' })
  t.equal(wrongType.statusCode, 400)
  t.equal(json(wrongType).errors[0].pointer, '/query/limit')
  const unknown = await app.inject({ method: 'GET', url: '/v1/departments?colour=red' })
  t.equal(unknown.statusCode, 400)
  t.equal(json(unknown).errors[0].pointer, '/query/colour')
  const badEnum = await app.inject({ method: 'GET', url: '/v1/departments?kind=spaceport' })
  t.equal(badEnum.statusCode, 400)
})

t.test('a 10 MB body is a 413 problem', async (t) => {
  const { app } = await appWithEcho(t)
  const big = JSON.stringify({ name: 'x'.repeat(10 * 1024 * 1024), count: 1 })
  const res = await app.inject(post(big))
  t.equal(res.statusCode, 413)
  t.equal(json(res).type, '/problems/payload-too-large')
})

t.test('an unsupported content type is a 415 problem', async (t) => {
  const { app } = await appWithEcho(t)
  const res = await app.inject(post('name=a', { 'content-type': 'application/x-www-form-urlencoded' }))
  t.equal(res.statusCode, 415)
  t.equal(json(res).type, '/problems/unsupported-media-type')
  const text = await app.inject(post('hello', { 'content-type': 'text/plain' }))
  t.equal(text.statusCode, 415)
})

t.test('an unknown route is a 404 problem', async (t) => {
  const { app } = await appWithEcho(t)
  const res = await app.inject({ method: 'GET', url: '/v1/nothing-here' })
  t.equal(res.statusCode, 404)
  t.match(json(res), { type: '/problems/route-not-found', instance: '/v1/nothing-here' })
})

t.test('an internal error is a 500 problem without a stack, with a request id found in the logs', async (t) => {
  const { app, logs } = await appWithEcho(t, { captureLogs: true })
  const res = await app.inject({ method: 'GET', url: '/test/boom' })
  t.equal(res.statusCode, 500)
  const body = json(res)
  t.equal(body.type, '/problems/internal')
  t.notMatch(res.body, /secret internal detail|at .*\.ts:\d+/, 'no message or stack of the error')
  t.equal(res.headers['x-request-id'], body.requestId)
  const logged = logs.map((l) => JSON.parse(l)).find((l) => l.reqId === body.requestId && l.level === 50)
  t.ok(logged, 'the error is logged under the request id')
  t.match(logged.err.message, 'secret internal detail')
})

t.test('a caller-supplied X-Request-Id is kept; a malformed one is replaced', async (t) => {
  const { app } = await appWithEcho(t)
  const kept = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'portal-req-12345678' } })
  t.equal(kept.headers['x-request-id'], 'portal-req-12345678')
  const replaced = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id <script>' } })
  t.match(replaced.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})

t.test('problem types are served at their type URI', async (t) => {
  const { app } = await appWithEcho(t)
  const res = await app.inject({ method: 'GET', url: '/problems/precondition-failed' })
  t.equal(res.statusCode, 200)
  t.match(json(res), { status: 412, title: 'Precondition failed' })
  t.equal((await app.inject({ method: 'GET', url: '/problems/nope' })).statusCode, 404)
  // Found by the fuzzer: names inherited from Object.prototype were looked up as problem types (a 500).
  for (const inherited of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) t.equal((await app.inject({ method: 'GET', url: `/problems/${inherited}` })).statusCode, 404, inherited)
})

// --- Input hygiene, framework errors and the database backstop (hardening) ---
// These share one app (built once, with its log captured): building an app per test is most of a test's time.

const sqlStateCases: [string, number][] = [
  ['22021', 400], ['22P05', 400], ['22P02', 400], ['22003', 400], ['22007', 400], ['22008', 400], ['22001', 400],
  ['54000', 413], ['23514', 422], ['23505', 409],
  ['08006', 503], ['57P01', 503], ['53300', 503], ['40001', 503],
]

/** An error as drizzle throws it: the SQL and its parameters in the message, the driver's error as the cause. */
function failedQuery(code: string) {
  const cause = Object.assign(new Error('duplicate key value violates unique constraint "x"'), { code, detail: 'Key (name)=(王五) already exists.', where: 'PL/pgSQL 王五' })
  return Object.assign(new Error('Failed query: insert into x values ($1, $2)\nparams: 王五,230202199001011234'), { cause, params: ['王五', '230202199001011234'], query: 'insert …' })
}

let sharedApp: Promise<Awaited<ReturnType<typeof appWithEcho>>> | undefined
function hardened() {
  sharedApp ??= appWithEcho(t, { captureLogs: true }).then((built) => {
    for (const [code] of [...sqlStateCases, ['42601']]) {
      built.app.get(`/test/sqlstate/${code}`, { config: { auth: 'public' } }, async () => {
        throw failedQuery(code!)
      })
    }
    return built
  })
  return sharedApp
}

const isProblem = (t: any, res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number) => {
  t.equal(res.statusCode, status)
  t.match(String(res.headers['content-type']), /application\/problem\+json/)
  const body = JSON.parse(res.body)
  t.equal(body.status, status, 'the body states the same status')
  t.match(body.requestId, /\S/, 'with a request id')
  return body
}

t.test('a NUL character in a path, a query or a body field is a 400 problem naming the field', async (t) => {
  const { app } = await hardened()
  const inQuery = isProblem(t, await app.inject({ method: 'GET', url: '/v1/posts?department=%00' }), 400)
  t.same(inQuery.errors, [{ pointer: '/query/department', message: 'holds a NUL character, which no text field accepts' }])
  const inPath = isProblem(t, await app.inject({ method: 'GET', url: '/v1/departments/a%00b' }), 400)
  t.equal(inPath.errors[0].pointer, '/params/code')
  const inBody = isProblem(t, await app.inject(post('{"name":"王五\\u0000","count":1}')), 400)
  t.same(inBody.errors, [{ pointer: '/body/name', message: 'holds a NUL character, which no text field accepts' }])
})

t.test('a lone surrogate in a body field or a field name is a 400 problem naming it', async (t) => {
  const { app } = await hardened()
  const value = isProblem(t, await app.inject(post('{"name":"a\\ud800","count":1}')), 400)
  t.equal(value.errors[0].pointer, '/body/name')
  t.match(value.errors[0].message, /lone surrogate/)
  const key = isProblem(t, await app.inject(post('{"name":"a","count":1,"x\\udc00/y":1}')), 400)
  t.equal(key.errors[0].pointer, '/body/x\udc00~1y')
  const paired = await app.inject(post(JSON.stringify({ name: '𠀀 a surrogate pair is fine', count: 1 })))
  t.equal(paired.statusCode, 200)
})

t.test('a JSON body nested deeper than 32 levels is a 400 problem, quickly and without a stack overflow', async (t) => {
  const { app } = await hardened()
  const deep = '['.repeat(400_000) + ']'.repeat(400_000)
  const before = process.memoryUsage().rss
  const body = isProblem(t, await app.inject(post(deep)), 400)
  t.match(body.errors[0].message, /nests deeper than 32 levels/)
  t.ok(process.memoryUsage().rss - before < 256 * 1024 * 1024, 'memory stays flat (generous bound)')
  const ok = await app.inject(post(JSON.stringify({ name: 'a', count: 1, x: [[[[1]]]] })))
  t.equal(ok.statusCode, 400, 'a shallow body goes on to validation')
  t.equal(json(ok).errors[0].pointer, '/body/x')
})

t.test('the query string is bounded in length (414) and in parameters (400)', async (t) => {
  const { app } = await hardened()
  isProblem(t, await app.inject({ method: 'GET', url: `/v1/departments?kind=${'a'.repeat(5000)}` }), 414)
  const many = Array.from({ length: 65 }, (_, i) => `kind=k${i}`).join('&')
  const body = isProblem(t, await app.inject({ method: 'GET', url: `/v1/departments?${many}` }), 400)
  t.equal(body.errors[0].pointer, '/query')
})

t.test('a page larger than 200 items is refused', async (t) => {
  const { app } = await hardened()
  const body = isProblem(t, await app.inject({ method: 'GET', url: '/v1/departments?limit=201' }), 400)
  t.equal(body.errors[0].pointer, '/query/limit')
})

t.test('a malformed percent-encoding in the path is a 400 problem with a request id', async (t) => {
  const { app } = await hardened()
  const res = await app.inject({ method: 'GET', url: '/v1/departments/%E0%A4%A' })
  const body = isProblem(t, res, 400)
  t.equal(res.headers['x-request-id'], body.requestId)
})

t.test('a path parameter longer than the router allows is a 414 problem', async (t) => {
  const { app } = await hardened()
  isProblem(t, await app.inject({ method: 'GET', url: `/v1/departments/${'x'.repeat(500)}` }), 414)
})

t.test('a body on a GET is refused with a problem, not silently ignored', async (t) => {
  const { app } = await hardened()
  const res = await app.inject({ method: 'GET', url: '/v1/departments', payload: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  t.equal(isProblem(t, res, 400).errors[0].pointer, '/body')
  const jsonBody = await app.inject({ method: 'GET', url: '/v1/departments', payload: '{"a":"\\u0000"}', headers: { 'content-type': 'application/json' } })
  isProblem(t, jsonBody, 400)
  const empty = await app.inject({ method: 'GET', url: '/v1/departments', headers: { 'content-length': '0' } })
  t.equal(empty.statusCode, 200, 'an empty body is no body')
})

t.test('database data exceptions are the caller\'s 4xx; infrastructure failures stay 503 with Retry-After', async (t) => {
  const { app } = await hardened()
  for (const [code, status] of sqlStateCases) {
    const res = await app.inject({ method: 'GET', url: `/test/sqlstate/${code}` })
    const body = isProblem(t, res, status)
    t.notMatch(res.body, /王五|select|params/, `${code}: no SQL and no values in the response`)
    if (status === 503) t.equal(res.headers['retry-after'], '1', `${code}: Retry-After`)
    else t.notOk(res.headers['retry-after'])
    t.ok(body.detail)
  }
  isProblem(t, await app.inject({ method: 'GET', url: '/test/sqlstate/42601' }), 500)
})

t.test('a failed query logs neither its parameters nor the database\'s detail', async (t) => {
  const { app, logs } = await hardened()
  const res = await app.inject({ method: 'GET', url: '/test/sqlstate/42601' })
  t.equal(res.statusCode, 500)
  const joined = logs.join('\n')
  t.notMatch(joined, /王五|230202199001011234/, 'no value in any log line')
  const line = logs.map((l) => JSON.parse(l)).find((l) => l.level === 50 && l.reqId === json(res).requestId)
  t.match(line.err, { message: /Failed query: insert into x/, cause: { code: '42601' } }, 'the kind of failure is still logged')
})

t.test('an objection with a NUL in the name is refused without writing the objector to the log', async (t) => {
  const { app, logs } = await hardened()
  const res = await app.inject({
    method: 'POST',
    url: '/v1/notices/00000000-0000-4000-8000-000000000000/objections',
    payload: JSON.stringify({ name: '王五\u0000', contact: '13812345678', reason: '我有异议 secret reason' }),
    headers: { 'content-type': 'application/json' },
  })
  t.equal(res.statusCode, 400)
  t.notMatch(logs.join('\n'), /王五|13812345678|secret reason/)
})

/** Sends raw bytes to the app listening on loopback and returns what comes back before it closes. */
async function rawExchange(app: any, request: string): Promise<string> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address()
  const { connect } = await import('node:net')
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request))
    let received = ''
    socket.on('data', (chunk) => (received += chunk))
    socket.on('close', () => resolve(received))
    socket.on('error', reject)
  })
}

const problemOf = (raw: string) => {
  const [head, body] = raw.split('\r\n\r\n')
  return { head: head!, body: JSON.parse(body!) }
}

t.test('headers larger than the server accepts are a 431 problem, over a real socket', async (t) => {
  const { app } = await hardened()
  const raw = await rawExchange(app, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`)
  const { head, body } = problemOf(raw)
  t.match(head, /^HTTP\/1\.1 431 /)
  t.match(head, /Content-Type: application\/problem\+json/)
  t.match(body, { type: '/problems/headers-too-large', status: 431, requestId: /^[0-9a-f-]{36}$/ })
  t.match(head, new RegExp(`X-Request-Id: ${body.requestId}`))
})

t.test('a method the HTTP parser does not know is a 405 problem, over a real socket', async (t) => {
  const { app } = await hardened()
  const { head, body } = problemOf(await rawExchange(app, 'FROBNICATE /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'))
  t.match(head, /^HTTP\/1\.1 (405|400) /)
  t.match(body, { status: Number, requestId: String })
})

t.test('a request that does not arrive in time is a 408 problem', async (t) => {
  const { clientErrorResponse, clientErrorHandler } = await import('../../src/http/framework-errors.js')
  const { head, body } = problemOf(clientErrorResponse('ERR_HTTP_REQUEST_TIMEOUT'))
  t.match(head, /^HTTP\/1\.1 408 Request Timeout/)
  t.match(body, { type: '/problems/request-timeout', status: 408 })
  const written: string[] = []
  let destroyed = false
  const socket = { destroyed: false, writable: true, write: (s: string) => written.push(s), destroy: () => (destroyed = true) }
  clientErrorHandler(Object.assign(new Error('t'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), socket as never)
  t.equal(written.length, 1)
  t.ok(destroyed)
  clientErrorHandler(Object.assign(new Error('t'), { code: 'ECONNRESET' }), socket as never)
  t.equal(written.length, 1, 'nobody to answer on a reset connection')
  t.match(problemOf(clientErrorResponse('HPE_SOMETHING')).body, { type: '/problems/validation-failed', status: 400 })
})

t.test('a month outside the working-day calendar is the caller\'s 422, not a 500 (found by the fuzzer)', async (t) => {
  const { app } = await hardened()
  const { tokenFor } = await import('../helpers/auth.js')
  const admin = await tokenFor(app, 'admin')
  for (const month of ['3138-10', '0001-01']) {
    const res = await app.inject({ method: 'GET', url: `/v1/reports/summary?month=${month}`, headers: { authorization: `Bearer ${admin}` } })
    t.match(isProblem(t, res, 422).detail, /outside the working-day calendar/)
  }
})
