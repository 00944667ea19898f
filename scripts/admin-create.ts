// Creates an administrator on the configured database (DATABASE_URL, or the embedded one under
// DATA_DIR — stop the server first: an embedded database has one user at a time).
//   npm run admin:create -- --username li.na [--display-name 李娜]
// The password is read from standard input when it is piped, or asked for twice (not echoed).
import { parseArgs } from 'node:util'
import { buildApp } from '../src/app.js'
import { ConfigError, loadConfig } from '../src/config.js'
import { createAdmin } from '../src/modules/auth/bootstrap.js'
import { passwordProblems } from '../src/modules/auth/passwords.js'

async function readHidden(prompt: string): Promise<string> {
  process.stdout.write(prompt)
  const stdin = process.stdin
  stdin.setRawMode(true)
  stdin.resume()
  stdin.setEncoding('utf8')
  let value = ''
  return new Promise((resolve, reject) => {
    const onData = (ch: string) => {
      for (const c of ch) {
        if (c === '\r' || c === '\n') {
          stdin.setRawMode(false)
          stdin.pause()
          stdin.off('data', onData)
          process.stdout.write('\n')
          return resolve(value)
        }
        if (c === '\u0003') return reject(new Error('cancelled'))
        if (c === '\u007f') value = value.slice(0, -1)
        else value += c
      }
    }
    stdin.on('data', onData)
  })
}

async function readPiped(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
}

const { values } = parseArgs({ options: { username: { type: 'string' }, 'display-name': { type: 'string' } } })
if (!values.username || !/^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$/.test(values.username)) {
  console.error('usage: npm run admin:create -- --username <name> [--display-name <name>]   (lower-case letters, digits, . _ -)')
  process.exit(2)
}
let password: string
if (process.stdin.isTTY) {
  password = await readHidden('Password: ')
  if ((await readHidden('Again: ')) !== password) {
    console.error('The passwords differ.')
    process.exit(1)
  }
} else {
  password = await readPiped()
}
const problems = passwordProblems(password, values.username, 'password')
if (problems.length) {
  console.error(`The password ${problems.map((p) => p.message).join('; ')}.`)
  process.exit(1)
}
try {
  const config = { ...loadConfig(), logLevel: 'warn' as const, demoData: false }
  const app = await buildApp(config)
  try {
    await createAdmin(app.db, config.defaultRegion, new Date(), values.username, password, values['display-name'])
    console.log(`Administrator ${values.username} created.`)
  } finally {
    await app.close()
  }
} catch (err) {
  console.error(err instanceof ConfigError ? `invalid setting: ${err.message}` : `failed: ${(err as Error).message}`)
  process.exit(1)
}
