// The database-restart scenario of scripts/faults/db-outage.ts, short: two outages of a throwaway
// Postgres cluster under four writers, the bundled server as a real process. The Postgres run of CI
// only (it needs the cluster binaries and root to run them as postgres); the ten-outage run is the
// script's default.
import t from 'tap'
import { outageFailures, runOutages } from '../../scripts/faults/db-outage.js'
import { testDatabaseUrl } from '../helpers/databases.js'

t.test('two database outages under write load: the process lives, only 503s meanwhile, no acknowledged write lost or doubled', { skip: !testDatabaseUrl && 'the Postgres run only (TEST_DATABASE_URL)' }, async (t) => {
  const report = await runOutages({ rounds: 2, writers: 4, upSeconds: 2, downSeconds: 3, log: (line) => t.comment(line) })
  t.same(outageFailures(report), [], 'every check holds')
  t.notOk(report.processExited, 'the server process never exited')
  t.ok(report.acknowledged.items > 0 && report.acknowledged.posts > 0, 'writes were acknowledged')
  t.same(report.lost, { items: [], posts: [] }, 'no acknowledged write lost')
  t.same(report.duplicated, { items: [], posts: [] }, 'none duplicated')
  t.ok(report.unavailable.duringOutage > 0, 'the outages were answered with 503 problems')
  t.same(report.anomalies, [], 'never a 4xx or a 500')
  t.equal(report.recoveryMs.length, 2, 'ready again after each outage, without a restart')
  t.ok(report.auditChainValid, 'the audit chain verifies')
})
