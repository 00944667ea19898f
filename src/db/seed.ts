// Data every database needs, inserted idempotently at each start.
import type { Config } from '../config.js'
import { ConfigError } from '../config.js'
import { seedCalendar } from '../modules/calendar/service.js'
import { regionExists, seedReferenceData } from '../modules/reference/service.js'
import type { Db } from './client.js'

export async function seedDatabase(db: Db, config: Config): Promise<void> {
  await seedReferenceData(db)
  if (!(await regionExists(db, config.defaultRegion))) {
    throw new ConfigError(`DEFAULT_REGION: no region ${config.defaultRegion} in the database (known: 230202 龙沙区)`)
  }
  await seedCalendar(db, config.defaultRegion)
}
