// How an application ends, exactly as table 三 of the annual report counts it (国办公开办函〔2021〕30号,
// 三、收到和处理政府信息公开申请情况): 予以公开; 部分公开; 不予公开 (8 reasons); 无法提供 (3); 不予处理 (5);
// 其他处理 (3). The row labels are the format's own; the annual report prints them as they are here.

export const outcomeGroups = ['disclosed', 'partially_disclosed', 'withheld', 'unable_to_provide', 'not_processed', 'other'] as const
export type OutcomeGroup = (typeof outcomeGroups)[number]

export const outcomeReasons = {
  disclosed: [],
  partially_disclosed: [],
  withheld: [
    'state_secret',
    'prohibited_by_law',
    'endangers_security',
    'third_party_rights',
    'internal_affairs',
    'process_information',
    'enforcement_file',
    'administrative_query',
  ],
  unable_to_provide: ['not_held', 'needs_new_creation', 'unclear_after_correction'],
  not_processed: ['petition_or_complaint', 'repeated', 'publication', 'excessive_repeated', 'confirm_or_reissue'],
  other: ['no_correction', 'fee_unpaid', 'other'],
} as const satisfies Record<OutcomeGroup, readonly string[]>

export type OutcomeReason = (typeof outcomeReasons)[OutcomeGroup][number]
export const allOutcomeReasons = Object.values(outcomeReasons).flat() as OutcomeReason[]

export const groupLabels: Record<OutcomeGroup, string> = {
  disclosed: '（一）予以公开',
  partially_disclosed: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
  withheld: '（三）不予公开',
  unable_to_provide: '（四）无法提供',
  not_processed: '（五）不予处理',
  other: '（六）其他处理',
}

export const reasonLabels: Record<OutcomeReason, string> = {
  state_secret: '1.属于国家秘密',
  prohibited_by_law: '2.其他法律行政法规禁止公开',
  endangers_security: '3.危及“三安全一稳定”',
  third_party_rights: '4.保护第三方合法权益',
  internal_affairs: '5.属于三类内部事务信息',
  process_information: '6.属于四类过程性信息',
  enforcement_file: '7.属于行政执法案卷',
  administrative_query: '8.属于行政查询事项',
  not_held: '1.本机关不掌握相关政府信息',
  needs_new_creation: '2.没有现成信息需要另行制作',
  unclear_after_correction: '3.补正后申请内容仍不明确',
  petition_or_complaint: '1.信访举报投诉类申请',
  repeated: '2.重复申请',
  publication: '3.要求提供公开出版物',
  excessive_repeated: '4.无正当理由大量反复申请',
  confirm_or_reissue: '5.要求行政机关确认或重新出具已获取信息',
  no_correction: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
  fee_unpaid: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
  other: '3.其他',
}

/** One outcome row of table 三: a group without reasons, or one reason of a group. */
export interface OutcomeRow {
  key: string
  group: OutcomeGroup
  reason: OutcomeReason | null
  label: string
}

/** The countable outcome rows, in the format's order (their sum is 总计). */
export const outcomeRows: OutcomeRow[] = outcomeGroups.flatMap((group): OutcomeRow[] => {
  const reasons = outcomeReasons[group] as readonly OutcomeReason[]
  if (!reasons.length) return [{ key: group, group, reason: null, label: groupLabels[group] }]
  return reasons.map((reason) => ({ key: `${group}.${reason}`, group, reason, label: reasonLabels[reason] }))
})

export const outcomeKey = (group: OutcomeGroup, reason: OutcomeReason | null) => (reason ? `${group}.${reason}` : group)

/** Whether `reason` is one of `group`'s (null for the two groups without reasons). */
export function reasonFits(group: OutcomeGroup, reason: string | null | undefined): boolean {
  const reasons = outcomeReasons[group] as readonly string[]
  return reasons.length ? typeof reason === 'string' && reasons.includes(reason) : reason === null || reason === undefined
}

export const applicantTypes = ['natural_person', 'business', 'research', 'nonprofit', 'legal_service', 'other_organisation'] as const
export type ApplicantType = (typeof applicantTypes)[number]

/** Table 三's applicant columns (申请人情况): 自然人, then 法人或其他组织 by kind. */
export const applicantLabels: Record<ApplicantType, string> = {
  natural_person: '自然人',
  business: '商业企业',
  research: '科研机构',
  nonprofit: '社会公益组织',
  legal_service: '法律服务机构',
  other_organisation: '其他',
}
