// The process: read the settings, build the app, listen, and shut down cleanly on SIGTERM/SIGINT
// (in-flight requests finish, the database closes).
import { performance } from 'node:perf_hooks'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'

async function main() {
  const started = performance.now()
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`gongkai: invalid setting: ${err.message}`)
      process.exit(78)
    }
    throw err
  }
  let app
  try {
    app = await buildApp(config)
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`gongkai: invalid setting: ${err.message}`)
      process.exit(78)
    }
    throw err
  }
  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    const force = setTimeout(() => {
      app.log.error('shutdown took longer than 10 s; exiting')
      process.exit(1)
    }, 10_000)
    force.unref()
    await app.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))

  const address = await app.listen({ port: config.port, host: config.host })
  app.log.info(
    { address, database: app.database.kind, startupMs: Math.round(performance.now() - started) },
    `gongkai ready at ${address} (docs at ${address}/docs)`,
  )
}

main().catch((err) => {
  console.error('gongkai: failed to start:', err)
  process.exit(1)
})
