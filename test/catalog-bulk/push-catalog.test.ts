import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { clientWith } from '../helpers/auth.js'
import { publishedWorkbook, workingSet, type PublishedRow } from './builders.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const script = path.join(root, 'scripts/push-catalog.ts')

function pushCatalog(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
}

const row = (second: string, channels: string): PublishedRow => ({
  first: '受灾人员冬春生活救助',
  second,
  content: '●救助对象姓名\n●救助金额',
  basis: '《自然灾害救助条例》（国务院令第577号）第二十条',
  timeLimit: '信息形成或者变更之日起20个工作日内',
  department: '龙沙区民政局',
  channels,
  public: true,
  proactive: true,
  onRequest: false,
  county: true,
  township: false,
})

t.test('push-catalog against a running server: a dry run prints the diff; a rejected file exits 1 listing every bad row', async (t) => {
  const { app } = await buildTestApp(t)
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const client = await clientWith(app, ['items:write'], 'civil_affairs')
  const dir = await mkdtemp(path.join(os.tmpdir(), 'push-catalog-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const env = { GONGKAI_CLIENT_ID: client.clientId, GONGKAI_CLIENT_SECRET: client.clientSecret }

  const good = path.join(dir, 'catalog.xlsx')
  await writeFile(good, await publishedWorkbook('救灾领域基层政务公开标准目录', [row('救助政策', '■政府网站'), row('救助对象名单', '■政府网站 ■社区/企事业单位/村公示栏(电子屏)')]))
  const dry = await pushCatalog(['--file', good, '--mode', 'replace', '--dry-run', '--department', 'civil_affairs', '--url', address], env)
  t.equal(dry.code, 0, dry.code === 0 ? 'exits 0' : dry.stderr)
  t.match(dry.stdout, /^DRY RUN — nothing was written\. 2 items read \(xlsx, published layout\), mode replace, department civil_affairs:/)
  t.match(dry.stdout, /2 added, 0 changed, 0 retired, 0 unchanged/)
  t.match(dry.stdout, /\+ disaster_relief\.item_[0-9a-f]{12} {2}受灾人员冬春生活救助 \/ 救助对象名单 {2}\(row 5\)/)
  t.match(dry.stderr, /signing in to .* as gkc_/, 'progress goes to stderr')
  t.same(await workingSet(app), [], 'the dry run wrote nothing')

  const real = await pushCatalog(['--file', good, '--department', 'civil_affairs', '--url', address, '--quiet'], env)
  t.equal(real.code, 0, real.code === 0 ? 'exits 0' : real.stderr)
  t.equal(real.stderr, '', '--quiet')
  t.equal((await workingSet(app)).length, 2)

  const bad = path.join(dir, 'bad.xlsx')
  await writeFile(bad, await publishedWorkbook('救灾领域基层政务公开标准目录', [row('救助政策', ''), row('', '■政府网站')]))
  const rejected = await pushCatalog(['--file', bad, '--department', 'civil_affairs', '--url', address], env)
  t.equal(rejected.code, 1)
  t.match(rejected.stderr, /rejected \(422\): 2 rows are not valid/)
  t.match(rejected.stderr, /row 4, column H \(公开渠道和载体\): is empty/)
  t.match(rejected.stderr, /row 5, column C \(二级事项\): is empty/)

  const noCredentials = await pushCatalog(['--file', good, '--url', address], { GONGKAI_CLIENT_ID: '', GONGKAI_CLIENT_SECRET: '' })
  t.equal(noCredentials.code, 2)
  t.match(noCredentials.stderr, /set GONGKAI_CLIENT_ID and GONGKAI_CLIENT_SECRET/)
})
