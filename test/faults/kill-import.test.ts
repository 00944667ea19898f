// kill -9 during a bulk import (scripts/faults/kill-import.ts), short: 500 items instead of 10,000
// (the script's default, run by hand: its results are in the notes of issue 13), killed halfway and
// after the answer. On the database of this run: the embedded one, or a throwaway Postgres cluster
// in the Postgres run.
import t from 'tap'
import { killImportFailures, runKillImport } from '../../scripts/faults/kill-import.js'
import { testDatabaseUrl } from '../helpers/databases.js'

const database = testDatabaseUrl ? 'postgres' : 'pglite'

t.test(`kill -9 during a bulk import on ${database}: all or nothing, the server starts again, the audit chain verifies`, async (t) => {
  const report = await runKillImport({ database, items: 500, at: [0.5, 1.5], log: (line) => t.comment(line) })
  t.same(killImportFailures(report), [], 'every check holds')
  t.equal(report.rounds.length, 2)
  for (const round of report.rounds) {
    t.ok(round.allOrNothing, `killed after ${round.killedAfterMs} ms: ${round.itemsFound} items, none or all`)
    t.ok(round.restarted && round.auditChainValid, 'restarted on the same data, the audit chain verifies')
  }
  const late = report.rounds[1]!
  if (late.answeredBeforeKill) t.equal(late.itemsFound, 500, 'an import answered before the kill is all there')
  t.ok(report.importAfterwards, 'imports work after the kills')
})
