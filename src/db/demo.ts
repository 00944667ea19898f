// Demo data for a new embedded database (DEMO_DATA, on by default without DATABASE_URL): the pilot's
// catalog published as version 1, and its notices in different states. Each part adds itself only
// to an empty table, so it is safe to rerun; `npm run seed:demo` loads it into any database.
import type { Config } from '../config.js'
import { seedDemoCatalog } from '../modules/catalog/service.js'
import { seedDemoNotices } from '../modules/notices/demo.js'
import { seedDemoApplications } from '../modules/applications/demo.js'
import type { Db } from './client.js'

export async function loadDemoData(db: Db, config: Config, now: Date) {
  const catalog = await seedDemoCatalog(db, config.defaultRegion, now)
  const notices = await seedDemoNotices(db, config.defaultRegion, now)
  const applications = await seedDemoApplications(db, config.defaultRegion, now)
  return { catalogItems: catalog?.items ?? 0, catalogVersion: catalog?.version ?? null, notices, applications }
}
