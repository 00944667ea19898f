// Examples for the OpenAPI document: the civil affairs bureau's report for February 2026.
import type { ReportDto, ReportingSummaryDto } from './schemas.js'

const figures = {
  catalogItemsAdded: 1,
  catalogItemsChanged: 2,
  catalogItemsRetired: 0,
  noticesPublished: 3,
  noticesConcluded: 2,
  objectionsReceived: 1,
  objectionsResolved: 1,
  reviewDeadlinesMet: 4,
  reviewDeadlinesMissed: 0,
  noticesWithFormationDate: 3,
  averageDaysToPublish: 6.5,
}

const report: ReportDto = {
  id: '8b3c1d2e-4f5a-4b6c-9d7e-0f1a2b3c4d5e',
  regionCode: '230202',
  departmentCode: 'civil_affairs',
  type: 'monthly',
  period: '2026-02',
  status: 'accepted',
  dueAt: '2026-03-06T16:00:00.000Z',
  late: false,
  author: 'wang.fang',
  lastEditor: 'wang.fang',
  firstSubmittedAt: '2026-03-03T02:00:00.000Z',
  submittedAt: '2026-03-04T01:30:00.000Z',
  submitter: 'wang.fang',
  reviewedAt: '2026-03-05T03:00:00.000Z',
  reviewer: 'zhao.lei',
  reviewComment: null,
  acceptedAt: '2026-03-05T03:00:00.000Z',
  returnCount: 1,
  createdAt: '2026-03-02T01:00:00.000Z',
  updatedAt: '2026-03-05T03:00:00.000Z',
  progress: '完成冬春生活救助对象名单公示3批次，覆盖五龙、湖滨两个街道。',
  practices: '名单在村（社区）公示栏和“E网通”同步公示，公示期7天。',
  results: '公示期内收到异议1件，经核实不成立，已答复。',
  difficulties: '部分村公示栏位置偏僻，群众知晓率不高。',
  nextSteps: '建议将公示信息同步推送至村民微信群。',
  figures,
  figuresAsOf: '2026-03-04T01:30:00.000Z',
  figuresFrozen: true,
  history: [
    { action: 'create', actor: 'wang.fang', at: '2026-03-02T01:00:00.000Z', comment: null },
    { action: 'submit', actor: 'wang.fang', at: '2026-03-03T02:00:00.000Z', comment: null },
    { action: 'return', actor: 'zhao.lei', at: '2026-03-03T08:00:00.000Z', comment: '请补充异议处理情况。' },
    { action: 'submit', actor: 'wang.fang', at: '2026-03-04T01:30:00.000Z', comment: null },
    { action: 'accept', actor: 'zhao.lei', at: '2026-03-05T03:00:00.000Z', comment: null },
  ],
}

const { progress: _p, practices: _pr, results: _r, difficulties: _d, nextSteps: _n, figures: _f, figuresAsOf: _fa, figuresFrozen: _ff, history: _h, ...listItem } = report

const draft: ReportDto = {
  ...report,
  status: 'draft',
  late: false,
  firstSubmittedAt: null,
  submittedAt: null,
  submitter: null,
  reviewedAt: null,
  reviewer: null,
  reviewComment: null,
  acceptedAt: null,
  returnCount: 0,
  updatedAt: '2026-03-02T01:00:00.000Z',
  figuresAsOf: '2026-03-02T01:00:00.000Z',
  figuresFrozen: false,
  history: [{ action: 'create', actor: 'wang.fang', at: '2026-03-02T01:00:00.000Z', comment: null }],
}

const summary: ReportingSummaryDto = {
  type: 'monthly',
  period: '2026-02',
  from: '2026-02-01',
  to: '2026-02-28',
  dueDate: '2026-03-06',
  dueAt: '2026-03-06T16:00:00.000Z',
  dueDateProvisional: false,
  departments: [
    { departmentCode: 'civil_affairs', departmentName: '龙沙区民政局', required: true, status: 'accepted', late: false, dueAt: '2026-03-06T16:00:00.000Z', reportId: report.id, firstSubmittedAt: '2026-03-03T02:00:00.000Z', reviewer: 'zhao.lei', figures },
    { departmentCode: 'finance', departmentName: '龙沙区财政局', required: true, status: 'missing', late: true, dueAt: '2026-03-06T16:00:00.000Z', reportId: null, firstSubmittedAt: null, reviewer: null, figures: { ...figures, noticesPublished: 1, noticesConcluded: 0, objectionsReceived: 0, objectionsResolved: 0, reviewDeadlinesMet: 0, noticesWithFormationDate: 0, averageDaysToPublish: null } },
  ],
  counts: { expected: 2, missing: 1, draft: 0, submitted: 0, accepted: 1, returned: 0, onTime: 1, late: 1 },
  totals: { ...figures, noticesPublished: 4, noticesWithFormationDate: 3 },
}

export const exampleReport = { report, listItem, draft, summary }
