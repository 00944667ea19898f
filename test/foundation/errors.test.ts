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
})
