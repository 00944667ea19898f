// The seeded reference set, read through the resolver's loader: the plan's abbreviations, former names
// after the reform and the generic bodies of a level all resolve; the seed never undoes an admin's edit.
import t from 'tap'
import { eq } from 'drizzle-orm'
import { loadDepartmentDirectory, loadDomainDirectory } from '../../src/modules/reference/resolve.js'
import { seedReferenceData } from '../../src/modules/reference/service.js'
import { departmentAliases, departments, domainAliases, domains } from '../../src/modules/reference/tables.js'
import { buildTestApp } from '../helpers/app.js'

const planAbbreviations: [string, string][] = [
  ['区住建局', 'housing'],
  ['区征收办', 'expropriation_office'],
  ['区城管局', 'city_management'],
  ['区国土局', 'land_branch'],
  ['区政务中心', 'service_centre'],
  ['区编办', 'establishment_office'],
  ['区廉租办', 'housing'],
  ['区采购办', 'finance'],
  ['区财政局', 'finance'],
  ['区民政局', 'civil_affairs'],
  ['区教育局', 'education'],
  ['区政府办', 'district_office'],
  ['区网络中心', 'network_centre'],
  ['区委宣传部', 'publicity'],
  ['政务中心', 'service_centre'],
]

t.test('the abbreviations the plan writes resolve to the seeded departments', async (t) => {
  const { app } = await buildTestApp(t)
  const directory = await loadDepartmentDirectory(app.db, '230202')
  for (const [text, code] of planAbbreviations) t.match(directory.resolve(text), { status: 'resolved', code }, text)
})

t.test("today's institutions are seeded, with former names after the reform as aliases", async (t) => {
  const { app } = await buildTestApp(t)
  const directory = await loadDepartmentDirectory(app.db, '230202')
  const expected: [string, string][] = [
    ['齐齐哈尔市自然资源局龙沙分局', 'land_branch'],
    ['齐齐哈尔市国土资源局龙沙分局', 'land_branch'],
    ['龙沙区人民政府', 'district_government'],
    ['区政府', 'district_government'],
    ['龙沙区应急管理局', 'emergency_management'],
    ['应急管理局', 'emergency_management'],
    ['区人社局', 'human_resources'],
    ['龙沙区发展和改革局', 'development_reform'],
    ['区司法局', 'justice'],
    ['区卫健局', 'health'],
    ['龙沙区农业农村局', 'agriculture'],
    ['区公共资源交易中心', 'public_resource_trading_centre'],
    ['各街道办事处', 'all_subdistricts'],
    ['乡镇人民政府（街道办事处）', 'all_subdistricts'],
    ['乡镇人民政府(街道办事处)', 'all_subdistricts'],
    ['村（居）民委员会', 'all_village_committees'],
    ['龙沙区实验学校', 'experimental_school'],
  ]
  for (const [text, code] of expected) t.match(directory.resolve(text), { status: 'resolved', code }, text)
})

t.test('domains resolve by their national names', async (t) => {
  const { app } = await buildTestApp(t)
  const directory = await loadDomainDirectory(app.db)
  t.match(directory.resolve('国有土地上房屋征收与补偿'), { status: 'resolved', code: 'demolition_resettlement', via: 'alias' })
  t.match(directory.resolve('农村集体土地征收'), { status: 'resolved', code: 'land_acquisition', via: 'alias' })
  t.match(directory.resolve('救灾领域'), { status: 'resolved', code: 'disaster_relief', via: 'normalised' })
  t.match(directory.resolve('征地补偿'), { status: 'resolved', code: 'land_acquisition', via: 'name' })
})

t.test('seeding again inserts nothing twice and never undoes an admin edit', async (t) => {
  const { app } = await buildTestApp(t)
  const countAliases = async () => (await app.db.select().from(departmentAliases)).length
  const before = await countAliases()
  // An admin's edit: housing renamed and its aliases dropped (version moves on).
  const [housing] = await app.db.update(departments).set({ nameZh: '龙沙区住房保障和建设局', version: 2 }).where(eq(departments.code, 'housing')).returning()
  await app.db.delete(departmentAliases).where(eq(departmentAliases.departmentId, housing!.id))
  await app.db.update(domains).set({ version: 2 }).where(eq(domains.code, 'land_acquisition'))
  await app.db.delete(domainAliases).where(eq(domainAliases.domainCode, 'land_acquisition'))
  await app.db.delete(departments).where(eq(departments.code, 'justice'))
  const afterDelete = (await app.db.select().from(departments)).length
  await seedReferenceData(app.db)
  const [again] = await app.db.select().from(departments).where(eq(departments.code, 'housing'))
  t.equal(again!.nameZh, '龙沙区住房保障和建设局', 'the rename stays')
  t.same(await app.db.select().from(departmentAliases).where(eq(departmentAliases.departmentId, housing!.id)), [], 'dropped aliases stay dropped')
  t.equal((await app.db.select().from(departments)).length, afterDelete + 1, 'a missing department is inserted again')
  t.ok((await countAliases()) < before)
  t.same(await app.db.select().from(domainAliases).where(eq(domainAliases.domainCode, 'land_acquisition')), [], "an edited domain's aliases are left alone")
  await seedReferenceData(app.db)
  t.equal((await app.db.select().from(departments)).length, afterDelete + 1, 'twice is once')
})

t.test('a database seeded before the reform keeps its old name and gains the current one as an alias', async (t) => {
  const { app } = await buildTestApp(t)
  const [land] = await app.db.update(departments).set({ nameZh: '齐齐哈尔市国土资源局龙沙分局' }).where(eq(departments.code, 'land_branch')).returning()
  await app.db.delete(departmentAliases).where(eq(departmentAliases.departmentId, land!.id))
  await seedReferenceData(app.db)
  const aliases = (await app.db.select().from(departmentAliases).where(eq(departmentAliases.departmentId, land!.id))).map((a) => a.alias)
  t.ok(aliases.includes('齐齐哈尔市自然资源局龙沙分局'))
  t.notOk(aliases.includes('齐齐哈尔市国土资源局龙沙分局'), 'its own name is not an alias')
  t.match((await loadDepartmentDirectory(app.db, '230202')).resolve('齐齐哈尔市自然资源局龙沙分局'), { status: 'resolved', code: 'land_branch', via: 'alias' })
})
