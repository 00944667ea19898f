// The name resolver without a database: each step of the order, ambiguity, retired bodies, and how a
// 公开主体 cell is split into bodies.
import t from 'tap'
import { buildDomainMatcher, normaliseName, splitBodies, type NamedBody } from '../../src/lib/body-names.js'
import { departmentDirectoryOf } from '../../src/modules/reference/resolve.js'

const bodies: NamedBody[] = [
  { code: 'housing', name: '龙沙区住房和城乡建设局', aliases: ['区住建局', '住建局'] },
  { code: 'civil_affairs', name: '龙沙区民政局', aliases: ['区民政局'] },
  { code: 'land_branch', name: '齐齐哈尔市自然资源局龙沙分局', aliases: ['区国土局', '齐齐哈尔市国土资源局龙沙分局'] },
  { code: 'expropriation_office', name: '龙沙区房屋征收办公室', aliases: ['区征收办'] },
  { code: 'subdistricts', name: '各街道办事处', aliases: ['乡镇人民政府（街道办事处）'] },
  { code: 'water_company', name: '征收及补偿服务中心', aliases: [] },
  // Two bodies that both shorten to 办公室 once the prefix is gone: ambiguous at the prefix step.
  { code: 'office_a', name: '龙沙区办公室', aliases: [] },
  { code: 'office_b', name: '区办公室', aliases: [] },
  { code: 'old_office', name: '龙沙区廉租住房管理办公室', aliases: ['区廉租办'], retired: true },
  { code: 'old_housing', name: '龙沙区建设局', aliases: ['住建局旧'], retired: true },
]
const directory = departmentDirectoryOf(bodies, '龙沙区')

t.test('the exact code resolves first', async (t) => {
  t.same(directory.resolve('housing'), { status: 'resolved', code: 'housing', via: 'code', matched: 'housing' })
})

t.test('the full name resolves', async (t) => {
  t.match(directory.resolve('龙沙区民政局'), { status: 'resolved', code: 'civil_affairs', via: 'name' })
})

t.test('an alias resolves, including a former name after a reform', async (t) => {
  t.match(directory.resolve('区住建局'), { status: 'resolved', code: 'housing', via: 'alias' })
  t.match(directory.resolve('齐齐哈尔市国土资源局龙沙分局'), { status: 'resolved', code: 'land_branch', via: 'alias' })
})

t.test('place-prefix variants: 龙沙区X, 区X and X are the same body', async (t) => {
  t.match(directory.resolve('龙沙区住建局'), { status: 'resolved', code: 'housing', via: 'prefix' })
  t.match(directory.resolve('民政局'), { status: 'resolved', code: 'civil_affairs', via: 'prefix' })
  t.match(directory.resolve('区民政局'), { status: 'resolved', code: 'civil_affairs', via: 'alias' })
  t.match(directory.resolve('龙沙区征收办'), { status: 'resolved', code: 'expropriation_office', via: 'prefix' })
  t.match(directory.resolve('征收办'), { status: 'resolved', code: 'expropriation_office', via: 'prefix' })
  t.match(directory.resolve('区房屋征收办公室'), { status: 'resolved', code: 'expropriation_office', via: 'prefix' })
})

t.test('normalised text: widths, spaces and line breaks inside the name', async (t) => {
  t.match(directory.resolve('龙沙区住房和城乡\n建设局'), { status: 'resolved', code: 'housing', via: 'normalised' })
  t.match(directory.resolve('区 住建局'), { status: 'resolved', code: 'housing', via: 'normalised' })
  t.match(directory.resolve('乡镇人民政府(街道办事处)'), { status: 'resolved', code: 'subdistricts', via: 'normalised' })
  t.match(directory.resolve('ＨＯＵＳＩＮＧ'), { status: 'resolved', code: 'housing', via: 'normalised' })
  t.match(directory.resolve('龙沙区 民政局'), { status: 'resolved', code: 'civil_affairs', via: 'normalised' })
  t.match(directory.resolve(' 区住建局 '), { status: 'resolved', code: 'housing', via: 'alias', matched: '区住建局' })
})

t.test('a text that fits several bodies is ambiguous and names them; nothing is picked', async (t) => {
  t.same(directory.resolve('办公室'), { status: 'ambiguous', candidates: ['office_a', 'office_b'] })
})

