// Admins maintain departments: create, change (rename, re-parent, aliases, kind, pilot flag), retire
// and merge. Each write runs in one transaction with the region's row locked (so the check that a
// name is free and the write that takes it cannot interleave), keeps a history row of the new state,
// and is recorded in the audit log. Items, notices, posts, reports and grants refer to a department by
// its code, which never changes: a rename keeps them all pointing at it.
import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { etagOf, checkIfMatch } from '../../http/preconditions.js'
import { conflict, notFound, unprocessable } from '../../lib/problems.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { appendEvent } from '../events/outbox.js'
import { aliasRows, checkTextsFree, heldTexts, type NamedText } from './names-held.js'
import * as q from './queries.js'
import type { DepartmentRecord } from './queries.js'
import type { DepartmentKind } from './seed-data.js'
import { departmentHistory, departments } from './tables.js'

export const departmentEtag = (d: DepartmentRecord) => etagOf('department', `${d.regionCode}.${d.code}`, d.version)

export interface DepartmentInput {
  code: string
  nameZh: string
  nameEn: string
  kind: DepartmentKind
  parentCode?: string | null | undefined
  pilot?: boolean | undefined
  aliases?: string[] | undefined
}

export interface DepartmentPatch {
  nameZh?: string | undefined
  nameEn?: string | undefined
  kind?: DepartmentKind | undefined
  parentCode?: string | null | undefined
  pilot?: boolean | undefined
  aliases?: string[] | undefined
}

type Action = 'create' | 'update' | 'retire' | 'merge' | 'merged_into'

function stateOf(d: DepartmentRecord) {
  return {
    code: d.code,
    nameZh: d.nameZh,
    nameEn: d.nameEn,
    kind: d.kind,
    parentCode: d.parentCode,
    pilot: d.pilot,
    aliases: d.aliases,
    retiredAt: d.retiredAt?.toISOString() ?? null,
    mergedInto: d.mergedIntoCode,
  }
}

async function recordChange(tx: Db, ctx: WriteContext, d: DepartmentRecord, action: Action, details: Record<string, unknown> = {}) {
  await tx.insert(departmentHistory).values({ departmentId: d.id, version: d.version, action, at: ctx.now, actorName: ctx.actor.name, actorId: ctx.actor.id, state: stateOf(d) })
  await appendAudit(tx, ctx, { action: `department.${action}`, targetType: 'department', targetId: d.code, details: { version: d.version, ...details } })
  await appendEvent(tx, ctx, { type: 'department.changed', data: { id: d.code, version: d.version, url: `/v1/departments/${encodeURIComponent(d.code)}`, action } })
}

async function reread(tx: Db, regionCode: string, code: string): Promise<DepartmentRecord> {
  return (await q.findDepartment(tx, regionCode, code))!
}

async function lockAndRead(tx: Db, ctx: WriteContext, code: string): Promise<DepartmentRecord> {
  await q.lockRegion(tx, ctx.regionCode)
  const d = await q.findDepartment(tx, ctx.regionCode, code)
  if (!d) throw notFound(`No department with code ${code} in region ${ctx.regionCode}.`)
  return d
}

/** Texts held by the region's departments; merged ones hold nothing (their names went to the target). */
async function heldInRegion(tx: Db, regionCode: string, except?: string) {
  const { own, aliases } = await q.namesInRegion(tx, regionCode)
  const byId = new Map(own.filter((d) => d.mergedIntoId === null).map((d) => [d.id, { code: d.code, name: d.nameZh, aliases: [] as string[] }]))
  for (const a of aliases) byId.get(a.departmentId)?.aliases.push(a.alias)
  return heldTexts([...byId.values()], except)
}

/** The parent's id; 422 when it is not a current department of the region or would make a cycle. */
async function parentFor(tx: Db, regionCode: string, parentCode: string | null | undefined, self?: DepartmentRecord): Promise<string | null> {
  if (!parentCode) return null
  const pointer = '/body/parentCode'
  const parent = await q.findDepartment(tx, regionCode, parentCode)
  if (!parent) throw unprocessable(`No department ${parentCode} in this region.`, [{ pointer, message: `no department ${parentCode}` }])
  if (parent.retiredAt) throw unprocessable(`${parentCode} is retired.`, [{ pointer, message: `${parentCode} is retired and takes no sub-units` }])
  if (self) {
    // Walk up from the new parent: meeting the department itself means it would become its own ancestor.
    const all = new Map((await q.listDepartments(tx, { regionCode })).map((d) => [d.code, d.parentCode]))
    for (let at: string | null | undefined = parentCode; at; at = all.get(at)) {
      if (at === self.code) throw unprocessable(`${parentCode} is under ${self.code}: a department cannot be its own ancestor.`, [{ pointer, message: `is ${self.code} or one of its sub-units` }])
    }
  }
  return parent.id
}

