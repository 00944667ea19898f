// Demo applications for a new embedded database, in different states relative to today: one being
// processed, one waiting for a correction, one paused for a consultation, one answered and one
// overdue. Inserted directly (like the demo notices), only into an empty table.
import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { shanghaiDateOf } from '../../lib/calendar/index.js'
import { getCalendar } from '../calendar/service.js'
import { CONSULTATION_WORKING_DAYS, dueDateAfter } from './clock.js'
import { applicationConsultations, applicationReplies, applications } from './tables.js'

const DAY = 86_400_000

/** Inserts the demo applications when there are none; returns how many were added. */
export async function seedDemoApplications(db: Db, regionCode: string, now: Date): Promise<number> {
  const [existing] = await db.select({ n: sql<number>`count(*)::int` }).from(applications)
  if ((existing?.n ?? 0) > 0) return 0
  const calendar = await getCalendar(db, regionCode)
  const ago = (days: number) => new Date(now.getTime() - days * DAY)
  const year = now.getUTCFullYear()
  const base = (n: number, departmentCode: string, daysAgo: number, request: string) => ({
    receipt: `YSQ${year}-DEMO-000${n}`,
    regionCode,
    departmentCode,
    channel: n % 2 ? 'post' : 'portal',
    receivedAt: ago(daysAgo),
    applicantType: 'natural_person',
    applicantName: `演示·申请人${n}`,
    applicantAddress: '龙沙区五龙街道（演示）',
    request,
    createdBy: '演示·编辑',
    createdAt: ago(daysAgo),
    updatedAt: ago(daysAgo),
  })
  const rows = await db
    .insert(applications)
    .values([
      base(1, 'housing', 5, '（演示）申请公开本年度公共租赁住房分配名单。'),
      { ...base(2, 'civil_affairs', 3, '（演示）申请公开救助资金使用情况。'), correctionRequestedAt: ago(2), correctionItems: '请说明所需信息的时间范围。', correctionDueDate: shanghaiDateOf(new Date(now.getTime() + 10 * DAY)) },
      base(3, 'land_branch', 12, '（演示）申请公开某地块征收补偿安置方案。'),
      base(4, 'housing', 30, '（演示）申请公开住房租赁补贴标准。'),
      base(5, 'city_management', 45, '（演示）申请公开道路挖掘审批文件。'),
    ])
    .returning({ id: applications.id, receipt: applications.receipt })
  const id = (n: number) => rows[n - 1]!.id
  await db.insert(applicationConsultations).values({ applicationId: id(3), seq: 1, consultee: '（演示）某村股份经济合作社', consulteeKind: 'third_party', sentAt: ago(6), dueDate: dueDateAfter(calendar, ago(6), CONSULTATION_WORKING_DAYS) })
  await db.insert(applicationReplies).values({
    applicationId: id(4),
    outcome: 'disclosed',
    legalBasis: '《中华人民共和国政府信息公开条例》第三十六条第（二）项',
    document: '政府信息公开申请答复书（演示）',
    deliveryMethod: 'post',
    deliveredAt: ago(10),
    reviewState: 'published',
    authorId: 'demo',
    authorName: '演示·编辑',
    submittedAt: ago(12),
    reviewerId: 'demo-reviewer',
    reviewerName: '演示·审核员',
    reviewedAt: ago(11),
    approvedAt: ago(11),
    publishedAt: ago(10),
    publisherName: '演示·编辑',
    createdAt: ago(13),
    updatedAt: ago(10),
  })
  return rows.length
}
