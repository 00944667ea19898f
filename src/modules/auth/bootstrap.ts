// The first administrator, without default passwords: on the very first start of an empty embedded
// database a one-time password is generated and printed once; `npm run admin:create` creates one on
// any database with a password the operator types or pipes in.
import type { Db } from '../../db/client.js'
import type { WriteContext } from '../audit/service.js'
import { createUser } from './accounts.js'
import { countUsers } from './queries.js'

export const FIRST_ADMIN = 'admin'

function systemContext(regionCode: string, now: Date): WriteContext {
  return { actor: { type: 'system', id: null, name: 'bootstrap' }, requestId: null, regionCode, now }
}

/** Creates `admin` with a one-time password when there are no users at all; returns the password. */
export async function bootstrapFirstAdmin(db: Db, regionCode: string, now: Date): Promise<string | null> {
  if ((await countUsers(db)) > 0) return null
  const { oneTimePassword } = await createUser(db, systemContext(regionCode, now), {
    username: FIRST_ADMIN,
    displayName: 'Administrator',
    grants: [{ role: 'admin' }],
    mustChangePassword: true,
  })
  return oneTimePassword
}

export async function createAdmin(db: Db, regionCode: string, now: Date, username: string, password: string, displayName?: string) {
  return createUser(db, systemContext(regionCode, now), {
    username,
    displayName: displayName ?? username,
    password,
    grants: [{ role: 'admin' }],
    mustChangePassword: false,
  })
}
