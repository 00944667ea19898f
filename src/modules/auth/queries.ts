// drizzle queries for users, grants, clients and refresh tokens. Handle first; no transactions here.
import { and, asc, eq, gt, inArray, isNull, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { departments } from '../reference/tables.js'
import { apiClients, grants, refreshTokens, users } from './tables.js'

export async function findUserByUsername(db: Db, username: string) {
  const [row] = await db.select().from(users).where(eq(users.username, username))
  return row ?? null
}

export async function findUserById(db: Db, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id))
  return row ?? null
}

export function grantsOf(db: Db, userIds: string[]) {
  if (!userIds.length) return Promise.resolve([])
  return db
    .select({ id: grants.id, userId: grants.userId, role: grants.role, departmentCode: departments.code })
    .from(grants)
    .leftJoin(departments, eq(departments.id, grants.departmentId))
    .where(inArray(grants.userId, userIds))
    .orderBy(asc(grants.createdAt), asc(grants.role), asc(departments.code))
}

export interface UserFilter {
  regionCode: string
  disabled?: boolean | undefined
  afterUsername?: string | undefined
  limit: number
}

export function listUsers(db: Db, f: UserFilter) {
  const where: SQL[] = [eq(users.regionCode, f.regionCode)]
  if (f.disabled !== undefined) where.push(eq(users.disabled, f.disabled))
  if (f.afterUsername) where.push(gt(users.username, f.afterUsername))
  return db.select().from(users).where(and(...where)).orderBy(asc(users.username)).limit(f.limit)
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users)
  return row?.n ?? 0
}

/** How many active users hold the admin grant (to refuse removing the last one). */
export async function countActiveAdmins(db: Db, regionCode: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(distinct ${users.id})::int` })
    .from(grants)
    .innerJoin(users, eq(users.id, grants.userId))
    .where(and(eq(grants.role, 'admin'), eq(users.disabled, false), eq(users.regionCode, regionCode)))
  return row?.n ?? 0
}

const clientColumns = {
  id: apiClients.id,
  clientId: apiClients.clientId,
  name: apiClients.name,
  regionCode: apiClients.regionCode,
  departmentCode: departments.code,
  scopes: apiClients.scopes,
  secretHash: apiClients.secretHash,
  disabled: apiClients.disabled,
  version: apiClients.version,
  createdAt: apiClients.createdAt,
  updatedAt: apiClients.updatedAt,
  secretRotatedAt: apiClients.secretRotatedAt,
}
export type ClientRecord = Awaited<ReturnType<typeof findClient>> & {}

export async function findClient(db: Db, by: { clientId: string } | { id: string }) {
  const [row] = await db
    .select(clientColumns)
    .from(apiClients)
    .leftJoin(departments, eq(departments.id, apiClients.departmentId))
    .where('clientId' in by ? eq(apiClients.clientId, by.clientId) : eq(apiClients.id, by.id))
  return row ?? null
}

export function listClients(db: Db, f: { regionCode: string; afterClientId?: string | undefined; limit: number }) {
  const where: SQL[] = [eq(apiClients.regionCode, f.regionCode)]
  if (f.afterClientId) where.push(gt(apiClients.clientId, f.afterClientId))
  return db
    .select(clientColumns)
    .from(apiClients)
    .leftJoin(departments, eq(departments.id, apiClients.departmentId))
    .where(and(...where))
    .orderBy(asc(apiClients.clientId))
    .limit(f.limit)
}

export async function lockRefreshToken(db: Db, tokenHash: string) {
  const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).for('update')
  return row ?? null
}

export function revokeFamily(db: Db, familyId: string, at: Date) {
  return db
    .update(refreshTokens)
    .set({ revokedAt: at })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
}

export function revokeUserTokens(db: Db, userId: string, at: Date) {
  return db
    .update(refreshTokens)
    .set({ revokedAt: at })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)))
}

/** Ends every access token of the user at once: they carry the old epoch (see guard.ts). Returns the user's region. */
export async function endAccessTokens(db: Db, userId: string): Promise<string | null> {
  const [row] = await db
    .update(users)
    .set({ tokenEpoch: sql`${users.tokenEpoch} + 1` })
    .where(eq(users.id, userId))
    .returning({ regionCode: users.regionCode })
  return row?.regionCode ?? null
}
