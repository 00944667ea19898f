// The embedded database's template (src/db/template.ts): made from the committed migrations, copied
// into a new data directory only, found only for the migrations and PGlite it was made from. Embedded
// only: on Postgres there is nothing to copy (the suite's Postgres run checks the same file passes).
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'
import { openDatabase } from '../../src/db/client.js'
import { migrationsFolder, runMigrations } from '../../src/db/migrate.js'
import { findTemplate, makeTemplate, startFromTemplate, templateFingerprint } from '../../src/db/template.js'

t.test('a new data directory starts as a copy of the migrated template, and only a new one', async (t) => {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'gongkai-template-'))
  t.teardown(() => rm(scratch, { recursive: true, force: true }))
  const folder = path.join(scratch, 'templates')
  // What earlier builds left: the template of older migrations, and the partial one of a killed build
  // (a pid above Linux's maximum: no process runs under it).
  await mkdir(path.join(folder, 'older-migrations'), { recursive: true })
  await mkdir(path.join(folder, `${'0'.repeat(32)}.999999999.partial`), { recursive: true })

  const made = await makeTemplate(folder)
  t.ok(made.made, 'made for the current migrations')
  t.equal(path.basename(made.path), await templateFingerprint())
  t.same(await readdir(folder), [path.basename(made.path)], 'older templates and a dead build’s leftovers are removed')
  t.same(await makeTemplate(folder), { path: made.path, made: false }, 'a second build keeps it')
  t.equal(await findTemplate(folder), made.path)

  const dataDir = path.join(scratch, 'data')
  const pgdata = path.join(dataDir, 'pgdata')
  await mkdir(pgdata, { recursive: true })
  t.ok(await startFromTemplate(pgdata, folder), 'an empty pgdata is filled')
  t.notOk((await readdir(dataDir)).some((n) => n.includes('partial')), 'nothing half-copied is left beside it')
  t.notOk(await startFromTemplate(pgdata, folder), 'a pgdata that holds a database is never touched')

  const database = await openDatabase({ kind: 'pglite', dataDir })
  t.teardown(() => database.close())
  const journal = JSON.parse(await readFile(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }
  const applied = await database.pglite!.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations')
  t.equal(applied.rows[0]!.n, journal.entries.length, 'every committed migration is applied in the copy')
  await runMigrations(database) // the server still runs them: nothing left to do
  const again = await database.pglite!.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations')
  t.equal(again.rows[0]!.n, journal.entries.length)
  const domains = await database.pglite!.query<{ n: number }>('select count(*)::int as n from domains')
  t.equal(domains.rows[0]!.n, 0, 'no seed and no data: the server seeds after opening')
})

t.test('without a template for the current migrations a new data directory is left to initdb', async (t) => {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'gongkai-template-'))
  t.teardown(() => rm(scratch, { recursive: true, force: true }))
  const folder = path.join(scratch, 'templates')
  // A complete-looking template under another fingerprint (made before a migration was added).
  await mkdir(path.join(folder, 'f'.repeat(32)), { recursive: true })
  await writeFile(path.join(folder, 'f'.repeat(32), 'PG_VERSION'), '17\n')
  const pgdata = path.join(scratch, 'pgdata')
  await mkdir(pgdata)
  t.equal(await findTemplate(folder), null)
  t.notOk(await startFromTemplate(pgdata, folder))
  t.same(await readdir(pgdata), [], 'the directory is left empty')
  t.equal(await findTemplate(path.join(scratch, 'no-such-folder')), null)
})
