// Webhook endpoints: registered by callers holding webhooks:manage, each with its filters and its
// signing secret (shown once, rotated with a 24 h overlap). New endpoints start at the feed's head:
// they receive what commits after their registration (older changes: POST …/recover).
import { and, desc, eq, gte, lte } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import type { Principal } from '../../http/access.js'
import { checkIfMatch, etagOf } from '../../http/preconditions.js'
import { notFound, unprocessable, type FieldError } from '../../lib/problems.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { toEnvelope } from '../events/feed.js'
import { newEventId } from '../events/outbox.js'
import { eventHead, events } from '../events/tables.js'
import { eventTypeNames, typeMatches } from '../events/types.js'
import type { AddressRule } from './address-rule.js'
import { matchesEndpoint } from './filters.js'
import { newSecret, ROTATION_OVERLAP_MS } from './signing.js'
import { webhookAttempts, webhookEndpoints, webhookMessages, type WebhookEndpointRow } from './tables.js'

export const endpointEtag = (e: { id: string; version: number }) => etagOf('webhook', e.id, e.version)

export interface EndpointInput {
  url: string
  description?: string | undefined
  types?: string[] | undefined
  departments?: string[] | undefined
  domains?: string[] | undefined
  channels?: string[] | undefined
  mode?: 'each' | 'coalesced' | undefined
  coalesceWindowSeconds?: number | undefined
  rateLimit?: { max: number; per: 'second' | 'minute' } | null | undefined
}

/** The columns of the options that are not stored as given (the rate limit is two columns). */
function optionColumns(input: Partial<EndpointInput>) {
  const { rateLimit, ...rest } = input
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Omit<Partial<EndpointInput>, 'rateLimit'>
  if (rateLimit === undefined) return defined
  return { ...defined, rateLimit: rateLimit?.max ?? null, ratePeriod: rateLimit?.per ?? null, rateWindowEnd: null, rateWindowCount: 0 }
}

export interface EndpointPatch extends Partial<EndpointInput> {
  status?: 'enabled' | 'paused' | undefined
}

function validate(rule: AddressRule, input: Partial<EndpointInput>) {
  const errors: FieldError[] = []
  if (input.url !== undefined) {
    const problem = rule.urlProblem(input.url)
    if (problem) errors.push({ pointer: '/body/url', message: problem })
  }
  input.types?.forEach((pattern, i) => {
    if (pattern === 'ping' || !eventTypeNames.some((t) => t !== 'ping' && typeMatches(t, pattern))) errors.push({ pointer: `/body/types/${i}`, message: `no event type matches ${pattern} (GET /v1/event-types)` })
  })
  if (errors.length) throw unprocessable('The webhook endpoint is not valid.', errors)
}

async function feedHead(db: Db): Promise<number> {
  const [head] = await db.select({ position: eventHead.position }).from(eventHead).where(eq(eventHead.id, 1))
  return head?.position ?? 0
}

/** Registers an endpoint; the answer's `secret` is the only time it is shown. */
export async function createEndpoint(db: Db, ctx: WriteContext, principal: Principal, rule: AddressRule, input: EndpointInput): Promise<{ row: WebhookEndpointRow; secret: string }> {
  validate(rule, input)
  const secret = newSecret()
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        regionCode: ctx.regionCode,
        url: input.url,
        description: input.description ?? '',
        types: input.types ?? [],
        departments: input.departments ?? [],
        domains: input.domains ?? [],
        channels: input.channels ?? [],
        mode: input.mode ?? 'each',
        coalesceWindowSeconds: input.coalesceWindowSeconds ?? 60,
        rateLimit: input.rateLimit?.max ?? null,
        ratePeriod: input.rateLimit?.per ?? null,
        staffEvents: principal.scopes.includes('events:read'),
        secret,
        cursor: await feedHead(tx),
        createdBy: principal.login,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning()
    await appendAudit(tx, ctx, { action: 'webhook.create', targetType: 'webhook', targetId: row!.id, details: { url: input.url, types: row!.types } })
    return { row: row!, secret }
  })
}

export async function listEndpoints(db: Db, regionCode: string): Promise<WebhookEndpointRow[]> {
  return db.select().from(webhookEndpoints).where(eq(webhookEndpoints.regionCode, regionCode)).orderBy(webhookEndpoints.createdAt, webhookEndpoints.id)
}

export async function getEndpoint(db: Db, regionCode: string, id: string, options: { forUpdate?: boolean } = {}): Promise<WebhookEndpointRow> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound(`No webhook endpoint ${id}.`)
  const query = db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.regionCode, regionCode)))
  const [row] = options.forUpdate ? await query.for('update') : await query
  if (!row) throw notFound(`No webhook endpoint ${id}.`)
  return row
}

