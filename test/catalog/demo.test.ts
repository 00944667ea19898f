import t from 'tap'
import { seedDemoCatalog } from '../../src/modules/catalog/service.js'
import { buildTestApp, json } from '../helpers/app.js'

// Every item the implementation plan names (三(一) 1–7), as it must appear in an item's names.
const namedInThePlan = [
  '征地预公告', '征地公告', '补偿安置方案', '项目批文', '呈报说明书', '农用地转用方案', '补充耕地方案', '土地征收方案', '供地方案', '补偿明细',
  '征收政策', '房屋调查结果', '房屋评估结果', '征收补偿方案', '房屋征收决定', '房屋补偿决定', '回迁安置', '补偿标准', '征收工作进度',
  '实物配租符合条件家庭名单', '实物配租抽签结果', '住房租赁补贴复审决定', '租赁补贴家庭名单',
  '救助对象名单',
  '招标公告', '中标结果',
  '学区划分', '招生入学政策', '阳光分班', '贫困住宿生名单', '贫困住宿生生活费补助', '免费教材', '就餐补贴',
  '树木种植', '道路破道审批结果', '道路维修养护工程',
]
const domains = ['land_acquisition', 'demolition_resettlement', 'affordable_housing', 'disaster_relief', 'public_resource_trading', 'compulsory_education', 'municipal_services']

t.test('the demo catalog is the plan’s items in all seven domains, published as version 1', async (t) => {
  const { app } = await buildTestApp(t)
  const seeded = await seedDemoCatalog(app.db, '230202', app.clock.now())
  t.match(seeded, { version: 1 })
  const res = await app.inject({ method: 'GET', url: '/v1/catalog/versions/current/items?limit=200' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-location'], '/v1/catalog/versions/1/items?limit=200')
  const items = json(res).items
  t.equal(items.length, seeded!.items)
  t.same([...new Set(items.map((i: any) => i.domain))].sort(), [...domains].sort())
  const names = items.map((i: any) => [i.firstLevel, i.secondLevel, i.thirdLevel].join('/'))
  for (const name of namedInThePlan) t.ok(names.some((n: string) => n.includes(name)), `the catalog has ${name}`)
  for (const item of items) {
    t.ok(item.basis.length && item.channels.length && item.content.length && item.timeLimit.text, `${item.key} has basis, channels, content and a time limit`)
  }
})

t.test('version 1 of the demo says the system, not a person, approved it', async (t) => {
  const { app } = await buildTestApp(t)
  await seedDemoCatalog(app.db, '230202', app.clock.now())
  const version = json(await app.inject({ method: 'GET', url: '/v1/catalog/versions/1' }))
  t.match(version.review, { state: 'published', author: 'system', reviewer: 'system', comment: /approved by the system, not by a person/ })
  const audit = await app.db.query.auditLog.findMany({ where: (log, { eq }) => eq(log.targetType, 'catalog_version') })
  t.same(audit.map((a) => [a.action, a.actorType]), [
    ['catalog_version.create', 'system'],
    ['catalog_version.submit', 'system'],
    ['catalog_version.approve', 'system'],
    ['catalog_version.publish', 'system'],
  ])
})

t.test('loading the demo twice changes nothing; the working set is searchable in Chinese', async (t) => {
  const { app } = await buildTestApp(t)
  await seedDemoCatalog(app.db, '230202', app.clock.now())
  t.equal(await seedDemoCatalog(app.db, '230202', app.clock.now()), null)
  t.same(json(await app.inject({ method: 'GET', url: '/v1/catalog/versions' })).items.map((v: any) => v.number), [1])
  const found = json(await app.inject({ method: 'GET', url: `/v1/items?q=${encodeURIComponent('抽签')}` })).items.map((i: any) => i.secondLevel)
  t.ok(found.includes('实物配租抽签结果'))
})
