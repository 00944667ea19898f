// Helpers for benchmarks that need a real Postgres: a throwaway Postgres 15 cluster in a temporary
// directory (initdb, pg_ctl start on a free loopback port, stop and remove), and a guard that removes
// it on exit, on failure and on SIGINT/SIGTERM/SIGHUP.
//
//   const pg = await startPostgres({ settings: { shared_buffers: '1GB' } })
//   try { … pg.url … } finally { await pg.stop() }
//
// Runs the Postgres binaries as the `postgres` user through runuser when this process is root (the
// data directory is chowned to it), directly otherwise. Durability is off (fsync, synchronous_commit,
// full_page_writes): the cluster only lives for the benchmark.
import { execFile } from 'node:child_process'
import { chown, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string
  port: number
  /** The temporary directory (data directory in `pg`, socket, server log in `pg.log`). */
  dir: string
  /** The server version, e.g. "15.14". */
  version: string
  /** Stops the server (fast shutdown) and removes the directory; safe to call twice. */
  stop(): Promise<void>
  /** The last lines of the server log (for error messages). */
  logTail(lines?: number): Promise<string>
}

export interface StartOptions {
  /** Major version whose binaries are in /usr/lib/postgresql/<version>/bin (default 15). */
  version?: number
  /** Extra `-c name=value` settings (on top of loopback-only listening and durability off). */
  settings?: Record<string, string | number>
  /** Timeout for start and stop, in seconds (default 60). */
  timeoutSeconds?: number
}

/** A free TCP port on 127.0.0.1 (asks the kernel for one, then releases it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))))
    })
  })
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const { stdout: uid } = await run('id', ['-u', 'postgres'])
  const { stdout: gid } = await run('id', ['-g', 'postgres'])
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) }
}

const live = new Set<PostgresCluster>()
let guardInstalled = false

/** Stops every cluster this process started, then exits with 128 + signal (once per signal). */
function installGuard(): void {
  if (guardInstalled) return
  guardInstalled = true
  const signals: [NodeJS.Signals, number][] = [
    ['SIGINT', 2],
    ['SIGTERM', 15],
    ['SIGHUP', 1],
  ]
  for (const [signal, number] of signals) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the throwaway Postgres cluster(s)…`)
      void Promise.allSettled([...live].map((c) => c.stop())).then(() => process.exit(128 + number))
    })
  }
}

/** Starts a throwaway cluster; call stop() in a finally block (signals are handled here). */
export async function startPostgres(options: StartOptions = {}): Promise<PostgresCluster> {
  const version = options.version ?? 15
  const bin = `/usr/lib/postgresql/${version}/bin`
  const timeout = options.timeoutSeconds ?? 60
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gongkai-pg-'))
  const data = path.join(dir, 'pg')
  const log = path.join(dir, 'pg.log')
  const asRoot = process.getuid?.() === 0
  const pgRun = (file: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', `${bin}/${file}`, ...args]) : run(`${bin}/${file}`, args))

  let started = false
  let stopped = false
  const cluster: PostgresCluster = {
    url: '',
    port: 0,
    dir,
    version: '',
    async stop() {
      if (stopped) return
      stopped = true
      live.delete(cluster)
      if (started) await pgRun('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', String(timeout), 'stop']).catch((err: Error) => console.error(`pg_ctl stop: ${err.message}`))
      await rm(dir, { recursive: true, force: true })
    },
    async logTail(lines = 30) {
      const text = await readFile(log, 'utf8').catch(() => '')
      return text.split('\n').slice(-lines).join('\n')
    },
  }
  live.add(cluster)
  installGuard()
  try {
    await mkdir(data, { mode: 0o700 })
    if (asRoot) {
      const { uid, gid } = await postgresIds()
      await chown(dir, uid, gid)
      await chown(data, uid, gid)
    }
    await pgRun('initdb', ['-D', data, '--auth=trust', '-U', 'postgres', '--encoding=UTF8', '--locale=C.UTF-8'])
    const port = await freePort()
    const settings: Record<string, string | number> = {
      listen_addresses: '127.0.0.1',
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      ...options.settings,
    }
    const serverOptions = [`-p ${port}`, `-k ${dir}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ')
    started = true // from here on, stop() tries pg_ctl stop (harmless when it did not start)
    try {
      await pgRun('pg_ctl', ['-D', data, '-l', log, '-w', '-t', String(timeout), '-o', serverOptions, 'start'])
    } catch (err) {
      throw new Error(`pg_ctl start failed: ${(err as Error).message}\n${await cluster.logTail()}`)
    }
    const { stdout } = await run(`${bin}/postgres`, ['--version'])
    cluster.port = port
    cluster.url = `postgres://postgres@127.0.0.1:${port}/postgres`
    cluster.version = stdout.trim().replace(/^postgres \(PostgreSQL\) /, '').replace(/ .*/, '')
    return cluster
  } catch (err) {
    await cluster.stop()
    throw err
  }
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.floor(s.length / 2)]! : Number.NaN
}

/** Rejects after `ms` (a bound on any step that waits on something else). */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${Math.round(ms / 1000)} s`)), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}