const namedTexts = (name: string | undefined, aliases: string[] | undefined): NamedText[] => [
  ...(name === undefined ? [] : [{ pointer: '/body/nameZh', text: name }]),
  ...(aliases ?? []).map((text, i) => ({ pointer: `/body/aliases/${i}`, text })),
]

export async function createDepartment(db: Db, ctx: WriteContext, input: DepartmentInput): Promise<DepartmentRecord> {
  return db.transaction(async (tx) => {
    await q.lockRegion(tx, ctx.regionCode)
    if (await q.findDepartment(tx, ctx.regionCode, input.code)) throw conflict(`A department with code ${input.code} already exists in region ${ctx.regionCode}.`)
    checkTextsFree(await heldInRegion(tx, ctx.regionCode), [{ pointer: '/body/code', text: input.code }, ...namedTexts(input.nameZh, input.aliases)], 'department')
    const parentId = await parentFor(tx, ctx.regionCode, input.parentCode)
    const [row] = await tx
      .insert(departments)
      .values({ regionCode: ctx.regionCode, code: input.code, nameZh: input.nameZh.trim(), nameEn: input.nameEn.trim(), kind: input.kind, parentId, pilot: input.pilot ?? false, createdAt: ctx.now, updatedAt: ctx.now })
      .returning({ id: departments.id })
    await q.replaceDepartmentAliases(tx, ctx.regionCode, row!.id, aliasRows(input.aliases ?? [], { code: input.code, name: input.nameZh }))
    const created = await reread(tx, ctx.regionCode, input.code)
    await recordChange(tx, ctx, created, 'create')
    return created
  })
}

export async function updateDepartment(db: Db, ctx: WriteContext, code: string, ifMatch: string, patch: DepartmentPatch): Promise<DepartmentRecord> {
  return db.transaction(async (tx) => {
    const current = await lockAndRead(tx, ctx, code)
    checkIfMatch(ifMatch, departmentEtag(current))
    if (current.mergedIntoCode) throw conflict(`${code} was merged into ${current.mergedIntoCode}; change that department instead.`)
    const renamed = patch.nameZh !== undefined && patch.nameZh.trim() !== current.nameZh
    // A rename keeps the former name as an alias (sheets written before the reform still resolve),
    // unless the same request says exactly which aliases the department has.
    const aliases = patch.aliases ?? (renamed ? [...current.aliases, current.nameZh] : undefined)
    const name = patch.nameZh?.trim() ?? current.nameZh
    checkTextsFree(await heldInRegion(tx, ctx.regionCode, code), namedTexts(patch.nameZh === undefined ? undefined : name, patch.aliases), 'department')
    if (patch.aliases) checkTextsFree(new Map(), [{ pointer: '/body/nameZh', text: name }, ...namedTexts(undefined, patch.aliases)], 'department')
    const set: Partial<typeof departments.$inferInsert> = { version: current.version + 1, updatedAt: ctx.now }
    if (patch.nameZh !== undefined) set.nameZh = name
    if (patch.nameEn !== undefined) set.nameEn = patch.nameEn.trim()
    if (patch.kind !== undefined) set.kind = patch.kind
    if (patch.pilot !== undefined) set.pilot = patch.pilot
    if (patch.parentCode !== undefined) set.parentId = await parentFor(tx, ctx.regionCode, patch.parentCode, current)
    await tx.update(departments).set(set).where(eq(departments.id, current.id))
    if (aliases) await q.replaceDepartmentAliases(tx, ctx.regionCode, current.id, aliasRows(aliases, { code, name }))
    const updated = await reread(tx, ctx.regionCode, code)
    await recordChange(tx, ctx, updated, 'update', { changed: Object.keys(patch).filter((k) => patch[k as keyof DepartmentPatch] !== undefined), ...(renamed ? { formerName: current.nameZh } : {}) })
    return updated
  })
}

