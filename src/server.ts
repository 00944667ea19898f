// The process: read the settings, build the app, listen, and shut down cleanly on SIGTERM/SIGINT
// (in-flight requests finish, the database closes).
// Start-up order is for speed: the embedded database starts opening (PGlite compiles its WebAssembly
// off the main thread, ~0.5 s) before the rest of the server is even loaded (the dynamic imports).
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { ConfigError, loadConfig } from './config.js'
import { scheduleBackups } from './db/backup-schedule.js'
import { openDatabase } from './db/client.js'
import { DataDirLockedError } from './db/data-dir-lock.js'
import { startFromTemplate } from './db/template.js'
import { mapStackTracesLazily } from './source-maps.js'

// Stack traces point into src/ (source-maps.ts), at the cost of the first one rather than of every start.
mapStackTracesLazily(path.dirname(fileURLToPath(import.meta.url)))

/** How long after listening the background jobs start (see below). */
const BACKGROUND_JOBS_AFTER_MS = 1000

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
  // A new data directory starts as a copy of the build's migrated template when there is one for these
  // migrations (db/template.ts): no initdb, no migrations applied one by one.
  const embedded = config.databaseUrl ? undefined : openDatabase({ kind: 'pglite', dataDir: config.dataDir, beforeOpen: startFromTemplate })
  embedded?.catch(() => undefined) // buildApp awaits it and reports a failure
  const [{ buildApp }, { loadDemoData }, { bootstrapFirstAdmin, FIRST_ADMIN }, { listenForEvents }] = await Promise.all([
    import('./app.js'),
    import('./db/demo.js'),
    import('./modules/auth/bootstrap.js'),
    import('./modules/webhooks/wake-up.js'),
  ])
  let app
  try {
    app = await buildApp(config, embedded ? { database: embedded, ephemeralKeys: false } : {})
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`gongkai: invalid setting: ${err.message}`)
      process.exit(78)
    }
    throw err
  }
  if (!config.databaseUrl) {
    // Printed once, to the console and not to the log stream: the only copy of this password.
    const password = await bootstrapFirstAdmin(app.db, config.defaultRegion, app.clock.now())
    if (password) {
      process.stdout.write(
        [
          '',
          '  ┌──────────────────────────────────────────────────────────────────────┐',
          '  │ gongkai: first start. An administrator account was created:          │',
          `  │   username: ${FIRST_ADMIN.padEnd(57)}│`,
          `  │   one-time password: ${password.padEnd(48)}│`,
          '  │ It is shown only now. Sign in (POST /v1/auth/token) and change it    │',
          '  │ (POST /v1/me/password) before anything else; until then the account │',
          '  │ can do nothing else.                                                 │',
          '  └──────────────────────────────────────────────────────────────────────┘',
          '',
        ].join('\n') + '\n',
      )
    }
  }
  if (config.demoData) {
    const added = await loadDemoData(app.db, config, app.clock.now())
    if (added.notices) app.log.info(added, 'demo data loaded (DEMO_DATA=false turns it off)')
  }
  const backups = scheduleBackups(app.database, config, app.log)
  let stopListening: (() => Promise<void>) | null = null
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
    await backups.stop() // a backup being written finishes first
    await stopListening?.()
    await app.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))

  const address = await app.listen({ port: config.port, host: config.host })
  // Webhook delivery in this process (several instances share it: SKIP LOCKED, leases).
  // And the statutory clock (periods starting and ending, retention): once-keys keep instances from doubling.
  // They start a second after the server listens: their first rounds catch up on whatever came due while
  // it was stopped, which no request waits for, and on the embedded database every query takes its turn
  // on one connection — started at once they would hold up the first requests and the readiness probe.
  // (The clock's rounds are 15 s apart anyway: one second later changes no outcome.)
  if (config.backgroundJobs) {
    setTimeout(() => {
      if (closing) return // shut down meanwhile
      app.webhookDelivery.start()
      app.statutoryClock.start()
      // Woken by LISTEN/NOTIFY at each commit of an event (a shortcut; rounds on the timer find all).
      stopListening = listenForEvents(app.database, () => app.webhookDelivery.wake(), app.log)
    }, BACKGROUND_JOBS_AFTER_MS).unref()
  }
  app.log.info(
    { address, database: app.database.kind, startupMs: Math.round(performance.now() - started), cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000) },
    `gongkai ready at ${address} (docs at ${address}/docs)`,
  )
}

main().catch((err) => {
  if (err instanceof DataDirLockedError) {
    // Another process has the embedded database open: say so plainly, touch nothing (EX_TEMPFAIL).
    console.error(`gongkai: ${err.message}`)
    process.exit(75)
  }
  console.error('gongkai: failed to start:', err)
  process.exit(1)
})
