// Examples for the OpenAPI document: a typical case from the housing bureau.
import type { PostDto, PostSummary } from './schemas.js'

const post: PostDto = {
  id: '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f',
  regionCode: '230202',
  departmentCode: 'housing',
  domainCode: 'affordable_housing',
  category: 'case',
  title: '公租房摇号全程公开，群众现场监督',
  summary: '五龙街道公租房实物配租摇号现场公证、结果当场公示7天，零异议。',
  coverImageUrl: 'https://www.longsha.gov.cn/zwgk/images/2026/lottery.jpg',
  tags: ['保障性住房', '阳光摇号'],
  review: {
    state: 'published',
    author: 'wang.fang',
    submittedAt: '2026-03-10T01:00:00.000Z',
    reviewer: 'li.na',
    reviewedAt: '2026-03-10T06:00:00.000Z',
    comment: null,
    approvedAt: '2026-03-10T06:00:00.000Z',
    publishedAt: '2026-03-11T01:00:00.000Z',
    withdrawnAt: null,
    withdrawnReason: null,
  },
  createdAt: '2026-03-09T08:00:00.000Z',
  updatedAt: '2026-03-11T01:00:00.000Z',
  body: '## 做法\n\n摇号前3天在社区公示栏和“E网通”发布符合条件家庭名单……\n\n## 成效\n\n全程公证，结果当场公示。',
}

const { body: _body, ...summary } = post
const draft: PostDto = {
  ...post,
  review: { ...post.review, state: 'draft', submittedAt: null, reviewer: null, reviewedAt: null, approvedAt: null, publishedAt: null },
  updatedAt: '2026-03-09T08:00:00.000Z',
}

export const examplePost: { post: PostDto; summary: PostSummary; draft: PostDto } = { post, summary, draft }
