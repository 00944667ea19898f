// Request and response schemas of the special column's posts.
import { Type, type Static } from 'typebox'
import { PaginationQuery, ref, UpdatedSinceQuery } from '../../http/schemas.js'
import { ReviewSchema } from '../review/schemas.js'
import { reviewStates } from '../review/workflow.js'
import { postCategories } from './service.js'

const instant = Type.String({ format: 'date-time' })
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

const CategorySchema = Type.Enum(postCategories, { description: '`progress` 工作进展, `case` 典型案例, `highlight` 亮点工作.' })
const TagSchema = Type.String({ minLength: 1, maxLength: 20 })

const editableFields = {
  domainCode: Type.Optional(nullable(Type.String({ maxLength: 64, description: 'The disclosure domain the post is about, if one.' }))),
  title: Type.String({ minLength: 1, maxLength: 200 }),
  summary: Type.Optional(Type.String({ maxLength: 500, description: 'A plain-text lead for lists and cards.' })),
  body: Type.Optional(Type.String({ maxLength: 50000, description: 'Markdown.' })),
  coverImageUrl: Type.Optional(nullable(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }))),
  tags: Type.Optional(Type.Array(TagSchema, { maxItems: 10 })),
}

export const CreatePostRequest = Type.Object(
  { departmentCode: Type.String({ maxLength: 64 }), category: CategorySchema, ...editableFields },
  { additionalProperties: false },
)
export const UpdatePostRequest = Type.Object(
  {
    category: Type.Optional(CategorySchema),
    ...Object.fromEntries(Object.entries(editableFields).map(([k, v]) => [k, Type.Optional(v)])),
  } as { category: ReturnType<typeof Type.Optional<typeof CategorySchema>> } & { [K in keyof typeof editableFields]: ReturnType<typeof Type.Optional<(typeof editableFields)[K]>> },
  { additionalProperties: false, minProperties: 1 },
)

const summaryProperties = {
  id: Type.String({ format: 'uuid' }),
  regionCode: Type.String(),
  departmentCode: Type.String(),
  domainCode: nullable(Type.String()),
  category: CategorySchema,
  title: Type.String(),
  summary: Type.String(),
  coverImageUrl: nullable(Type.String()),
  tags: Type.Array(Type.String()),
  review: ref(ReviewSchema),
  createdAt: instant,
  updatedAt: instant,
}

export const PostSummarySchema = Type.Object(summaryProperties, { $id: 'PostSummary', additionalProperties: false, description: 'A post without its body, for lists.' })
export type PostSummary = Static<typeof PostSummarySchema>

export const PostSchema = Type.Object(
  { ...summaryProperties, body: Type.String({ description: 'Markdown.' }) },
  { $id: 'Post', additionalProperties: false, description: 'A post of the special column (专题专栏) on the portal and the E-Net app: work progress, a typical case or a highlight.' },
)
export type PostDto = Static<typeof PostSchema>

export const PostParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false })
export const PostListQuery = Type.Object(
  {
    category: Type.Optional(CategorySchema),
    department: Type.Optional(Type.String({ maxLength: 64 })),
    domain: Type.Optional(Type.String({ maxLength: 64 })),
    tag: Type.Optional(TagSchema),
    state: Type.Optional(Type.Enum(reviewStates, { description: 'Staff: posts in this review state (drafts only of your departments).' })),
    ...PaginationQuery,
    ...UpdatedSinceQuery,
  },
  { additionalProperties: false },
)

export const postSchemas = [PostSummarySchema, PostSchema]
