// Demo data for a new embedded database (DEMO_DATA, on by default without DATABASE_URL): the pilot's
// notices in different states. Each part adds itself only to an empty table, so it is safe to rerun.
import type { Config } from '../config.js'
import { seedDemoNotices } from '../modules/notices/demo.js'
import type { Db } from './client.js'

export async function loadDemoData(db: Db, config: Config, now: Date): Promise<{ notices: number }> {
  const notices = await seedDemoNotices(db, config.defaultRegion, now)
  return { notices }
}
