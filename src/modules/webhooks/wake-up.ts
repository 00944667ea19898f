// LISTEN for committed events (outbox.ts NOTIFYs at commit) and wake the delivery worker at once, so
// that the first attempt follows a commit within milliseconds instead of the idle wait. A lost
// listening connection is logged and re-opened later; deliveries never depend on it.
import type { FastifyBaseLogger } from 'fastify'
import type { Database } from '../../db/client.js'
import { EVENTS_CHANNEL } from '../events/outbox.js'

const RECONNECT_MS = 5_000

/** Starts listening; the returned function stops it. */
export function listenForEvents(database: Database, onEvent: () => void, log: FastifyBaseLogger): () => Promise<void> {
  let stopped = false
  let stop: (() => Promise<void>) | null = null
  let retry: NodeJS.Timeout | undefined
  const open = async () => {
    if (stopped) return
    try {
      if (database.pglite) {
        const unlisten = await database.pglite.listen(EVENTS_CHANNEL, onEvent)
        stop = unlisten
        return
      }
      if (!database.pool) return
      const client = await database.pool.connect()
      client.on('notification', onEvent)
      const drop = (err?: Error) => {
        client.removeListener('notification', onEvent)
        client.release(err ?? true)
        stop = null
        if (!stopped) {
          retry = setTimeout(() => void open(), RECONNECT_MS)
          retry.unref()
        }
      }
      client.once('error', (err) => {
        log.warn({ err: { message: err.message } }, 'event listener connection lost; deliveries continue on the timer')
        drop(err)
      })
      // raw: LISTEN has no drizzle builder (and needs this one connection, not the pool's next)
      await client.query(`LISTEN ${EVENTS_CHANNEL}`)
      stop = async () => {
        client.removeAllListeners('error')
        await client.query(`UNLISTEN ${EVENTS_CHANNEL}`).catch(() => undefined)
        client.removeListener('notification', onEvent)
        client.release(true)
      }
    } catch (err) {
      log.warn({ err: { message: (err as Error).message } }, 'could not listen for events; deliveries continue on the timer')
      retry = setTimeout(() => void open(), RECONNECT_MS)
      retry.unref()
    }
  }
  const opening = open()
  return async () => {
    stopped = true
    clearTimeout(retry)
    await opening
    await stop?.()
  }
}
