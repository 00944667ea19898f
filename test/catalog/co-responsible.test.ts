// `?department=` finds the items a department is responsible for as lead or as co-responsible (issue 12:
// a 公开主体 cell naming several bodies makes each of them responsible), in the working set and in a
// published version alike.
import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { tokenFor } from '../helpers/auth.js'
import { admins, createItem, publishVersion } from './builders.js'

t.test('a co-responsible department finds the item under ?department=, the lead too, others do not', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await tokenFor(app, 'admin')
  await createItem(app, admin, { key: 'disaster_relief.shared', department: 'civil_affairs', departments: ['civil_affairs', 'education'] })
  await createItem(app, admin, { key: 'disaster_relief.alone', department: 'civil_affairs', secondLevel: '救助对象名单（单独）' })
  const { author, approver } = await admins(app)
  await publishVersion(app, author.token, approver.token)
  for (const base of ['/v1/items', '/v1/catalog/versions/current/items']) {
    const keys = async (department: string) => json(await app.inject({ method: 'GET', url: `${base}?department=${department}` })).items.map((i: { key: string }) => i.key).sort()
    t.same(await keys('education'), ['disaster_relief.shared'], `${base}: the co-responsible department`)
    t.same(await keys('civil_affairs'), ['disaster_relief.alone', 'disaster_relief.shared'], `${base}: the lead`)
    t.same(await keys('housing'), [], `${base}: neither`)
  }
})
