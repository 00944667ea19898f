// The public read path of published catalog pages: ready bytes from memory, precompressed variants,
// and no database query for a cache hit — `current` included.
import zlib from 'node:zlib'
import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { tokenFor } from '../helpers/auth.js'
import { countQueries } from '../helpers/instances.js'
import { admins, createItem, publishVersion } from './builders.js'

async function publishedCatalog(t: Parameters<typeof buildTestApp>[0]) {
  const { app, clock } = await buildTestApp(t)
  const { author, approver } = await admins(app)
  const editor = await tokenFor(app, 'editor', 'civil_affairs')
  for (let i = 0; i < 12; i++) await createItem(app, editor, { key: `disaster_relief.item_${i}`, secondLevel: `救助对象名单${i}` })
  await publishVersion(app, author.token, approver.token)
  return { app, clock, author, approver }
}

const pages = ['/v1/catalog/versions/current/items?limit=20', '/v1/catalog/versions/1/items?limit=20', '/v1/catalog/versions/current']

t.test('a cache hit, current included, sends no query to the database', async (t) => {
  const { app } = await publishedCatalog(t)
  for (const url of pages) t.equal((await app.inject({ method: 'GET', url })).statusCode, 200, `${url} rendered once`)
  const queries = countQueries(app)
  for (const url of pages) {
    const response = await app.inject({ method: 'GET', url })
    t.equal(response.statusCode, 200)
    t.ok(response.headers.etag)
  }
  t.equal(queries(), 0, 'served from memory')
})

t.test('precompressed pages decompress to exactly the plain body and carry the same tag', async (t) => {
  const { app } = await publishedCatalog(t)
  const url = '/v1/catalog/versions/current/items?limit=20'
  const plain = await app.inject({ method: 'GET', url })
  t.ok(plain.rawPayload.length > 1024, 'big enough to be compressed')
  t.equal(plain.headers['content-encoding'], undefined)
  t.equal(plain.headers.vary, 'accept-encoding')
  const br = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br' } })
  t.equal(br.headers['content-encoding'], 'br')
  t.same(zlib.brotliDecompressSync(br.rawPayload), plain.rawPayload)
  const gzip = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } })
  t.equal(gzip.headers['content-encoding'], 'gzip')
  t.same(zlib.gunzipSync(gzip.rawPayload), plain.rawPayload)
  t.equal(br.headers.etag, plain.headers.etag)
  t.equal(gzip.headers.etag, plain.headers.etag)
  t.same(json(plain).items.length, 12)
})

t.test('304 is answered from the cached tag, whatever the encoding', async (t) => {
  const { app } = await publishedCatalog(t)
  const url = '/v1/catalog/versions/1/items?limit=20'
  const first = await app.inject({ method: 'GET', url })
  const queries = countQueries(app)
  for (const encoding of ['br', 'gzip', 'identity']) {
    const again = await app.inject({ method: 'GET', url, headers: { 'if-none-match': first.headers.etag as string, 'accept-encoding': encoding } })
    t.equal(again.statusCode, 304, encoding)
    t.equal(again.rawPayload.length, 0)
    t.equal(again.headers.etag, first.headers.etag)
  }
  t.equal(queries(), 0)
})

t.test('current is read again once its second is up, and follows a publish here at once', async (t) => {
  const { app, clock, author, approver } = await publishedCatalog(t)
  await app.inject({ method: 'GET', url: '/v1/catalog/versions/current' })
  const queries = countQueries(app)
  clock.advance(1000)
  t.equal(json(await app.inject({ method: 'GET', url: '/v1/catalog/versions/current' })).number, 1)
  t.equal(queries(), 1, 'one lookup of the pointer, the page itself from memory')
  await createItem(app, await tokenFor(app, 'editor', 'civil_affairs'), { key: 'disaster_relief.extra' })
  await publishVersion(app, author.token, approver.token)
  const moved = await app.inject({ method: 'GET', url: '/v1/catalog/versions/current' })
  t.equal(json(moved).number, 2)
  t.equal(moved.headers['content-location'], '/v1/catalog/versions/2')
})
