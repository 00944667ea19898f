// The demo applications on the embedded database: a few in different states, loaded once.
import t from 'tap'
import { loadDemoData } from '../../src/db/demo.js'
import { buildTestApp } from '../helpers/app.js'
import { userWith } from '../helpers/auth.js'
import { caller } from './builders.js'

t.test('demo applications in different states, loaded once', async (t) => {
  const ctx = await buildTestApp(t, { now: '2026-03-02T02:00:00Z' })
  const added = await loadDemoData(ctx.app.db, ctx.app.config, ctx.clock.now())
  t.equal(added.applications, 5)
  t.equal((await loadDemoData(ctx.app.db, ctx.app.config, ctx.clock.now())).applications, 0, 'a second load adds nothing')
  const call = caller(ctx)
  const statuses = []
  for (let n = 1; n <= 5; n++) statuses.push((await call('GET', `/v1/applications/YSQ2026-DEMO-000${n}`, null)).body)
  t.same(statuses.map((s) => s.status), ['processing', 'awaiting_correction', 'consulting', 'replied', 'processing'])
  t.equal(statuses[4].overdue, true, 'the fifth is overdue')
  t.match(statuses[3].outcome, { group: 'disclosed' })
  const admin = await userWith(ctx.app, 'admin')
  const overdue = (await call('GET', '/v1/application-deadlines?withinDays=0', admin.token)).body
  t.ok(overdue.items.some((d: any) => d.receipt === 'YSQ2026-DEMO-0005' && d.state === 'overdue'))
})