t.test('retired bodies resolve only when no active one fits, and say so', async (t) => {
  t.same(directory.resolve('区廉租办'), { status: 'resolved', code: 'old_office', via: 'alias', matched: '区廉租办', retired: true })
  t.match(directory.resolve('建设局'), { status: 'resolved', code: 'old_housing', via: 'prefix', retired: true })
})

t.test('unknown text and blank text are unknown', async (t) => {
  t.same(directory.resolve('龙沙区航天局'), { status: 'unknown' })
  t.same(directory.resolve('  '), { status: 'unknown' })
})

t.test('normaliseName folds widths, whitespace and dashes', async (t) => {
  t.equal(normaliseName('　Ａ B\n（c）—'), 'ab(c)-')
})

t.test('splitBodies splits on the separators people use', async (t) => {
  t.same(splitBodies('区民政局、各街道办事处'), ['区民政局', '各街道办事处'])
  t.same(splitBodies('区教育局\n龙沙区实验学校'), ['区教育局', '龙沙区实验学校'])
  t.same(splitBodies('区住建局/区征收办；区财政局;区城管局，区编办,区政务中心'), ['区住建局', '区征收办', '区财政局', '区城管局', '区编办', '区政务中心'])
  t.same(splitBodies('区民政局及各街道办事处'), ['区民政局', '各街道办事处'])
  t.same(splitBodies('  '), [])
  t.same(splitBodies('区民政局、、'), ['区民政局'])
})

t.test('splitBodies keeps brackets whole and 及 inside a known name', async (t) => {
  t.same(splitBodies('各街道办事处（社区、村）、区民政局'), ['各街道办事处（社区、村）', '区民政局'])
  const known = (text: string) => directory.resolve(text).status !== 'unknown'
  t.same(splitBodies('征收及补偿服务中心', known), ['征收及补偿服务中心'])
  t.same(splitBodies('征收及补偿服务中心、区民政局', known), ['征收及补偿服务中心', '区民政局'])
  t.same(splitBodies('区民政局及各街道办事处', known), ['区民政局', '各街道办事处'])
  // A single character on one side is not a body: 及 stays.
  t.same(splitBodies('区及街道'), ['区及街道'])
})

t.test('resolveCell splits and resolves each body; a wrapped known name stays whole', async (t) => {
  t.same(
    directory.resolveCell('区民政局、各街道办事处').map((b) => [b.text, b.resolution.status === 'resolved' ? b.resolution.code : b.resolution.status]),
    [
      ['区民政局', 'civil_affairs'],
      ['各街道办事处', 'subdistricts'],
    ],
  )
  t.same(
    directory.resolveCell('龙沙区住房和城乡\n建设局').map((b) => b.text),
    ['龙沙区住房和城乡\n建设局'],
  )
})

t.test('domains resolve by code, name, alias and normalised text with 领域 dropped', async (t) => {
  const domains = buildDomainMatcher([
    { code: 'demolition_resettlement', name: '拆迁安置', aliases: ['国有土地上房屋征收与补偿'] },
    { code: 'affordable_housing', name: '保障性住房', aliases: [] },
    { code: 'a', name: '甲', aliases: ['同名'] },
    { code: 'b', name: '乙', aliases: ['同 名'] },
  ])
  t.match(domains.resolve('affordable_housing'), { status: 'resolved', via: 'code' })
  t.match(domains.resolve('拆迁安置'), { status: 'resolved', code: 'demolition_resettlement', via: 'name' })
  t.match(domains.resolve('国有土地上房屋征收与补偿'), { status: 'resolved', code: 'demolition_resettlement', via: 'alias' })
  t.match(domains.resolve('保障性住房领域'), { status: 'resolved', code: 'affordable_housing', via: 'normalised' })
  t.same(domains.resolve('同名 '), { status: 'resolved', code: 'a', via: 'alias', matched: '同名' })
  t.same(domains.resolve('同　名x'), { status: 'unknown' })
  t.same(domains.resolve(' 同名\n'), { status: 'resolved', code: 'a', via: 'alias', matched: '同名' })
  t.same(domains.resolve('同 名 '), { status: 'resolved', code: 'b', via: 'alias', matched: '同 名' })
  t.same(domains.resolve('同  名'), { status: 'ambiguous', candidates: ['a', 'b'] })
  t.same(domains.resolve(''), { status: 'unknown' })
})
