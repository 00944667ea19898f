// Loads the demo data into the configured database: the pilot's catalog (every item the
// implementation plan names, in its seven domains) published as version 1 — authored and approved by
// the `system` actor, not by a person — and a handful of notices in every state of their lifecycle.
// Each part does nothing when its tables already hold data.
//   npm run seed:demo            (DATABASE_URL, or the embedded database under DATA_DIR — stop the
//                                 server first: an embedded database has one user at a time)
import { buildApp } from '../src/app.js'
import { ConfigError, loadConfig } from '../src/config.js'
import { loadDemoData } from '../src/db/demo.js'

try {
  const config = { ...loadConfig(), logLevel: 'warn' as const, demoData: false }
  const app = await buildApp(config)
  try {
    const added = await loadDemoData(app.db, config, new Date())
    console.log(
      added.catalogItems
        ? `Demo catalog loaded into region ${config.defaultRegion}: ${added.catalogItems} items, published as version ${added.catalogVersion} (approved by the system, not by a person).`
        : `Region ${config.defaultRegion} already has catalog items; catalog left as it is.`,
    )
    console.log(added.notices ? `Demo notices loaded: ${added.notices}.` : 'Notices already exist; none added.')
  } finally {
    await app.close()
  }
} catch (err) {
  console.error(err instanceof ConfigError ? `invalid setting: ${err.message}` : `failed: ${(err as Error).message}`)
  process.exit(1)
}
