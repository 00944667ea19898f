// Admins add domains beyond the pilot's seven (the national guides cover 26) and change them: names,
// description, display order and aliases (the national names, e.g. 国有土地上房屋征收与补偿 for 拆迁安置).
// A text names one domain: codes, names and aliases are unique across domains once normalised.
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { checkIfMatch, etagOf } from '../../http/preconditions.js'
import { conflict, notFound } from '../../lib/problems.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { aliasRows, checkTextsFree, heldTexts, type NamedText } from './names-held.js'
import * as q from './queries.js'
import { getDomain, listDomains, type DomainRecord } from './service.js'
import { domainAliases, domains } from './tables.js'

export const domainEtag = (d: DomainRecord) => etagOf('domain', d.code, d.version)

export interface DomainInput {
  code: string
  nameZh: string
  nameEn: string
  description?: string | undefined
  sortOrder?: number | undefined
  aliases?: string[] | undefined
}

export type DomainPatch = Partial<Omit<DomainInput, 'code'>>

/** Domains are few and global: their rows are locked together so name checks and writes do not interleave. */
async function lockDomains(tx: Db) {
  await tx.select({ code: domains.code }).from(domains).for('update')
}

async function held(tx: Db, except?: string) {
  return heldTexts(
    (await listDomains(tx)).map((d) => ({ code: d.code, name: d.nameZh, aliases: d.aliases })),
    except,
  )
}

async function replaceAliases(tx: Db, code: string, name: string, aliases: string[]) {
  await tx.delete(domainAliases).where(eq(domainAliases.domainCode, code))
  const rows = aliasRows(aliases, { code, name })
  if (rows.length) await tx.insert(domainAliases).values(rows.map((r) => ({ ...r, domainCode: code })))
}

const texts = (name: string | undefined, aliases: string[] | undefined): NamedText[] => [
  ...(name === undefined ? [] : [{ pointer: '/body/nameZh', text: name }]),
  ...(aliases ?? []).map((text, i) => ({ pointer: `/body/aliases/${i}`, text })),
]

export async function createDomain(db: Db, ctx: WriteContext, input: DomainInput): Promise<DomainRecord> {
  return db.transaction(async (tx) => {
    await lockDomains(tx)
    if (await q.findDomain(tx, input.code)) throw conflict(`A domain with code ${input.code} already exists.`)
    checkTextsFree(await held(tx), [{ pointer: '/body/code', text: input.code }, ...texts(input.nameZh, input.aliases)], 'domain')
    const last = (await listDomains(tx)).reduce((max, d) => Math.max(max, d.sortOrder), 0)
    await tx.insert(domains).values({
      code: input.code,
      nameZh: input.nameZh.trim(),
      nameEn: input.nameEn.trim(),
      description: input.description ?? '',
      sortOrder: input.sortOrder ?? last + 1,
      updatedAt: ctx.now,
    })
    await replaceAliases(tx, input.code, input.nameZh, input.aliases ?? [])
    const created = await getDomain(tx, input.code)
    await appendAudit(tx, ctx, { action: 'domain.create', targetType: 'domain', targetId: input.code, details: { nameZh: created.nameZh, aliases: created.aliases } })
    return created
  })
}

export async function updateDomain(db: Db, ctx: WriteContext, code: string, ifMatch: string, patch: DomainPatch): Promise<DomainRecord> {
  return db.transaction(async (tx) => {
    await lockDomains(tx)
    const current = await q.findDomain(tx, code)
    if (!current) throw notFound(`No domain with code ${code}.`)
    const before = await getDomain(tx, code)
    checkIfMatch(ifMatch, domainEtag(before))
    const name = patch.nameZh?.trim() ?? current.nameZh
    checkTextsFree(await held(tx, code), texts(patch.nameZh === undefined ? undefined : name, patch.aliases), 'domain')
    if (patch.aliases) checkTextsFree(new Map(), [{ pointer: '/body/nameZh', text: name }, ...texts(undefined, patch.aliases)], 'domain')
    const set: Partial<typeof domains.$inferInsert> = { version: current.version + 1, updatedAt: ctx.now }
    if (patch.nameZh !== undefined) set.nameZh = name
    if (patch.nameEn !== undefined) set.nameEn = patch.nameEn.trim()
    if (patch.description !== undefined) set.description = patch.description
    if (patch.sortOrder !== undefined) set.sortOrder = patch.sortOrder
    await tx.update(domains).set(set).where(eq(domains.code, code))
    // A renamed domain keeps its former name as an alias, unless the request lists the aliases itself.
    const aliases = patch.aliases ?? (name !== current.nameZh ? [...before.aliases, current.nameZh] : undefined)
    if (aliases) await replaceAliases(tx, code, name, aliases)
    const updated = await getDomain(tx, code)
    await appendAudit(tx, ctx, {
      action: 'domain.update',
      targetType: 'domain',
      targetId: code,
      details: { version: updated.version, changed: Object.keys(patch).filter((k) => patch[k as keyof DomainPatch] !== undefined) },
    })
    return updated
  })
}
