// Examples for the OpenAPI document.
import { outcomeRows } from '../applications/outcomes.js'
import { emptyColumns } from './computation.js'
import type { AnnualReportDto } from './schemas.js'

const zero = { upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 }

export const annualReportExample: AnnualReportDto = {
  year: 2025,
  regionCode: '230202',
  departmentCode: 'housing',
  scope: 'department',
  title: '区住房和城乡建设局2025年政府信息公开工作年度报告',
  dueAt: '2026-01-31T16:00:00.000Z',
  overdue: false,
  sections: { overview: '2025年，本局认真贯彻落实《中华人民共和国政府信息公开条例》……', problems: '', otherMatters: '' },
  tables: {
    proactive: { regulations: { issued: 0, repealed: 0, inForce: 0 }, normativeDocuments: { issued: 2, repealed: 1, inForce: 9 }, licensing: 35, penalties: 4, enforcement: 0, feesAmount: 0, source: 'entered' },
    applications: {
      newReceived: { ...emptyColumns(), natural_person: 3, total: 3 },
      carriedIn: emptyColumns(),
      outcomes: Object.fromEntries(outcomeRows.map((r) => [r.key, r.key === 'disclosed' ? { ...emptyColumns(), natural_person: 2, total: 2 } : emptyColumns()])),
      total: { ...emptyColumns(), natural_person: 2, total: 2 },
      carriedOut: { ...emptyColumns(), natural_person: 1, total: 1 },
    },
    remedies: { review: zero, lawsuitDirect: zero, lawsuitAfterReview: zero },
  },
  tablesSource: 'live',
  frozenAt: null,
  checks: [],
  review: null,
  version: 0,
  updatedAt: null,
}

export const rollupExample = {
  year: 2025,
  regionCode: '230202',
  departments: [{ departmentCode: 'housing', departmentName: '区住房和城乡建设局', state: 'published', dueAt: '2026-01-31T16:00:00.000Z', overdue: false, newReceived: 3, handled: 2, carriedOut: 1 }],
  totals: { newReceived: 3, carriedIn: 0, handled: 2, carriedOut: 1 },
}