/** Retires a department: it keeps its items and notices (readable, still pointing at it) but leaves current lists. */
export async function retireDepartment(db: Db, ctx: WriteContext, code: string, ifMatch: string, reason: string | undefined): Promise<DepartmentRecord> {
  return db.transaction(async (tx) => {
    const current = await lockAndRead(tx, ctx, code)
    checkIfMatch(ifMatch, departmentEtag(current))
    if (current.retiredAt) throw conflict(`${code} is already retired.`)
    const children = (await q.listDepartments(tx, { regionCode: ctx.regionCode, parentId: current.id, status: 'active' })).map((d) => d.code)
    if (children.length) throw conflict(`${code} still has current sub-units (${children.join(', ')}): retire, merge or re-parent them first.`)
    await tx
      .update(departments)
      .set({ retiredAt: ctx.now, version: current.version + 1, updatedAt: ctx.now })
      .where(eq(departments.id, current.id))
    const retired = await reread(tx, ctx.regionCode, code)
    await recordChange(tx, ctx, retired, 'retire', reason ? { reason } : {})
    return retired
  })
}

/**
 * Merges `code` into `into`: the source's full name and aliases become aliases of the target, its
 * sub-units move under the target, and the source is retired with `mergedInto` set. What refers to the
 * source (items, notices, posts, reports, grants) keeps its code and stays readable: history is not
 * rewritten. Returns the target.
 */
export async function mergeDepartment(db: Db, ctx: WriteContext, code: string, ifMatch: string, into: string): Promise<{ source: DepartmentRecord; target: DepartmentRecord }> {
  return db.transaction(async (tx) => {
    const source = await lockAndRead(tx, ctx, code)
    checkIfMatch(ifMatch, departmentEtag(source))
    if (source.retiredAt) throw conflict(`${code} is retired${source.mergedIntoCode ? ` (merged into ${source.mergedIntoCode})` : ''}; only a current department can be merged.`)
    const pointer = '/body/into'
    const target = await q.findDepartment(tx, ctx.regionCode, into)
    if (!target) throw unprocessable(`No department ${into} in this region.`, [{ pointer, message: `no department ${into}` }])
    if (target.id === source.id) throw unprocessable('A department cannot be merged into itself.', [{ pointer, message: 'is the department being merged' }])
    if (target.retiredAt) throw unprocessable(`${into} is retired.`, [{ pointer, message: `${into} is retired` }])
    const parents = new Map((await q.listDepartments(tx, { regionCode: ctx.regionCode })).map((d) => [d.code, d.parentCode]))
    for (let at: string | null | undefined = target.parentCode; at; at = parents.get(at)) {
      if (at === source.code) throw unprocessable(`${into} is a sub-unit of ${code}: re-parent it before merging.`, [{ pointer, message: `is under ${code}` }])
    }
    const children = await q.listDepartments(tx, { regionCode: ctx.regionCode, parentId: source.id })
    if (children.length) {
      await tx
        .update(departments)
        // raw: each child's own version moves on by one (drizzle has no column-relative set)
        .set({ parentId: target.id, version: sql`${departments.version} + 1`, updatedAt: ctx.now })
        .where(eq(departments.parentId, source.id))
    }
    await tx
      .update(departments)
      .set({ retiredAt: ctx.now, mergedIntoId: target.id, version: source.version + 1, updatedAt: ctx.now })
      .where(eq(departments.id, source.id))
    await tx
      .update(departments)
      .set({ version: target.version + 1, updatedAt: ctx.now })
      .where(eq(departments.id, target.id))
    await q.replaceDepartmentAliases(tx, ctx.regionCode, source.id, [])
    await q.replaceDepartmentAliases(tx, ctx.regionCode, target.id, aliasRows([...target.aliases, source.nameZh, ...source.aliases], { code: target.code, name: target.nameZh }))
    const merged = await reread(tx, ctx.regionCode, code)
    const joined = await reread(tx, ctx.regionCode, into)
    await recordChange(tx, ctx, merged, 'merged_into', { into })
    for (const child of children) await recordChange(tx, ctx, await reread(tx, ctx.regionCode, child.code), 'update', { changed: ['parentCode'], mergedFrom: code })
    await recordChange(tx, ctx, joined, 'merge', { from: code, aliasesTaken: [source.nameZh, ...source.aliases] })
    return { source: merged, target: joined }
  })
}

export interface DepartmentChange {
  version: number
  action: string
  at: Date
  actorName: string
  actorId: string | null
  state: Record<string, unknown>
}

/** Every recorded state of a department, newest first. */
export async function listDepartmentHistory(db: Db, regionCode: string, code: string): Promise<DepartmentChange[]> {
  const d = await q.findDepartment(db, regionCode, code)
  if (!d) throw notFound(`No department with code ${code} in region ${regionCode}.`)
  return q.departmentHistoryOf(db, d.id)
}
