import zlib from 'node:zlib'
import t from 'tap'
import { ManualClock } from '../../src/lib/clock.js'
import { CurrentVersionPointer, MAX_AGE_MS } from '../../src/modules/catalog/current-pointer.js'
import { chooseEncoding, PublishedResponseCache } from '../../src/modules/catalog/published-cache.js'

t.test('concurrent misses render once; the tag is strong and follows the bytes', async (t) => {
  const cache = new PublishedResponseCache()
  let renders = 0
  const render = async () => {
    renders++
    return '{"items":[]}'
  }
  const [a, b] = await Promise.all([cache.getOrRender('k', render), cache.getOrRender('k', render)])
  t.equal(renders, 1)
  t.equal(a, b)
  t.match(a.etag, /^"[0-9a-f]{40}"$/)
  t.equal((await cache.getOrRender('other', async () => '{"items":[]}')).etag, a.etag, 'same bytes, same tag')
})

t.test('the least recently used responses leave first once the size bound is passed', async (t) => {
  const cache = new PublishedResponseCache(25)
  await cache.getOrRender('a', async () => 'x'.repeat(10))
  await cache.getOrRender('b', async () => 'y'.repeat(10))
  t.ok(cache.get('a'), 'a is used again, so b is now the oldest')
  await cache.getOrRender('c', async () => 'z'.repeat(10))
  t.ok(cache.get('a'))
  t.notOk(cache.get('b'))
  t.ok(cache.get('c'))
  t.equal(cache.bytes, 20)
})

t.test('a failed render is not kept', async (t) => {
  const cache = new PublishedResponseCache()
  await t.rejects(cache.getOrRender('k', async () => Promise.reject(new Error('database down'))))
  t.notOk(cache.get('k'))
  t.equal((await cache.getOrRender('k', async () => 'ok')).body.toString(), 'ok')
})

t.test('the compressed variants are made once and decompress to exactly the body', async (t) => {
  const cache = new PublishedResponseCache()
  const text = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ key: `k${i}`, name: '最低生活保障对象名单' })) })
  const cached = await cache.getOrRender('k', async () => text)
  const plain = cache.bytes
  const br = await cached.encoded('br')
  t.equal(await cached.encoded('br'), br, 'kept, not compressed again')
  t.equal(zlib.brotliDecompressSync(br).toString(), text)
  t.equal(zlib.gunzipSync(await cached.encoded('gzip')).toString(), text)
  t.ok(br.length < text.length / 4)
  t.equal(cache.bytes, plain + br.length + (await cached.encoded('gzip')).length, 'variants count towards the bound')
})

t.test('the encoding follows Accept-Encoding and its weights', async (t) => {
  t.equal(chooseEncoding(undefined), null)
  t.equal(chooseEncoding('identity'), null)
  t.equal(chooseEncoding('gzip, deflate, br'), 'br')
  t.equal(chooseEncoding('gzip'), 'gzip')
  t.equal(chooseEncoding('br;q=0, gzip'), 'gzip')
  t.equal(chooseEncoding('br;q=0.5, gzip;q=0.8'), 'gzip')
  t.equal(chooseEncoding('*'), 'br')
  t.equal(chooseEncoding('deflate'), null)
})

t.test('the current pointer reads once a second at most, never goes back, and advances at once', async (t) => {
  const clock = new ManualClock('2026-03-02T02:00:00Z')
  const pointer = new CurrentVersionPointer(clock)
  let reads = 0
  let stored: number | null = 1
  const load = async () => {
    reads++
    return stored
  }
  const [a, b] = await Promise.all([pointer.resolve('230202', load), pointer.resolve('230202', load)])
  t.same([a, b, reads], [1, 1, 1], 'concurrent misses share one read')
  stored = 2
  t.equal(await pointer.resolve('230202', load), 1, 'within the bound: no read')
  clock.advance(MAX_AGE_MS)
  t.equal(await pointer.resolve('230202', load), 2, 'past the bound: read again')
  t.equal(reads, 2)
  stored = 1
  clock.advance(MAX_AGE_MS)
  t.equal(await pointer.resolve('230202', load), 2, 'a lagging read does not move it back')
  pointer.advance('230202', 3)
  t.equal(await pointer.resolve('230202', load), 3, 'a publish here is seen at once')
  pointer.advance('230203', 1)
  t.equal(await pointer.resolve('230203', async () => null), 1)
  clock.advance(MAX_AGE_MS)
  await t.rejects(pointer.resolve('230202', async () => Promise.reject(new Error('database down'))))
  t.equal(await pointer.resolve('230202', async () => 3), 3, 'a failed read is not kept')
})
