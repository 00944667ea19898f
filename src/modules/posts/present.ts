// Posts as the API shows them.
import { toReview } from '../review/schemas.js'
import type { PostDto, PostSummary } from './schemas.js'
import type { PostRow } from './tables.js'

export function toPostSummary(p: PostRow): PostSummary {
  return {
    id: p.id,
    regionCode: p.regionCode,
    departmentCode: p.departmentCode,
    domainCode: p.domainCode,
    category: p.category as PostSummary['category'],
    title: p.title,
    summary: p.summary,
    coverImageUrl: p.coverImageUrl,
    tags: p.tags,
    review: toReview(p),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  }
}

export const toPost = (p: PostRow): PostDto => ({ ...toPostSummary(p), body: p.body })
