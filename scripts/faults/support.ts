// Shared by the fault scripts (scripts/faults/*.ts) and their tests (test/faults/): the server as
// `npm start` runs it (the esbuild bundle of scripts/build.mjs) started as a real process, signed in
// as an administrator, and a throwaway Postgres cluster (scripts/bench/support.ts) to stop and start.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export { freePort, startPostgres, type PostgresCluster } from '../bench/support.js'

export const adminPassword = 'a sturdy fault-test passphrase'

/** Bundles the server into `outdir` (inside the project, where it finds drizzle/); returns its entry. */
export function buildServer(outdir: string): string {
  execFileSync(process.execPath, ['scripts/build.mjs', '--outdir', outdir], { cwd: root, stdio: 'pipe' })
  return path.join(outdir, 'server.js')
}

export interface ServerProcess {
  url: string
  child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | string>
  /** SIGKILL (kill -9), and waits for the process to be gone. */
  kill9(): Promise<void>
}

export interface ServerOptions {
  entry: string
  /** DATA_DIR for the embedded database, or DATABASE_URL for Postgres. */
  dataDir?: string
  databaseUrl?: string
  env?: Record<string, string>
  /** How long to wait for "gongkai ready" (default 120 s: a loaded CI machine). */
  timeoutMs?: number
}

/** Spawns the server; resolves when it says it is ready, or rejects with what it printed. */
export function spawnServer(options: ServerOptions): { child: ChildProcess; ready: Promise<ServerProcess> } {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: options.databaseUrl ?? '',
    DATA_DIR: options.dataDir ?? '',
    JWT_SECRET: options.databaseUrl ? 'fault-test-signing-key-fault-test-signing-key' : '',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    DEMO_DATA: 'false',
    // No coverage from the bundle (see test/foundation/server-build.test.ts).
    NODE_V8_COVERAGE: '',
    ...options.env,
  }
  const child = spawn(process.execPath, ['--enable-source-maps', options.entry], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')))
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)))
  const ready = new Promise<ServerProcess>((resolve, reject) => {
    const deadline = Date.now() + (options.timeoutMs ?? 120_000)
    const poll = () => {
      const match = /gongkai ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (match) {
        return resolve({
          url: match[1]!,
          child,
          stdout: () => out,
          stderr: () => err,
          exited,
          stop: () => (child.kill('SIGTERM'), exited),
          kill9: async () => {
            child.kill('SIGKILL')
            await exited
          },
        })
      }
      if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`the server exited (${child.exitCode ?? child.signalCode}):\n${out}\n${err}`))
      if (Date.now() > deadline) {
        child.kill('SIGKILL')
        return reject(new Error(`the server did not start in time:\n${out}\n${err}`))
      }
      setTimeout(poll, 25)
    }
    poll()
  })
  return { child, ready }
}

export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  return spawnServer(options).ready
}

export async function postJson(url: string, body: unknown, token?: string, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }, body: JSON.stringify(body) })
}

export async function passwordToken(url: string, username: string, password: string): Promise<string> {
  const res = await postJson(`${url}/v1/auth/token`, { grant_type: 'password', username, password })
  if (res.status !== 200) throw new Error(`sign-in as ${username}: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { access_token: string }).access_token
}

/**
 * On a fresh embedded database: signs in with the one-time password the server printed, sets
 * `adminPassword`, and returns a token. (Later starts: `passwordToken(url, 'admin', adminPassword)`.)
 */
export async function firstAdminToken(server: ServerProcess): Promise<string> {
  const oneTime = /one-time password: (\S{16,})/.exec(server.stdout())?.[1]
  if (!oneTime) throw new Error(`no one-time password printed:\n${server.stdout()}`)
  const first = await passwordToken(server.url, 'admin', oneTime)
  const change = await postJson(`${server.url}/v1/me/password`, { currentPassword: oneTime, newPassword: adminPassword }, first)
  if (change.status !== 204) throw new Error(`password change: ${change.status} ${await change.text()}`)
  return passwordToken(server.url, 'admin', adminPassword)
}

/** On Postgres: creates the administrator `admin` (with `adminPassword`) directly in the database. */
export async function createPostgresAdmin(databaseUrl: string): Promise<void> {
  const { openDatabase } = await import('../../src/db/client.js')
  const { createAdmin } = await import('../../src/modules/auth/bootstrap.js')
  const database = await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 1 })
  try {
    await createAdmin(database.db, '230202', new Date(), 'admin', adminPassword)
  } finally {
    await database.close()
  }
}

export async function getJson<T = any>(url: string, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T }
}

/** The audit chain check: true when `GET /v1/audit/verify` says the chain holds. */
export async function auditVerifies(url: string, token: string): Promise<{ ok: boolean; body: unknown }> {
  const { status, body } = await getJson<{ valid?: boolean; ok?: boolean }>(`${url}/v1/audit/verify`, token)
  return { ok: status === 200 && (body?.valid === true || body?.ok === true), body }
}

/**
 * Stops and starts a throwaway cluster in place (same data, port and settings), as an operator's
 * `pg_ctl stop -m fast` / `start` would: running transactions are cut (57P01), new connections refused.
 */
export function clusterControl(cluster: { dir: string; port: number }, settings: Record<string, string> = {}) {
  const data = path.join(cluster.dir, 'pg')
  const log = path.join(cluster.dir, 'pg.log')
  const asRoot = process.getuid?.() === 0
  const pgCtl = (args: string[]) => {
    const bin = '/usr/lib/postgresql/15/bin/pg_ctl'
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args]
    execFileSync(file, argv, { stdio: 'pipe' })
  }
  const serverOptions = [`-p ${cluster.port}`, `-k ${cluster.dir}`, '-c listen_addresses=127.0.0.1', ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ')
  return {
    stop: (mode: 'fast' | 'immediate' = 'fast') => pgCtl(['-D', data, '-m', mode, '-w', '-t', '60', 'stop']),
    start: () => pgCtl(['-D', data, '-l', log, '-w', '-t', '60', '-o', serverOptions, 'start']),
  }
}

/** A catalog item for fault runs (bulk upserts under load); `label` tells the runs apart in the data. */
export const faultItem = (key: string, label: string) => ({
  key,
  domain: 'disaster_relief',
  firstLevel: '受灾人员冬春生活救助',
  secondLevel: `${label} ${key}`,
  content: [{ name: '救助对象姓名', required: true }],
  basis: [{ kind: 'administrative_regulation', title: '自然灾害救助条例', documentNumber: '国务院令第577号', articles: '第二十条' }],
  timeLimit: { text: '信息形成或者变更之日起20个工作日内', rule: { type: 'within', unit: 'working_day', length: 20, event: '信息形成或者变更之日' } },
  department: 'civil_affairs',
  channels: ['government_website'],
  audience: { public: true, specificGroups: false },
  mode: { proactive: true, onRequest: false },
  levels: ['county'],
})
