// Stack traces of the compiled server (node_modules/.cache/gongkai/, scripts/build.mjs) mapped back to
// the TypeScript sources, with the cost paid at the first stack trace rather than at every start.
// Node's own source maps (--enable-source-maps, process.setSourceMapsEnabled) read and index every
// module's map as it loads, ~0.1–0.15 s of each start for the bundle's 2 MB maps, although most
// processes never format a stack trace. Here a stack trace is formatted as V8 does, and a frame in a
// file of the bundle gets its place in src/ instead, from the file's map, read when first needed.
// When Node maps stack traces itself (a NODE_OPTIONS with --enable-source-maps, tsx in development and
// tests) this is not installed.
import { readFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const maps = new Map<string, { map: SourceMap; dir: string } | null>()

/** The map of a compiled file (`file:` URL or path), or null for a file without one. */
function mapOf(file: string): { map: SourceMap; dir: string } | null {
  let found = maps.get(file)
  if (found === undefined) {
    try {
      const filename = file.startsWith('file:') ? fileURLToPath(file) : file
      found = { map: new SourceMap(JSON.parse(readFileSync(`${filename}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]), dir: path.dirname(filename) }
    } catch {
      found = null
    }
    maps.set(file, found)
  }
  return found
}

/** One frame as V8 writes it, its location replaced by the TypeScript source's when the map has it. */
export function mappedFrame(site: NodeJS.CallSite, isCompiled: (file: string) => boolean): string {
  const text = String(site)
  const file = site.getFileName()
  const line = site.getLineNumber()
  const column = site.getColumnNumber()
  if (!file || !line || !column || !isCompiled(file)) return text
  const compiled = mapOf(file)
  const entry = compiled?.map.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined
  if (!compiled || entry?.originalSource === undefined) return text
  const source = path.resolve(compiled.dir, entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : entry.originalSource)
  return text.replace(`${file}:${line}:${column}`, `${source}:${entry.originalLine! + 1}:${entry.originalColumn! + 1}`)
}

/**
 * Maps the frames of files under `compiledDir` (the directory of the running bundle) from now on,
 * unless Node already maps stack traces.
 */
export function mapStackTracesLazily(compiledDir: string): boolean {
  if (process.sourceMapsEnabled) return false
  const isCompiled = (file: string) => (file.startsWith('file:') ? fileURLToPath(file) : file).startsWith(compiledDir + path.sep)
  Error.prepareStackTrace = (error: Error, sites: NodeJS.CallSite[]) => {
    let header: string
    try {
      header = Error.prototype.toString.call(error)
    } catch {
      header = '<error>'
    }
    return header + sites.map((site) => `\n    at ${mappedFrame(site, isCompiled)}`).join('')
  }
  return true
}
