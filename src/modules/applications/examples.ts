// Examples for the OpenAPI document: an application received on Friday 26 September 2025, before
// National Day (its 20 working days end on 2025-10-30).
import type { ApplicationDto, ApplicationStatusDto } from './schemas.js'

export const statusExample: ApplicationStatusDto = {
  receipt: 'YSQ2025-7K3M-9QXD',
  departmentCode: 'housing',
  channel: 'post',
  receivedAt: '2025-09-26T02:00:00.000Z',
  status: 'processing',
  replyDueAt: '2025-10-30T16:00:00.000Z',
  daysLeft: 34,
  overdue: false,
  calendarStatus: 'official',
  correctionDueDate: null,
  feeDueDate: null,
  outcome: null,
  proactiveItem: null,
}

export const applicationExample: ApplicationDto = {
  ...statusExample,
  regionCode: '230202',
  receiptEvidence: '挂号信 XA123456789CN，2025-09-26 签收',
  applicant: { type: 'natural_person', name: '赵*强', idNumber: '23*************123', phone: '138****1234', address: '龙沙区五龙街道' },
  request: '申请公开2025年第三季度住房租赁补贴发放名单及标准。',
  description: null,
  itemKey: null,
  clock: {
    startsOn: '2025-09-26',
    workingDays: 20,
    lastDay: '2025-10-30',
    dueAt: '2025-10-30T16:00:00.000Z',
    provisional: false,
    paused: false,
    daysLeft: 34,
    explanation: { counted: [{ date: '2025-09-28', reason: 'makeup_workday', name: '国庆节、中秋节' }], skipped: [{ date: '2025-09-27', reason: 'weekend' }] },
  },
  correction: null,
  extension: null,
  consultations: [],
  fee: null,
  reply: null,
  remedies: [],
  createdAt: '2025-09-26T02:05:00.000Z',
  updatedAt: '2025-09-26T02:05:00.000Z',
}
