// Period rules: how long a notice stays up or a decision may take, counted in calendar days or
// working days. The built-in ones are those the disclosure programme's procedures name.

export type PeriodUnit = 'calendar_day' | 'working_day';

export const PERIOD_UNITS: readonly PeriodUnit[] = ['calendar_day', 'working_day'];
export const PERIOD_MIN_LENGTH = 1;
export const PERIOD_MAX_LENGTH = 366;

export interface PeriodRule {
  unit: PeriodUnit;
  /** 1..366 */
  length: number;
}

export interface NamedPeriodRule extends PeriodRule {
  code: string;
  nameZh: string;
  nameEn: string;
  /** Chinese citation of where the period comes from. */
  legalSource: string;
  description: string;
}

export type BuiltInRuleCode = 'PUBLICITY_7D' | 'REVIEW_15D' | 'PUBLICITY_7WD' | 'PUBLICITY_10WD' | 'PUBLICITY_30D' | 'DISCLOSE_20WD';

function rule<C extends BuiltInRuleCode>(r: NamedPeriodRule & { code: C }): Readonly<NamedPeriodRule & { code: C }> {
  return Object.freeze(r);
}

export const BUILT_IN_RULES = Object.freeze({
  PUBLICITY_7D: rule({
    code: 'PUBLICITY_7D',
    unit: 'calendar_day',
    length: 7,
    nameZh: '公示期不少于7天',
    nameEn: 'Publicity for at least 7 days',
    legalSource:
      '区政务公开实施方案（公共租赁住房实物配租摇号结果、租赁补贴保障家庭名单：公示期不少于7天）；《受灾人员冬春生活救助工作规程》（村级评议结果公示7天）',
    description:
      'Lottery result for in-kind rental housing, the list of families granted a rental subsidy, and the village-level list for winter–spring disaster relief stay published for 7 calendar days.',
  }),
  REVIEW_15D: rule({
    code: 'REVIEW_15D',
    unit: 'calendar_day',
    length: 15,
    nameZh: '收到材料之日起15日内作出复核决定',
    nameEn: 'Re-review decision within 15 days',
    legalSource: '区政务公开实施方案（公共租赁住房租赁补贴：区级复核自收到材料之日起15日内作出决定）',
    description: 'The district decides on a rental-subsidy re-review within 15 calendar days of receiving the materials.',
  }),
  PUBLICITY_7WD: rule({
    code: 'PUBLICITY_7WD',
    unit: 'working_day',
    length: 7,
    nameZh: '校内公示7个工作日',
    nameEn: 'Publicity on campus for 7 working days',
    legalSource: '区政务公开实施方案（家庭经济困难寄宿生认定名单在校内公示7个工作日）',
    description: 'The list of recognised boarding students from families in financial difficulty is published on campus for 7 working days.',
  }),
  PUBLICITY_10WD: rule({
    code: 'PUBLICITY_10WD',
    unit: 'working_day',
    length: 10,
    nameZh: '征收土地预公告不少于10个工作日',
    nameEn: 'Land acquisition pre-announcement for at least 10 working days',
    legalSource: '《中华人民共和国土地管理法实施条例》（2021年修订）第二十六条：预公告时间不少于十个工作日',
    description:
      'Before land is acquired, the pre-announcement (scope, purpose, survey arrangements) is published in the township, village and villagers’ group for at least 10 working days.',
  }),
  PUBLICITY_30D: rule({
    code: 'PUBLICITY_30D',
    unit: 'calendar_day',
    length: 30,
    nameZh: '征地补偿安置方案公告不少于30日',
    nameEn: 'Compensation and resettlement plan announced for at least 30 days',
    legalSource: '《中华人民共和国土地管理法实施条例》（2021年修订）第二十八条：征地补偿安置方案拟定后……公告时间不少于三十日',
    description:
      'The land acquisition compensation and resettlement plan (drawn up under art. 27) is announced in the township, village and villagers’ group for at least 30 days (art. 28).',
  }),
  DISCLOSE_20WD: rule({
    code: 'DISCLOSE_20WD',
    unit: 'working_day',
    length: 20,
    nameZh: '自形成或变更之日起20个工作日内公开',
    nameEn: 'Proactive disclosure within 20 working days',
    legalSource: '《中华人民共和国政府信息公开条例》（2019年修订）第二十六条：自该政府信息形成或者变更之日起20个工作日内及时公开',
    description: 'Information within the scope of proactive disclosure is published within 20 working days of being formed or changed, unless a law or regulation sets another time limit.',
  }),
} as const);

export function isBuiltInRuleCode(code: string): code is BuiltInRuleCode {
  return Object.hasOwn(BUILT_IN_RULES, code);
}
