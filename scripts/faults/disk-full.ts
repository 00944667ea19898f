// A full disk under the embedded database: the data directory on a small tmpfs (mounted here; needs
// root), the bundled server on it, the disk filled to the last byte by a filler file while items are
// written, then the space given back. Checked: the process does not exit, writes on the full disk
// answer a 503 problem (never an acknowledged write that is then missing), writes succeed again once space
// is back without a restart, and after a restart on the same data every acknowledged item is there and
// the audit chain verifies.
//
//   npx tsx scripts/faults/disk-full.ts [--size-mb 160]
import { execFileSync } from 'node:child_process'
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { adminPassword, auditVerifies, buildServer, faultItem, firstAdminToken, passwordToken, postJson, root, type ServerProcess, startServer } from './support.js'

/** Writes zeros into `file` until the file system is full; returns the bytes written. */
async function fill(file: string): Promise<number> {
  const handle = await open(file, 'w')
  const chunk = Buffer.alloc(1024 * 1024)
  let written = 0
  try {
    for (;;) written += (await handle.write(chunk)).bytesWritten
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
    // The last few KB too.
    for (const size of [65536, 4096, 512]) {
      try {
        for (;;) written += (await handle.write(Buffer.alloc(size))).bytesWritten
      } catch {
        /* full at this size */
      }
    }
  } finally {
    await handle.close().catch(() => undefined)
  }
  return written
}

async function main() {
  const { values } = parseArgs({ options: { 'size-mb': { type: 'string', default: '160' } } })
  const mount = await mkdtemp(path.join(os.tmpdir(), 'gongkai-disk-'))
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${values['size-mb']}m`, 'tmpfs', mount])
  const outdir = await mkdtemp(path.join(root, 'node_modules/.cache/gongkai-disk-'))
  let server: ServerProcess | undefined
  const dataDir = path.join(mount, 'data')
  const filler = path.join(mount, 'filler')
  const results = { acknowledged: [] as string[], whileFull: {} as Record<string, number>, nonProblem: [] as string[], processAlive: true, recoveredWithoutRestart: false, afterRestart: { restarted: false, missing: [] as string[], auditChainValid: false } }
  try {
    server = await startServer({ entry: buildServer(outdir), dataDir })
    const token = await firstAdminToken(server)
    const write = async (key: string) => {
      const res = await postJson(`${server!.url}/v1/items/bulk?mode=upsert`, [faultItem(key, '磁盘演练')], token).catch(() => null)
      if (!res) return 0
      const body = await res.text()
      if (res.status === 200) results.acknowledged.push(key)
      else if (!/^application\/problem\+json/.test(res.headers.get('content-type') ?? '')) results.nonProblem.push(`${res.status} ${body.slice(0, 200)}`)
      return res.status
    }
    for (let i = 0; i < 20; i++) await write(`disaster_relief.disk_before_${i}`)
    console.log(`before: ${results.acknowledged.length} items acknowledged; filling the disk`)
    console.log(`filler: ${Math.round((await fill(filler)) / 1024 / 1024)} MB; the disk is full`)
    for (let i = 0; i < 60; i++) {
      const status = await write(`disaster_relief.disk_full_${i}`)
      results.whileFull[status] = (results.whileFull[status] ?? 0) + 1
      if (server.child.exitCode !== null || server.child.signalCode !== null) {
        results.processAlive = false
        break
      }
    }
    console.log(`while full: ${JSON.stringify(results.whileFull)} (status: count; 0 = no answer)`)
    const logged = server.stdout().split('\n').find((line) => /"level":(50|40)/.test(line) && /database problem|unhandled error/.test(line))
    if (logged) console.log(`the server logged: SQLSTATE ${/"code":"([0-9A-Z]{5})"/.exec(logged)?.[1] ?? '?'}, ${/"message":"((?:could not|No space)[^"]*)"/.exec(logged)?.[1] ?? logged.slice(0, 300)}`)
    await rm(filler)
    if (results.processAlive) {
      const status = await write('disaster_relief.disk_after')
      results.recoveredWithoutRestart = status === 200
      console.log(`space back: a write answers ${status}`)
      await server.stop()
    } else {
      console.log(`the server exited: ${server.stderr().slice(-2000)}`)
    }
    server = await startServer({ entry: buildServer(outdir), dataDir })
    results.afterRestart.restarted = true
    const again = await passwordToken(server.url, 'admin', adminPassword)
    for (const key of results.acknowledged) {
      const res = await fetch(`${server.url}/v1/items/${key}`, { headers: { authorization: `Bearer ${again}` } })
      if (res.status !== 200) results.afterRestart.missing.push(key)
      await res.arrayBuffer()
    }
    results.afterRestart.auditChainValid = (await auditVerifies(server.url, again)).ok
  } finally {
    await server?.stop().catch(() => undefined)
    execFileSync('umount', [mount])
    await rmdir(mount)
    await rm(outdir, { recursive: true, force: true })
  }
  console.log(JSON.stringify({ ...results, acknowledged: results.acknowledged.length }, null, 2))
  const onlyUnavailable = Object.keys(results.whileFull).every((status) => status === '503' || status === '200')
  const ok = onlyUnavailable && results.processAlive && results.recoveredWithoutRestart && results.afterRestart.restarted && !results.afterRestart.missing.length && results.afterRestart.auditChainValid && !results.nonProblem.length
  if (!ok) process.exit(1)
}

await main()
