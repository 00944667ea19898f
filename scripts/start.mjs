// What `npm start` runs: rebuilds the compiled server when a file under src/ changed (scripts/build.mjs,
// a check of file times that takes a few milliseconds), then runs it in this same process — one
// Node start-up instead of two — with stack traces mapped back to the TypeScript sources.
import path from 'node:path'
import process from 'node:process'
import { pathToFileURL } from 'node:url'
import { build, defaultOutdir } from './build.mjs'

process.setSourceMapsEnabled(true)
await build({ ifStale: true })
await import(pathToFileURL(path.join(defaultOutdir, 'server.js')).href)
