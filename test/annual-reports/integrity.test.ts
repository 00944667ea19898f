// Each integrity check of table 三 fails when its fixture is broken, and only that check.
import t from 'tap'
import { computeApplicationsTable, emptyColumns } from '../../src/modules/annual-reports/computation.js'
import { checkIntegrity } from '../../src/modules/annual-reports/integrity.js'

// A consistent table: three applications in 2025 (one carried in), two answered.
const base = computeApplicationsTable(
  [
    { departmentCode: 'housing', applicantType: 'natural_person', receivedAt: new Date('2024-12-30T02:00:00Z'), outcome: { group: 'disclosed', reason: null, at: new Date('2025-01-10T02:00:00Z') }, remedies: [] },
    { departmentCode: 'housing', applicantType: 'business', receivedAt: new Date('2025-03-01T02:00:00Z'), outcome: { group: 'withheld', reason: 'state_secret', at: new Date('2025-03-20T02:00:00Z') }, remedies: [] },
    { departmentCode: 'housing', applicantType: 'research', receivedAt: new Date('2025-12-30T02:00:00Z'), outcome: null, remedies: [] },
  ],
  2025,
)
const lastYear = { ...emptyColumns(), natural_person: 1, total: 1 }
const broken = (edit: (t: typeof base) => void) => {
  const copy = structuredClone(base)
  edit(copy)
  return copy
}
const checksOf = (failures: ReturnType<typeof checkIntegrity>) => [...new Set(failures.map((f) => f.check))]

t.same(checkIntegrity(base, lastYear), [], 'the consistent fixture passes')
t.same(checkIntegrity(base, null), [], 'no published report last year: nothing to compare')

t.test('carry_over: last year carried out another number', async (t) => {
  const failures = checkIntegrity(base, { ...lastYear, natural_person: 2, total: 2 })
  t.same(checksOf(failures), ['carry_over'])
  t.same(failures.map((f) => f.pointer), ['/tables/applications/carriedIn/natural_person', '/tables/applications/carriedIn/total'])
})

t.test('outcome_total: 总计 is not the sum of the outcome rows', async (t) => {
  const table = broken((x) => {
    x.outcomes['withheld.state_secret']!.business = 0
    x.outcomes['withheld.state_secret']!.total = 0
  })
  const failures = checkIntegrity(table, lastYear)
  t.same(checksOf(failures), ['outcome_total'])
  t.same(failures.map((f) => f.pointer), ['/tables/applications/total/business', '/tables/applications/total/total'])
})

t.test('balance: new + carried in ≠ handled + carried out', async (t) => {
  const table = broken((x) => {
    x.carriedOut.research = 0
    x.carriedOut.total = 0
  })
  const failures = checkIntegrity(table, lastYear)
  t.same(checksOf(failures), ['balance'])
  t.match(failures[0]!.message, /科研机构/)
})

t.test('column_total: a row whose 总计 is not the sum of its applicant columns', async (t) => {
  const table = broken((x) => {
    x.newReceived.total = 5
    x.carriedOut.total = 4
  })
  const failures = checkIntegrity(table, lastYear)
  t.ok(checksOf(failures).includes('column_total'))
  t.same(failures.filter((f) => f.check === 'column_total').map((f) => f.pointer), ['/tables/applications/newReceived/total', '/tables/applications/carriedOut/total'])
})
