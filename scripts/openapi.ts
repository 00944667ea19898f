// Writes the OpenAPI document generated from the route schemas to openapi/openapi.json, or with
// --check exits non-zero when the committed file differs from what the code generates.
import { readFile, writeFile } from 'node:fs/promises'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/client.js'

export const specPath = new URL('../openapi/openapi.json', import.meta.url)

export async function generateSpec(): Promise<string> {
  const database = await openDatabase({ kind: 'pglite' })
  const app = await buildApp({ ...loadConfig({}), logLevel: 'silent', demoData: false }, { database })
  await app.ready()
  const text = JSON.stringify(app.swagger(), null, 2) + '\n'
  await app.close()
  return text
}

const generated = await generateSpec()
if (process.argv.includes('--check')) {
  const committed = await readFile(specPath, 'utf8').catch(() => '')
  if (committed !== generated) {
    console.error('openapi/openapi.json is out of date: run `npm run openapi` and commit the result.')
    process.exit(1)
  }
  console.log('openapi/openapi.json matches the routes.')
} else {
  await writeFile(specPath, generated)
  console.log('wrote openapi/openapi.json')
}
