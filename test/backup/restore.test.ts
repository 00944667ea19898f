// Backups that restore: a backup of a database with items, notices, posts and their audit trail,
// restored into a fresh place (an empty embedded data directory, or a new Postgres database), serves
// every item, notice and audit entry again, and the audit chain verifies. Plus the server's own
// backups (on demand and scheduled) with retention, and the settings that drive them.
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { asc } from 'drizzle-orm'
import t from 'tap'
import { buildApp, type App } from '../../src/app.js'
import { ConfigError, loadConfig } from '../../src/config.js'
import { backupPattern, pruneBackups, restoreBackup, RestoreRefused, writeBackup } from '../../src/db/backup.js'
import { backupDirOf, scheduleBackups } from '../../src/db/backup-schedule.js'
import { openDatabase, type Database } from '../../src/db/client.js'
import { auditLog } from '../../src/modules/audit/tables.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'
import { adminQuery, databaseUrlFor } from '../helpers/databases.js'
import { itemBody } from '../catalog/builders.js'
import { noticeBody } from '../notices/builders.js'

async function tempDir(t: { teardown(fn: () => unknown): void }, prefix: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

async function all(app: App, url: string, token: string): Promise<any[]> {
  const out: any[] = []
  let cursor: string | null = null
  do {
    const res: { statusCode: number; body: string } = await app.inject({ method: "GET", url: `${url}${url.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${cursor}` : ''}`, headers: bearer(token) })
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
    const page: { items: any[]; nextCursor: string | null } = json(res)
    out.push(...page.items)
    cursor = page.nextCursor
  } while (cursor)
  return out
}

/** Items, notices and posts written through the API, so each has its audit entries. */
async function writeContent(app: App) {
  const admin = await userWith(app, 'admin')
  const editor = await userWith(app, 'editor', 'housing')
  for (let i = 0; i < 5; i++) {
    const res = await app.inject({ method: 'POST', url: '/v1/items', headers: bearer(admin.token), payload: itemBody({ key: `disaster_relief.backup_${i}`, secondLevel: `备份演练 ${i}` }) })
    if (res.statusCode !== 201) throw new Error(res.body)
  }
  for (let i = 0; i < 3; i++) {
    const res = await app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(editor.token), payload: noticeBody({ title: `备份演练公示 ${i}` }) })
    if (res.statusCode !== 201) throw new Error(res.body)
  }
  const post = await app.inject({ method: 'POST', url: '/v1/posts', headers: bearer(editor.token), payload: { departmentCode: 'housing', category: 'progress', title: '备份演练' } })
  if (post.statusCode !== 201) throw new Error(post.body)
  return { admin: admin.token }
}

async function snapshot(app: App, token: string) {
  const audit = await app.db.select().from(auditLog).orderBy(asc(auditLog.seq))
  return {
    items: (await all(app, '/v1/items', token)).map((i) => [i.key, i.version]).sort(),
    notices: (await all(app, '/v1/notices', token)).map((n) => [n.id, n.title]).sort(),
    audit: audit.map((a) => [a.seq, a.action, a.targetId, a.hash]),
  }
}

t.test('a backup restored into a fresh place holds every item, notice and audit entry; the chain verifies', async (t) => {
  const { app, databaseUrl } = await buildTestApp(t)
  const { admin } = await writeContent(app)
  const before = await snapshot(app, admin)
  t.ok(before.items.length >= 5 && before.notices.length === 3 && before.audit.length > 10, 'content to back up')

  const dir = await tempDir(t, 'gongkai-backups-')
  const file = await writeBackup(app.database, dir, new Date('2026-03-02T02:00:00Z'), databaseUrl)
  t.match(path.basename(file), backupPattern)
  t.same(await readdir(dir), [path.basename(file)], 'one complete file, no partial left behind')

  let restored: Database
  if (databaseUrl) {
    const name = `gongkai_restore_${randomBytes(5).toString('hex')}`
    await adminQuery(`CREATE DATABASE ${name}`)
    t.teardown(() => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
    await restoreBackup(file, { databaseUrl: databaseUrlFor(name) })
    restored = await openDatabase({ kind: 'postgres', url: databaseUrlFor(name) })
  } else {
    const dataDir = await tempDir(t, 'gongkai-restored-')
    await restoreBackup(file, { dataDir })
    restored = await openDatabase({ kind: 'pglite', dataDir })
  }
  const again = await buildApp({ ...loadConfig({}), logLevel: 'silent', demoData: false }, { database: restored })
  t.teardown(() => again.close())
  const auditor = await userWith(again, 'auditor')
  const after = await snapshot(again, auditor.token)
  t.same(after.items, before.items, 'every item, at its version')
  t.same(after.notices, before.notices, 'every notice')
  t.same(after.audit.slice(0, before.audit.length), before.audit, 'every audit entry, hash for hash')
  const verify = json(await again.inject({ method: 'GET', url: '/v1/audit/verify', headers: bearer(auditor.token) }))
  t.equal(verify.valid, true, 'the audit chain verifies on the restored database')
})

t.test('a restore refuses a data directory that already holds a database, and a backup of the other kind', async (t) => {
  const dataDir = await tempDir(t, 'gongkai-restore-into-')
  await mkdir(path.join(dataDir, 'pgdata'))
  await writeFile(path.join(dataDir, 'pgdata', 'PG_VERSION'), '17\n') // as a database would have it
  const dir = await tempDir(t, 'gongkai-backups-')
  const tarball = path.join(dir, 'gongkai-20260302T020000Z.tar.gz')
  await writeFile(tarball, 'not used')
  await t.rejects(restoreBackup(tarball, { dataDir }), RestoreRefused)
  await t.rejects(restoreBackup(path.join(dir, 'gongkai-20260302T020000Z.dump'), { dataDir }), RestoreRefused)
  await t.rejects(restoreBackup(tarball, { databaseUrl: 'postgres://nobody@127.0.0.1:1/none' }), RestoreRefused)
})

t.test('the server backs up on demand (SIGUSR2) and on schedule, keeping the newest BACKUP_KEEP', async (t) => {
  const { app, databaseUrl } = await buildTestApp(t)
  const dir = await tempDir(t, 'gongkai-backups-')
  const config = { ...app.config, databaseUrl, backupDir: dir, backupKeep: 2, backupEveryMinutes: 60 }
  const lines: string[] = []
  const log = { info: (_o: object, msg: string) => lines.push(msg), error: (o: object, msg: string) => lines.push(`${msg} ${JSON.stringify(o)}`) }
  let clock = Date.parse('2026-03-02T02:00:00Z')
  const backups = scheduleBackups(app.database, config, log, () => new Date((clock += 60_000)))
  t.teardown(() => backups.stop())
  t.equal(backups.dir, dir)
  for (let i = 0; i < 3; i++) t.ok(await backups.backup('test'))
  process.emit('SIGUSR2' as 'disconnect')
  await backups.stop()
  const names = (await readdir(dir)).sort()
  t.equal(names.length, 2, 'the newest two are kept')
  t.ok(names.every((n) => backupPattern.test(n)))
  t.equal(lines.filter((l) => l === 'backup written').length, 4, 'three asked for, one by the signal')
  t.same(await pruneBackups(dir, 5), [], 'nothing to prune under the limit')
  const failing = scheduleBackups({ ...app.database, kind: 'postgres' } as Database, { ...config, databaseUrl: null }, log)
  t.equal(await failing.backup('test'), null, 'a failed backup is logged, not thrown')
  await failing.stop()
  t.match(lines.at(-1), /backup failed/)
})

t.test('backup settings: BACKUP_DIR, BACKUP_EVERY as minutes or a duration, BACKUP_KEEP', async (t) => {
  const c = loadConfig({ BACKUP_DIR: '/var/backups/gongkai', BACKUP_EVERY: '6h', BACKUP_KEEP: '30' })
  t.equal(c.backupDir, '/var/backups/gongkai')
  t.equal(c.backupEveryMinutes, 360)
  t.equal(c.backupKeep, 30)
  t.equal(loadConfig({ BACKUP_EVERY: '90' }).backupEveryMinutes, 90)
  t.equal(loadConfig({ BACKUP_EVERY: '1d' }).backupEveryMinutes, 1440)
  t.equal(loadConfig({ BACKUP_EVERY: 'off' }).backupEveryMinutes, 0)
  t.equal(loadConfig({}).backupEveryMinutes, 0, 'off by default')
  t.equal(backupDirOf(loadConfig({ DATA_DIR: '/srv/gongkai' })), '/srv/gongkai/backups', 'under the data directory by default')
  t.throws(() => loadConfig({ BACKUP_EVERY: 'hourly' }), ConfigError)
  t.throws(() => loadConfig({ BACKUP_KEEP: '0' }), /BACKUP_KEEP/)
  t.throws(() => loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db', BACKUP_EVERY: '1h' }), /BACKUP_DIR/)
  t.notOk(existsSync('/var/backups/gongkai'), 'reading settings creates nothing')
})
