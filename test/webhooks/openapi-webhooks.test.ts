// The OpenAPI 3.1 `webhooks` section of the served document: every event type (and the coalesced body)
// described as the POST an endpoint receives — the Standard Webhooks headers, what to answer, and an
// example that its own schema accepts.
import t from 'tap'
import Schema from 'typebox/schema'
import { eventTypeNames } from '../../src/modules/events/types.js'
import { COALESCED_TYPE } from '../../src/modules/webhooks/schemas.js'
import { buildTestApp, json } from '../helpers/app.js'

t.test('the served spec lists every event type under webhooks, each a signed POST with its schema, answers and example', async (t) => {
  const { app } = await buildTestApp(t)
  const spec = json(await app.inject({ method: 'GET', url: '/openapi.json' }))
  t.same(Object.keys(spec.webhooks).sort(), [...eventTypeNames, COALESCED_TYPE].sort(), 'one entry per event type, plus the coalesced body')
  const ids = new Set<string>()
  for (const [type, item] of Object.entries<any>(spec.webhooks)) {
    const op = item.post
    t.ok(op, `${type} is a POST`)
    t.notOk(ids.has(op.operationId), `${type}: a unique operationId`)
    ids.add(op.operationId)
    t.same(
      op.parameters.filter((p: any) => p.in === 'header' && p.required).map((p: any) => p.name),
      ['webhook-id', 'webhook-timestamp', 'webhook-signature'],
      `${type}: the three Standard Webhooks headers`,
    )
    t.same(Object.keys(op.responses).sort(), ['2XX', '410', '429', '5XX'], `${type}: what the receiver answers`)
    const media = op.requestBody.content['application/json']
    t.equal(media.schema.properties.type.const, type, `${type}: the envelope's type is fixed`)
    const check = Schema.Compile(media.schema)
    t.ok(check.Check(media.example), `${type}: the example matches its schema`)
    t.notOk(check.Check({ ...media.example, type: 'something.else' }), `${type}: another type does not`)
  }
  t.same(spec.webhooks['notice.published'].post.requestBody.content['application/json'].schema.properties.data.required, ['id', 'url'], 'data is the type\'s own schema (from events/types.ts)')
})
