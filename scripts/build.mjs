// Compiles the server to plain JavaScript with esbuild, so that `npm start` does not pay for loading
// TypeScript at run time (tsx costs ~0.6 s of every start). Output: node_modules/.cache/gongkai/
// (ignored by git, outside the fixed top level), one ES module per entry plus shared chunks, with
// source maps. Packages are bundled in too — loading a few hundred small files from node_modules cost
// ~0.4 s of CPU at every start — except those that load files of their own at run time (PGlite's
// WebAssembly, argon2's native binding) and exceljs, which is imported only when a spreadsheet is read
// or written. The Swagger UI's assets are read from its installed package (swaggerUiAssets below).
//
//   node scripts/build.mjs              build
//   node scripts/build.mjs --if-stale   build only when a file under src/ (or the lock file) is newer
//                                       than the last build (scripts/start.mjs does the same in-process)
//   node scripts/build.mjs --outdir D   build into D instead (tests); D must be inside the project,
//                                       where the server finds drizzle/ by walking up
//
// A full build (not --if-stale) also makes the embedded database's template when the migrations or
// PGlite changed since the last one (src/db/template.ts, node_modules/.cache/gongkai-db-template/): a
// data directory already migrated, which a first start copies instead of running initdb and every
// migration. A quick start-time rebuild (--if-stale, `npm start`) leaves it alone; without a current
// template a first start takes the normal path.
//
// Runs on `npm ci` too (the `prepare` script), so a fresh clone starts without building.
import { readdir, readFile, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { performance } from 'node:perf_hooks'
import process from 'node:process'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** Where `npm start` runs the server from. */
export const defaultOutdir = path.join(root, 'node_modules/.cache/gongkai')

async function newestSource() {
  let newest = (await stat(path.join(root, 'package-lock.json')).catch(() => ({ mtimeMs: 0 }))).mtimeMs
  newest = Math.max(newest, (await stat(fileURLToPath(import.meta.url))).mtimeMs)
  // Directories too: deleting or renaming a file changes its directory's time, not any file's.
  const src = path.join(root, 'src')
  const paths = [src, ...(await readdir(src, { recursive: true, withFileTypes: true })).map((d) => path.join(d.parentPath ?? d.path, d.name))]
  for (const file of paths) newest = Math.max(newest, (await stat(file)).mtimeMs)
  return newest
}

async function isStale(outdir) {
  const built = await stat(path.join(outdir, 'server.js')).catch(() => null)
  return !built || (await newestSource()) > built.mtimeMs
}

const external = ['@electric-sql/pglite', '@node-rs/argon2', 'exceljs', 'pg-native']

/**
 * The docs UI (@fastify/swagger-ui) is bundled with its dependencies (@fastify/static, yaml, glob…):
 * loaded from node_modules they were a few hundred small files, ~0.1–0.4 s of every start. It finds its
 * assets (static/, the logo) next to its own files through __dirname, which a bundle does not have: the
 * two files that use it get the package's installed directory instead, resolved when the server runs.
 */
const swaggerUiAssets = {
  name: 'swagger-ui-assets',
  setup(build) {
    build.onLoad({ filter: /[\\/]@fastify[\\/]swagger-ui[\\/](index|lib[\\/]routes)\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8')
      const packageDir = "require('node:path').dirname(require.resolve('@fastify/swagger-ui'))"
      const dir = args.path.endsWith('index.js') ? packageDir : `require('node:path').join(${packageDir}, 'lib')`
      return { contents: source.replaceAll('__dirname', `(${dir})`), loader: 'js' }
    })
  },
}

/** Builds the server into `outdir` (always, or only when a source is newer than the last build). */
export async function build({ outdir = defaultOutdir, ifStale = false } = {}) {
  if (ifStale && !(await isStale(outdir))) return
  const started = performance.now()
  await rm(outdir, { recursive: true, force: true }) // chunk names carry content hashes: no stale ones
  const esbuild = await import('esbuild') // only when building: the freshness check stays quick
  await esbuild.build({
    entryPoints: { server: path.join(root, 'src/server.ts'), 'db-template': path.join(root, 'src/db/template.ts') },
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    sourcesContent: false,
    external,
    plugins: [swaggerUiAssets],
    // CommonJS packages inside an ES module bundle: their require() of Node's modules needs one.
    banner: { js: "import { createRequire as __gongkaiRequire } from 'node:module'; const require = __gongkaiRequire(import.meta.url);" },
    logLevel: 'warning',
  })
  process.stderr.write(`gongkai: built the server in ${Math.round(performance.now() - started)} ms (${path.relative(root, outdir)})\n`)
  if (!ifStale) await makeDatabaseTemplate(outdir)
}

/** Makes the migrated template a first start copies, when there is none for the current migrations. */
async function makeDatabaseTemplate(outdir) {
  const started = performance.now()
  const { makeTemplate } = await import(pathToFileURL(path.join(outdir, 'db-template.js')).href)
  const template = await makeTemplate()
  if (template.made) process.stderr.write(`gongkai: made the database template in ${Math.round(performance.now() - started)} ms (${path.relative(root, template.path)})\n`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const outdirFlag = process.argv.indexOf('--outdir')
  await build({ outdir: outdirFlag > 0 ? path.resolve(process.argv[outdirFlag + 1]) : defaultOutdir, ifStale: process.argv.includes('--if-stale') })
}
