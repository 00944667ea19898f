// What `npm start` runs: rebuilds the compiled server when a file under src/ changed (scripts/build.mjs,
// a check of file times that takes a few milliseconds), then runs it in this same process — one
// Node start-up instead of two. Stack traces are mapped back to the TypeScript sources by the server
// itself, when the first one is written (src/source-maps.ts), not by Node's --enable-source-maps,
// which reads every map at start.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { build, defaultOutdir } from './build.mjs'

await build({ ifStale: true })
await import(pathToFileURL(path.join(defaultOutdir, 'server.js')).href)
