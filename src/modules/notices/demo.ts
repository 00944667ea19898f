// Demo notices for a new embedded database: the plan's procedures in different states relative to
// today, so a new user sees the lifecycle at once. They are inserted as already reviewed by the
// demo's own staff names ("演示·…"), not taken through the API; nothing here runs on a real database
// unless asked for (`npm run seed:demo`).
import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { computeForRule } from '../calendar/service.js'
import { replaceEntries } from './queries.js'
import { defaultRetention, type NoticeKind } from './service.js'
import { notices, objections, type NoticeColumn } from './tables.js'

const DAY = 86_400_000
const families: NoticeColumn[] = [
  { key: 'name', label: '申请人', type: 'name', public: true },
  { key: 'id_number', label: '身份证号', type: 'id_number', public: true },
  { key: 'household_size', label: '家庭人口', type: 'integer', public: true },
  { key: 'community', label: '所在社区', type: 'text', public: true },
]
const rows = [
  { name: '张三明', id_number: '230202198003151238', household_size: 3, community: '新政社区' },
  { name: '李娜', id_number: '23020219900101156X', household_size: 2, community: '明月社区' },
  { name: '王建国', id_number: '230202196512120318', household_size: 4, community: '新政社区' },
]

interface DemoNotice {
  title: string
  department: string
  domain: string
  item: string | null
  kind: NoticeKind
  rule: string
  /** Days before today it was published. */
  publishedDaysAgo: number
  conclusion?: 'no_objection'
  objection?: boolean
  columns?: NoticeColumn[]
  notarization?: { notaryOffice: string; certificateNumber: string; date: string }
}

const demo: DemoNotice[] = [
  { title: '住房租赁补贴符合条件家庭名单公示', department: 'housing', domain: 'affordable_housing', item: null, kind: 'eligible_list', rule: 'PUBLICITY_7D', publishedDaysAgo: 2, columns: families },
  { title: '冬春生活救助对象名单公示（东光村）', department: 'civil_affairs', domain: 'disaster_relief', item: null, kind: 'relief_recipients', rule: 'PUBLICITY_7D', publishedDaysAgo: 3, objection: true, columns: families },
  { title: '义务教育阶段贫困住宿生认定名单公示', department: 'experimental_school', domain: 'compulsory_education', item: null, kind: 'poor_students', rule: 'PUBLICITY_7WD', publishedDaysAgo: 20, columns: families },
  {
    title: '公共租赁住房实物配租抽签结果公示',
    department: 'housing',
    domain: 'affordable_housing',
    item: null,
    kind: 'lottery_result',
    rule: 'PUBLICITY_7D',
    publishedDaysAgo: 40,
    conclusion: 'no_objection',
    columns: families,
    notarization: { notaryOffice: '齐齐哈尔市龙沙公证处', certificateNumber: '（演示）龙证字第001号', date: '2026-01-01' },
  },
  { title: '区管道路破道审批结果公告', department: 'city_management', domain: 'municipal_services', item: null, kind: 'announcement', rule: 'PUBLICITY_7D', publishedDaysAgo: 1 },
]

/** Inserts the demo notices when the database has none; returns how many were added. */
export async function seedDemoNotices(db: Db, regionCode: string, now: Date): Promise<number> {
  const [existing] = await db.select({ n: sql<number>`count(*)::int` }).from(notices)
  if ((existing?.n ?? 0) > 0) return 0
  for (const d of demo) {
    const startsAt = new Date(now.getTime() - d.publishedDaysAgo * DAY)
    const period = await computeForRule(db, regionCode, { start: startsAt, rule: d.rule })
    const endsAt = new Date(period.endsAt)
    const reviewed = new Date(startsAt.getTime() - DAY / 2)
    const [row] = await db
      .insert(notices)
      .values({
        regionCode,
        departmentCode: d.department,
        domainCode: d.domain,
        itemKey: d.item,
        kind: d.kind,
        title: d.title,
        body: '（演示数据）',
        ruleCode: d.rule,
        channels: ['portal', 'e_net_app', 'bulletin_board'],
        notarization: d.notarization ?? null,
        columns: d.columns ?? [],
        retention: defaultRetention[d.kind],
        privacyAssessment: d.columns ? { reference: '演示-PIA-001', date: startsAt.toISOString().slice(0, 10) } : null,
        entryCount: d.columns ? rows.length : 0,
        startsAt,
        firstDay: period.firstDay,
        lastDay: period.lastDay,
        endsAt,
        calendarStatus: period.provisional ? 'provisional' : 'official',
        conclusion: d.conclusion ?? null,
        concludedAt: d.conclusion ? new Date(endsAt.getTime() + DAY) : null,
        concludedBy: d.conclusion ? '演示·审核员' : null,
        searchText: d.title,
        reviewState: 'published',
        authorId: 'demo',
        authorName: '演示·编辑',
        submittedAt: reviewed,
        reviewerId: 'demo-reviewer',
        reviewerName: '演示·审核员',
        reviewedAt: reviewed,
        approvedAt: reviewed,
        publishedAt: startsAt,
        publisherName: '演示·编辑',
        createdAt: reviewed,
        updatedAt: startsAt,
      })
      .returning({ id: notices.id })
    if (d.columns) await replaceEntries(db, row!.id, rows)
    if (d.objection) {
      await db.insert(objections).values({
        receipt: `YY${now.getUTCFullYear()}-DEMO-0001`,
        noticeId: row!.id,
        entryRow: 2,
        objectorName: '演示·村民',
        objectorContact: 'demo@example.com',
        reason: '（演示）第2户家庭收入情况与公示不符，请核实。',
        channel: 'wechat',
        createdAt: new Date(startsAt.getTime() + DAY),
        updatedAt: new Date(startsAt.getTime() + DAY),
      })
    }
  }
  return demo.length
}
