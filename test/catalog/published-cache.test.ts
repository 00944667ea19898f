import t from 'tap'
import { PublishedResponseCache } from '../../src/modules/catalog/published-cache.js'

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
  t.equal((await cache.getOrRender('k', async () => 'ok')).body, 'ok')
})
