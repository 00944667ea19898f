// The security headers are constants (src/http/security-headers.ts): the same as @fastify/helmet sends
// for the same options, on every response, errors included.
import helmet from '@fastify/helmet'
import Fastify from 'fastify'
import t from 'tap'
import { helmetOptions, securityHeaders } from '../../src/http/security-headers.js'
import { buildTestApp } from '../helpers/app.js'

t.test('the precomputed headers are what helmet sends', async (t) => {
  const reference = Fastify()
  await reference.register(helmet, helmetOptions)
  reference.get('/', async () => ({}))
  const { headers } = await reference.inject({ method: 'GET', url: '/' })
  const fromHelmet = Object.fromEntries(Object.entries(headers).filter(([name]) => !['content-type', 'content-length', 'date', 'connection'].includes(name)))
  t.same(fromHelmet, securityHeaders)
})

t.test('every answer carries them, a problem too', async (t) => {
  const { app } = await buildTestApp(t)
  for (const url of ['/v1/domains', '/v1/items/no.such.item']) {
    const response = await app.inject({ method: 'GET', url })
    t.match(response.headers, securityHeaders, url)
  }
})
