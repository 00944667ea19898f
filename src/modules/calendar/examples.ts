// Examples shown in the OpenAPI document, on real dates (the National Day + Mid-Autumn break of 2025).
import type { CalendarDayBody, CalendarYear, PeriodComputationBody, PeriodRule, RegionClosure } from './schemas.js'

export const closureExample: RegionClosure = { regionCode: '230202', date: '2025-07-22', name: '防汛应急停工', createdAt: '2025-07-21T09:30:00.000Z' }

export const yearExample: CalendarYear = {
  year: 2025,
  regionCode: '230202',
  status: 'official',
  source: 'package',
  version: 1,
  updatedAt: '2026-01-05T00:00:00.000Z',
  holidays: [
    { name: '国庆节', nameEn: 'National Day', from: '2025-10-01', to: '2025-10-05' },
    { name: '中秋', nameEn: 'Mid-autumn Festival', from: '2025-10-06', to: '2025-10-06' },
    { name: '国庆节', nameEn: 'National Day', from: '2025-10-07', to: '2025-10-08' },
  ],
  makeupWorkdays: [
    { date: '2025-09-28', name: '国庆节' },
    { date: '2025-10-11', name: '国庆节' },
  ],
  closures: [closureExample],
  specialDays: [
    { date: '2025-07-22', kind: 'closure', name: '防汛应急停工' },
    { date: '2025-09-28', kind: 'makeup_workday', name: '国庆节' },
    { date: '2025-10-01', kind: 'holiday', name: '国庆节', nameEn: 'National Day' },
    { date: '2025-10-06', kind: 'holiday', name: '中秋', nameEn: 'Mid-autumn Festival' },
    { date: '2025-10-11', kind: 'makeup_workday', name: '国庆节' },
  ],
}

export const ruleExample: PeriodRule = {
  code: 'PUBLICITY_7WD',
  regionCode: '230202',
  unit: 'working_day',
  length: 7,
  nameZh: '校内公示7个工作日',
  nameEn: 'Publicity on campus for 7 working days',
  legalSource: '区政务公开实施方案（家庭经济困难寄宿生认定名单在校内公示7个工作日）',
  description: 'The list of recognised boarding students from families in financial difficulty is published on campus for 7 working days.',
  builtIn: true,
  createdAt: '2026-01-05T00:00:00.000Z',
  updatedAt: '2026-01-05T00:00:00.000Z',
}

export const computationExample: PeriodComputationBody = {
  regionCode: '230202',
  rule: { code: ruleExample.code, unit: 'working_day', length: 7, nameZh: ruleExample.nameZh, nameEn: ruleExample.nameEn, legalSource: ruleExample.legalSource },
  triggerDate: '2025-09-26',
  firstDay: '2025-09-28',
  lastDay: '2025-10-13',
  nominalLastDay: '2025-10-13',
  endsAt: '2025-10-13T16:00:00.000Z',
  movedFromRestDay: false,
  movedFrom: null,
  provisional: false,
  provisionalYears: [],
  explanation: {
    counted: [
      { date: '2025-09-28', reason: 'makeup_workday', name: '国庆节' },
      { date: '2025-09-29', reason: 'weekday' },
      { date: '2025-09-30', reason: 'weekday' },
      { date: '2025-10-09', reason: 'weekday' },
      { date: '2025-10-10', reason: 'weekday' },
      { date: '2025-10-11', reason: 'makeup_workday', name: '国庆节' },
      { date: '2025-10-13', reason: 'weekday' },
    ],
    skipped: [
      { date: '2025-09-27', reason: 'weekend' },
      { date: '2025-10-01', reason: 'holiday', name: '国庆节' },
      { date: '2025-10-02', reason: 'holiday', name: '国庆节' },
      { date: '2025-10-03', reason: 'holiday', name: '国庆节' },
      { date: '2025-10-04', reason: 'holiday', name: '国庆节' },
      { date: '2025-10-05', reason: 'holiday', name: '国庆节' },
      { date: '2025-10-06', reason: 'holiday', name: '中秋' },
      { date: '2025-10-07', reason: 'holiday', name: '国庆节' },
      { date: '2025-10-08', reason: 'holiday', name: '国庆节' },
      { date: '2025-10-12', reason: 'weekend' },
    ],
  },
}

export const dayExample: CalendarDayBody = { date: '2025-09-28', weekday: 7, working: true, reason: 'makeup_workday', name: '国庆节', provisional: false }
