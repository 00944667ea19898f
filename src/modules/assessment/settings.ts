// A region's indicator weights (目标考核: each department's score is the weighted mean of its
// indicators). Weights are relative: only indicators that apply to a department count, and their
// weights are scaled to sum to 100.
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { checkIfMatch, etagOf } from '../../http/preconditions.js'
import { badRequest, unprocessable } from '../../lib/problems.js'
import { appendAudit, type WriteContext } from '../audit/service.js'
import { assessmentSettings } from './tables.js'

export const indicatorCodes = ['catalog_completeness', 'timeliness', 'periods_honoured', 'objections_answered', 'reports_on_time'] as const
export type IndicatorCode = (typeof indicatorCodes)[number]
export type Weights = Record<IndicatorCode, number>

export const defaultWeights: Weights = { catalog_completeness: 20, timeliness: 25, periods_honoured: 20, objections_answered: 15, reports_on_time: 20 }

export interface AssessmentSettings {
  regionCode: string
  weights: Weights
  /** 0 while the region uses the defaults. */
  version: number
  updatedAt: Date | null
}

export const assessmentSettingsEtag = (s: AssessmentSettings) => etagOf('assessment-settings', s.regionCode, s.version)

export async function getAssessmentSettings(db: Db, regionCode: string): Promise<AssessmentSettings> {
  const [row] = await db.select().from(assessmentSettings).where(eq(assessmentSettings.regionCode, regionCode))
  if (!row) return { regionCode, weights: defaultWeights, version: 0, updatedAt: null }
  return { regionCode, weights: { ...defaultWeights, ...row.weights }, version: row.version, updatedAt: row.updatedAt }
}

export async function updateAssessmentSettings(db: Db, ctx: WriteContext, ifMatch: string, weights: Weights): Promise<AssessmentSettings> {
  if (!indicatorCodes.some((c) => weights[c] > 0)) throw unprocessable('At least one indicator needs a weight above 0.', [{ pointer: '/body/weights', message: 'are all 0' }])
  await db.transaction(async (tx) => {
    // A row to lock even while the region uses the defaults, so two first changes cannot both pass If-Match.
    await tx.insert(assessmentSettings).values({ regionCode: ctx.regionCode, weights: defaultWeights, version: 0, updatedAt: ctx.now }).onConflictDoNothing()
    const [row] = await tx.select().from(assessmentSettings).where(eq(assessmentSettings.regionCode, ctx.regionCode)).for('update')
    checkIfMatch(ifMatch, etagOf('assessment-settings', ctx.regionCode, row!.version))
    await tx.update(assessmentSettings).set({ weights, version: row!.version + 1, updatedAt: ctx.now }).where(eq(assessmentSettings.regionCode, ctx.regionCode))
    await appendAudit(tx, ctx, { action: 'assessment_settings.update', targetType: 'region', targetId: ctx.regionCode, details: { weights } })
  })
  return getAssessmentSettings(db, ctx.regionCode)
}

/**
 * `timeliness:40,reports_on_time:10`: weights for this request only, over the stored ones.
 * Unknown indicators and bad numbers are a 400 naming them.
 */
export function parseWeights(text: string, base: Weights): Weights {
  const weights = { ...base }
  for (const part of text.split(',').filter(Boolean)) {
    const [code, value] = part.split(':').map((s) => s.trim())
    if (!(indicatorCodes as readonly string[]).includes(code ?? '')) throw badRequest(`Unknown indicator ${code}; the indicators are ${indicatorCodes.join(', ')}.`, [{ pointer: '/query/weights', message: `${code} is not an indicator` }])
    const n = Number(value)
    if (value === undefined || value === '' || !Number.isFinite(n) || n < 0 || n > 1000) throw badRequest(`The weight of ${code} must be a number from 0 to 1000.`, [{ pointer: '/query/weights', message: `${code}: not a weight` }])
    weights[code as IndicatorCode] = n
  }
  if (!indicatorCodes.some((c) => weights[c] > 0)) throw badRequest('At least one indicator needs a weight above 0.', [{ pointer: '/query/weights', message: 'are all 0' }])
  return weights
}
