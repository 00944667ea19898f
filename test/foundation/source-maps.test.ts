// Stack traces of the compiled server mapped back to src/ by the server itself (src/source-maps.ts):
// a frame in a compiled file with a map gets the TypeScript source's place, any other frame is left
// as V8 writes it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import * as esbuild from 'esbuild'
import t from 'tap'
import { mapStackTracesLazily, mappedFrame } from '../../src/source-maps.js'

/** The call sites of an error, as V8 hands them to Error.prepareStackTrace. */
function callSites(error: Error): NodeJS.CallSite[] {
  const previous = Error.prepareStackTrace
  Error.prepareStackTrace = (_, sites) => sites
  try {
    return error.stack as unknown as NodeJS.CallSite[]
  } finally {
    Error.prepareStackTrace = previous
  }
}

t.test('a frame of a compiled file points at its TypeScript source; others are left alone', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gongkai-source-maps-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const source = path.join(dir, 'src', 'boom.ts')
  await esbuild.build({
    stdin: { contents: ['// line 1', 'type Unused = string', 'export function boom(): Error {', '  return new Error("boom")', '}', ''].join('\n'), sourcefile: source, loader: 'ts' },
    outfile: path.join(dir, 'out', 'boom.js'),
    format: 'esm',
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'error',
  })
  const compiledDir = path.join(dir, 'out')
  const { boom } = (await import(pathToFileURL(path.join(compiledDir, 'boom.js')).href)) as { boom: () => Error }
  const [first, second] = callSites(boom())
  const isCompiled = (file: string) => file.includes(compiledDir)
  const mapped = mappedFrame(first!, isCompiled)
  t.ok(mapped.startsWith(`boom (${source}:4:`), `the compiled frame names the .ts file and line: ${mapped}`)
  t.equal(mappedFrame(second!, isCompiled), String(second), 'a frame outside the compiled directory is as V8 writes it')
  t.equal(mappedFrame(first!, () => false), String(first), 'only files of the compiled directory are looked up')

  // A compiled file without a map: as V8 writes it.
  await writeFile(path.join(compiledDir, 'plain.js'), 'export function plain() { return new Error("plain") }\n')
  const { plain } = (await import(pathToFileURL(path.join(compiledDir, 'plain.js')).href)) as { plain: () => Error }
  const [plainFrame] = callSites(plain())
  t.equal(mappedFrame(plainFrame!, isCompiled), String(plainFrame))
})

t.test('not installed where Node maps stack traces itself', async (t) => {
  // The tests run under tsx, which turns Node's source maps on: the server leaves them to Node.
  t.equal(process.sourceMapsEnabled, true)
  const before = Error.prepareStackTrace
  t.equal(mapStackTracesLazily('/nowhere'), false)
  t.equal(Error.prepareStackTrace, before)
})
