// The crash scenario of scripts/faults/webhook-crash.ts, short: two kill -9s of the bundled server
// during webhook delivery to a flaky receiver on 127.0.0.1 (5xx, timeouts, resets), on a throwaway
// Postgres cluster. The Postgres run of CI only (it needs the cluster binaries, as db-outage.test.ts);
// the five-kill run is the script's default.
import t from 'tap'
import { crashFailures, runWebhookCrash } from '../../scripts/faults/webhook-crash.js'
import { testDatabaseUrl } from '../helpers/databases.js'

t.test('kill -9 during delivery, twice: every committed event reaches the receiver, signed, same id and bytes on every copy', { skip: !testDatabaseUrl && 'the Postgres run only (TEST_DATABASE_URL)' }, async (t) => {
  const report = await runWebhookCrash({ kills: 2, writers: 2, minUpSeconds: 1, maxUpSeconds: 2, faultRate: 0.3, seed: 15, log: (line) => t.comment(line) })
  t.same(crashFailures(report), [], 'every check holds')
  t.equal(report.kills, 2, 'killed twice')
  t.ok(report.committed > 0, `events were committed (${report.committed})`)
  t.same(report.lost, [], 'none lost')
  t.same(report.unverified, [], 'every request verifies with the standardwebhooks library')
  t.same(report.inconsistent, [], 'one webhook-id and one body per event, as stored')
  t.ok(report.requests.status5xx + report.requests.timeouts + report.requests.resets > 0, 'the receiver was flaky')
  t.equal(report.unsettledMessages, 0, 'the server recorded every message as delivered (no claim left orphaned)')
  t.same(report.failedStarts, [], 'every restart came up')
})
