// Which database a read goes to. Anonymous public reads and list pages go to the replica when there is
// one (DATABASE_READ_URL, app.readDb): they may lag by the replica's delay (README, "Read replicas").
// A caller with a token reads the primary, so everyone reads back their own writes at once.
import type { FastifyRequest } from 'fastify'
import type { Db } from '../db/client.js'
import { catchNotFound } from '../lib/problems.js'

export function readHandle(request: FastifyRequest): Db {
  return request.principal ? request.server.db : request.server.readDb
}

/**
 * A lookup of one thing on the read handle, and on the primary when the replica does not have it (yet):
 * a 404 is answered only after the primary says so, so what was just created is never "not found".
 */
export async function readOne<T>(request: FastifyRequest, lookup: (db: Db) => Promise<T>): Promise<T> {
  const db = readHandle(request)
  if (db === request.server.db) return lookup(db)
  return catchNotFound<T, Promise<T>>(lookup(db), () => lookup(request.server.db))
}
