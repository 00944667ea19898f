import { readFile } from 'node:fs/promises'
import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'

const methods = ['get', 'put', 'post', 'patch', 'delete'] as const

t.test('the served document is OpenAPI 3.1 and equals the committed openapi/openapi.json', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(res.statusCode, 200)
  const served = json(res)
  t.equal(served.openapi, '3.1.0')
  const committed = JSON.parse(await readFile(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'))
  t.same(served, committed, 'run `npm run openapi` and commit the result')
})

t.test('every operation has a unique operationId, a tag, a summary, a 4xx problem and an example', async (t) => {
  const { app } = await buildTestApp(t)
  const spec = json(await app.inject({ method: 'GET', url: '/openapi.json' }))
  const ids = new Set<string>()
  let operations = 0
  for (const [path, item] of Object.entries<any>(spec.paths)) {
    for (const method of methods) {
      const op = item[method]
      if (!op) continue
      operations++
      const where = `${method.toUpperCase()} ${path}`
      t.ok(op.operationId, `${where} has an operationId`)
      t.notOk(ids.has(op.operationId), `${where} operationId is unique`)
      ids.add(op.operationId)
      t.ok(op.tags?.length, `${where} has a tag`)
      t.ok(op.summary, `${where} has a summary`)
      const statuses = Object.keys(op.responses)
      t.ok(statuses.some((s) => s.startsWith('4')), `${where} documents a 4xx`)
      for (const s of statuses.filter((s) => /^[45]/.test(s))) {
        t.ok(op.responses[s].content?.['application/problem+json'], `${where} ${s} is a problem`)
      }
      const success = statuses.find((s) => s.startsWith('2'))
      const media = success && op.responses[success].content?.['application/json']
      if (media) t.ok(media.example ?? media.examples, `${where} ${success} has an example`)
    }
  }
  t.ok(operations >= 7)
})

t.test('the docs UI renders', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/docs/' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/html/)
  t.match(res.body, /swagger-ui/i)
})