/** Changes an endpoint (If-Match). Re-enabling a disabled one resumes from where it stopped. */
export async function updateEndpoint(db: Db, ctx: WriteContext, rule: AddressRule, id: string, ifMatch: string, patch: EndpointPatch): Promise<WebhookEndpointRow> {
  validate(rule, patch)
  return db.transaction(async (tx) => {
    const row = await getEndpoint(tx, ctx.regionCode, id, { forUpdate: true })
    checkIfMatch(ifMatch, endpointEtag(row))
    const defined = optionColumns(patch) as ReturnType<typeof optionColumns> & { status?: EndpointPatch['status'] }
    const reenabled = defined.status === 'enabled' && row.status !== 'enabled'
    const [updated] = await tx
      .update(webhookEndpoints)
      .set({ ...defined, ...(reenabled ? { disabledReason: null, failingSince: null, slowUntil: null } : {}), version: row.version + 1, updatedAt: ctx.now })
      .where(eq(webhookEndpoints.id, id))
      .returning()
    await appendAudit(tx, ctx, { action: 'webhook.update', targetType: 'webhook', targetId: id, details: { fields: Object.keys(defined) } })
    return updated!
  })
}

export async function deleteEndpoint(db: Db, ctx: WriteContext, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await getEndpoint(tx, ctx.regionCode, id, { forUpdate: true })
    await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, row.id))
    await appendAudit(tx, ctx, { action: 'webhook.delete', targetType: 'webhook', targetId: id, details: { url: row.url } })
  })
}

/** A new secret; the old one keeps signing for 24 h (both signatures are sent meanwhile). */
export async function rotateSecret(db: Db, ctx: WriteContext, id: string): Promise<{ row: WebhookEndpointRow; secret: string }> {
  const secret = newSecret()
  return db.transaction(async (tx) => {
    const row = await getEndpoint(tx, ctx.regionCode, id, { forUpdate: true })
    const [updated] = await tx
      .update(webhookEndpoints)
      .set({ secret, previousSecret: row.secret, previousSecretUntil: new Date(ctx.now.getTime() + ROTATION_OVERLAP_MS), version: row.version + 1, updatedAt: ctx.now })
      .where(eq(webhookEndpoints.id, id))
      .returning()
    await appendAudit(tx, ctx, { action: 'webhook.rotate_secret', targetType: 'webhook', targetId: id })
    return { row: updated!, secret }
  })
}

/** Queues a `ping` to the endpoint (delivered like any message, never in the feed); returns its id. */
export async function queuePing(db: Db, ctx: WriteContext, id: string): Promise<string> {
  const endpoint = await getEndpoint(db, ctx.regionCode, id)
  const eventId = newEventId()
  const body = JSON.stringify({ id: eventId, type: 'ping', timestamp: ctx.now.toISOString(), data: { id: endpoint.id, url: null } })
  await db.insert(webhookMessages).values({ endpointId: endpoint.id, eventId, body, nextAttemptAt: ctx.now, createdAt: ctx.now })
  return eventId
}

/**
 * Queues again every event since `since` that the endpoint's filters match, oldest first, with the
 * events' original ids (receivers deduplicate by `webhook-id`). Returns how many were queued.
 */
export async function recoverSince(db: Db, ctx: WriteContext, id: string, since: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const endpoint = await getEndpoint(tx, ctx.regionCode, id, { forUpdate: true })
    const rows = await tx
      .select()
      .from(events)
      .where(and(eq(events.regionCode, endpoint.regionCode), gte(events.occurredAt, since), lte(events.position, endpoint.cursor)))
      .orderBy(events.position)
      .limit(10_000)
    const due = rows.filter((e) => matchesEndpoint(endpoint, e))
    // Due now, staggered a millisecond apart (in the past) so that the oldest is attempted first.
    for (const [i, e] of due.entries()) {
      const at = new Date(ctx.now.getTime() - due.length + i)
      await tx
        .insert(webhookMessages)
        .values({ endpointId: endpoint.id, eventId: e.id, body: JSON.stringify(toEnvelope(e)), nextAttemptAt: at, createdAt: ctx.now })
        .onConflictDoUpdate({ target: [webhookMessages.endpointId, webhookMessages.eventId], set: { status: 'pending', attempts: 0, nextAttemptAt: at, leaseUntil: null } })
    }
    await appendAudit(tx, ctx, { action: 'webhook.recover', targetType: 'webhook', targetId: id, details: { since: since.toISOString(), queued: due.length } })
    return due.length
  })
}

/** The endpoint's latest attempts, newest first. */
export async function listAttempts(db: Db, regionCode: string, id: string, limit: number) {
  const endpoint = await getEndpoint(db, regionCode, id)
  return db
    .select({ at: webhookAttempts.at, outcome: webhookAttempts.outcome, statusCode: webhookAttempts.statusCode, durationMs: webhookAttempts.durationMs, response: webhookAttempts.response, eventId: webhookMessages.eventId, attempt: webhookMessages.attempts })
    .from(webhookAttempts)
    .innerJoin(webhookMessages, eq(webhookMessages.id, webhookAttempts.messageId))
    .where(eq(webhookAttempts.endpointId, endpoint.id))
    .orderBy(desc(webhookAttempts.id))
    .limit(limit)
}
