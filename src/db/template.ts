// The first start of an embedded database from a template: a data directory that PGlite created and
// the committed migrations filled, made once at build time (scripts/build.mjs) and copied into a new
// data directory instead of running PGlite's initdb and every migration, which are most of a first start.
// Only what the migrations make is in it (no seed, no data): the server still runs the migrations (then
// a no-op) and the seed after opening, as on any start. It is named by a fingerprint of the migrations
// and of the PGlite version, so a template made before a migration was added or by another PGlite is
// never found, and that first start takes the normal path (initdb, then every migration).
import { createHash } from 'node:crypto'
import { existsSync, type Dirent } from 'node:fs'
import { copyFile, mkdir, readdir, readFile, rename, rm, rmdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { processRuns } from './data-dir-lock.js'
import { migrationsFolder } from './migrate.js'

/** Templates live beside the compiled server, outside the fixed top level; one per fingerprint. */
export const templatesFolder = path.join(path.dirname(migrationsFolder), 'node_modules', '.cache', 'gongkai-db-template')

/** sha256 of the PGlite version and of every migration drizzle applies, in the journal's order. */
export async function templateFingerprint(): Promise<string> {
  const pgliteEntry = createRequire(import.meta.url).resolve('@electric-sql/pglite')
  const pglite = JSON.parse(await readFile(path.join(path.dirname(pgliteEntry), '..', 'package.json'), 'utf8')) as { version: string }
  const journalText = await readFile(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')
  const journal = JSON.parse(journalText) as { entries: { tag: string }[] }
  const hash = createHash('sha256').update(`pglite ${pglite.version}\n`).update(journalText)
  for (const { tag } of journal.entries) hash.update(`\n${tag}\n`).update(await readFile(path.join(migrationsFolder, `${tag}.sql`)))
  return hash.digest('hex').slice(0, 32)
}

/** The template's data directory for the current migrations, or null when none was made for them. */
export async function findTemplate(folder = templatesFolder): Promise<string | null> {
  const dir = path.join(folder, await templateFingerprint())
  // Made under another name and renamed when complete: a directory by this name is a whole one.
  return existsSync(path.join(dir, 'PG_VERSION')) ? dir : null
}

/**
 * Fills `pgdata` from the template when it holds no database yet (a new data directory) and there is
 * a template for the current migrations; returns whether it did. The caller holds the data directory's
 * lock. The copy is made beside `pgdata` and renamed into place, so a start killed half-way leaves no
 * half database for the next start to open.
 */
export async function startFromTemplate(pgdata: string, folder = templatesFolder): Promise<boolean> {
  if ((await readdir(pgdata).catch(() => [])).length > 0) return false
  const template = await findTemplate(folder)
  if (!template) return false
  const partial = `${pgdata}.template-partial`
  await rm(partial, { recursive: true, force: true })
  await copyDirectory(template, partial)
  await rmdir(pgdata).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err
  })
  await rename(partial, pgdata)
  return true
}

/** A plain recursive copy, every file at once (fs.cp copies one file after another: ~1.5 × slower here). */
async function copyDirectory(from: string, to: string): Promise<void> {
  const entries = await readdir(from, { recursive: true, withFileTypes: true })
  const relative = (e: Dirent) => path.relative(from, path.join(e.parentPath, e.name))
  await mkdir(to, { mode: 0o700 })
  for (const dir of entries.filter((e) => e.isDirectory()).map(relative)) await mkdir(path.join(to, dir), { recursive: true, mode: 0o700 })
  await Promise.all(entries.filter((e) => e.isFile()).map((e) => copyFile(path.join(from, relative(e)), path.join(to, relative(e)))))
}

/** Makes the template for the current migrations unless it exists; removes templates of older ones. */
export async function makeTemplate(folder = templatesFolder): Promise<{ path: string; made: boolean }> {
  const fingerprint = await templateFingerprint()
  const target = path.join(folder, fingerprint)
  // Templates of other migrations, and the leftovers of builds that were killed while making one.
  const stale = (await readdir(folder).catch(() => [] as string[])).filter((name) => {
    const partialOf = /\.(\d+)\.partial$/.exec(name)
    return partialOf ? !processRuns(Number(partialOf[1])) : name !== fingerprint
  })
  for (const name of stale) await rm(path.join(folder, name), { recursive: true, force: true })
  if (existsSync(path.join(target, 'PG_VERSION'))) return { path: target, made: false }
  const partial = `${target}.${process.pid}.partial`
  await rm(partial, { recursive: true, force: true })
  await mkdir(partial, { recursive: true, mode: 0o700 })
  try {
    const pglite = await PGlite.create(partial)
    try {
      // Loaded here only: the server imports this module at its very start, for startFromTemplate.
      const [{ drizzle }, { migrate }] = await Promise.all([import('drizzle-orm/pglite'), import('drizzle-orm/pglite/migrator')])
      await migrate(drizzle(pglite), { migrationsFolder })
      await pglite.query('CHECKPOINT')
    } finally {
      await pglite.close() // a clean shutdown: the copy opens without recovery
    }
    // Another build may have made it meanwhile (the same content): keep that one.
    if (existsSync(path.join(target, 'PG_VERSION'))) return { path: target, made: false }
    await rename(partial, target)
    return { path: target, made: true }
  } finally {
    await rm(partial, { recursive: true, force: true })
  }
}
