// The start-up seed (src/db/seed.ts) runs again only when its inputs changed since the region's last
// completed seed: a start on an already-seeded database costs one query, and changed seed data (or a
// database seeded by an older version) is still seeded.
import { eq } from 'drizzle-orm'
import t from 'tap'
import { ConfigError } from '../../src/config.js'
import { seedDatabase, seedFingerprint } from '../../src/db/seed.js'
import { seedRuns } from '../../src/db/seed-tables.js'
import { departments } from '../../src/modules/reference/tables.js'
import { buildTestApp } from '../helpers/app.js'

t.test('a seeded database records the fingerprint of what its seed inserted', async (t) => {
  const { app } = await buildTestApp(t)
  const runs = await app.db.select().from(seedRuns)
  t.same(
    runs.map((r) => [r.regionCode, r.fingerprint]),
    [[app.config.defaultRegion, seedFingerprint(app.config.defaultRegion)]],
  )
  t.not(seedFingerprint('230203'), seedFingerprint(app.config.defaultRegion), 'per region')
})

t.test('the seed is skipped while its inputs are unchanged, and runs again once they change', async (t) => {
  const { app } = await buildTestApp(t)
  const count = async () => (await app.db.select({ id: departments.id }).from(departments)).length
  const seeded = await count()
  // A row the seed would insert again: removed by hand in SQL (no API deletes a department).
  await app.db.delete(departments).where(eq(departments.code, 'justice'))
  await seedDatabase(app.db, app.config)
  t.equal(await count(), seeded - 1, 'same inputs: the seed did not run')

  // As after an upgrade whose seed data differs from what this database was seeded with.
  await app.db.update(seedRuns).set({ fingerprint: 'seeded by an older version' }).where(eq(seedRuns.regionCode, app.config.defaultRegion))
  await seedDatabase(app.db, app.config)
  t.equal(await count(), seeded, 'changed inputs: the seed ran and inserted what was missing')
  const [run] = await app.db.select().from(seedRuns).where(eq(seedRuns.regionCode, app.config.defaultRegion))
  t.equal(run!.fingerprint, seedFingerprint(app.config.defaultRegion), 'and recorded the new fingerprint')
})

t.test('an unknown DEFAULT_REGION still stops the seed with a setting error', async (t) => {
  const { app } = await buildTestApp(t)
  await t.rejects(seedDatabase(app.db, { ...app.config, defaultRegion: '999999' }), ConfigError)
  t.same(await app.db.select().from(seedRuns).where(eq(seedRuns.regionCode, '999999')), [], 'a failed seed records nothing')
})
