// The reference data of the pilot (shared/seed/implementation-plan.zh.txt): the default region, the
// seven domains of the pilot and the departments the plan names, with pilot units under them.

export const defaultRegion = { code: '230202', nameZh: '龙沙区', nameEn: 'Longsha District' }

export const pilotDomains = [
  { code: 'land_acquisition', nameZh: '征地补偿', nameEn: 'Land acquisition compensation', description: '征地预公告、征地公告、补偿安置方案、项目批文、一书四方案' },
  { code: 'demolition_resettlement', nameZh: '拆迁安置', nameEn: 'Demolition and resettlement', description: '征收政策、房屋调查和评估结果、征收补偿方案、房屋征收决定、补偿决定' },
  { code: 'affordable_housing', nameZh: '保障性住房', nameEn: 'Affordable housing', description: '实物配租、住房租赁补贴' },
  { code: 'disaster_relief', nameZh: '救灾', nameEn: 'Disaster relief', description: '受灾人员冬春生活救助' },
  { code: 'public_resource_trading', nameZh: '公共资源交易', nameEn: 'Public resource trading', description: '政府采购招标公告、中标结果' },
  { code: 'compulsory_education', nameZh: '义务教育', nameEn: 'Compulsory education', description: '学区划分、阳光分班、贫困住宿生生活费补助' },
  { code: 'municipal_services', nameZh: '市政服务', nameEn: 'Municipal services', description: '树木种植、道路破道审批、道路维修养护工程' },
] as const

/**
 * What kind of body a department is. `government`: a people's government itself (龙沙区人民政府 signs
 * expropriation decisions); `enterprise` and `organisation`: non-government bodies catalogs name (a
 * water-supply company, a tendering agent, a public institution); `level`: a generic body standing for all
 * bodies of one level (`各街道办事处`, `村（居）民委员会`), as catalogs name them.
 */
export const departmentKinds = ['office', 'bureau', 'centre', 'subdistrict', 'township', 'community', 'village', 'school', 'government', 'enterprise', 'organisation', 'level'] as const
export type DepartmentKind = (typeof departmentKinds)[number]

export interface SeedDepartment {
  code: string
  nameZh: string
  nameEn: string
  kind: DepartmentKind
  parent?: string
  pilot?: boolean
  /** Short forms, former names, the plan's abbreviations. `龙沙区X`/`区X`/`X` of a name or alias resolve anyway. */
  aliases?: string[]
}

// Parents come before their children. The codes of the first seeding stay (tests, demo data and
// districts' data use them); bodies after them reflect today's institutions of a district (after the
// 2018 institutional reform), with the abbreviations the plan writes as aliases.
export const pilotDepartments: SeedDepartment[] = [
  { code: 'district_office', nameZh: '龙沙区人民政府办公室', nameEn: 'District Government Office', kind: 'office', aliases: ['区政府办', '政府办', '区政府办公室'] },
  { code: 'establishment_office', nameZh: '龙沙区机构编制委员会办公室', nameEn: 'Establishment Office', kind: 'office', aliases: ['区编办', '编办', '区委编办'] },
  // 政府采购 supervision is the finance bureau's job: the plan's 区采购办 is written for it.
  { code: 'finance', nameZh: '龙沙区财政局', nameEn: 'Finance Bureau', kind: 'bureau', aliases: ['区采购办', '采购办', '区政府采购办'] },
  { code: 'housing', nameZh: '龙沙区住房和城乡建设局', nameEn: 'Housing and Construction Bureau', kind: 'bureau', aliases: ['区住建局', '住建局', '区建设局', '区廉租办', '廉租办'] }, // 廉租办: housing security is part of the bureau
  { code: 'city_management', nameZh: '龙沙区城市管理局', nameEn: 'City Management Bureau', kind: 'bureau', aliases: ['区城管局', '城管局', '区城市管理综合执法局'] },
  { code: 'civil_affairs', nameZh: '龙沙区民政局', nameEn: 'Civil Affairs Bureau', kind: 'bureau' },
  { code: 'education', nameZh: '龙沙区教育局', nameEn: 'Education Bureau', kind: 'bureau', aliases: ['区教育行政部门'] },
  { code: 'expropriation_office', nameZh: '龙沙区房屋征收办公室', nameEn: 'Housing Expropriation Office', kind: 'office', aliases: ['区征收办', '征收办', '区房屋征收办', '区房屋征收管理办公室'] },
  {
    code: 'land_branch',
    nameZh: '齐齐哈尔市自然资源局龙沙分局',
    nameEn: 'Natural Resources Branch Bureau',
    kind: 'bureau',
    // The current name is listed too: a database seeded before the rename keeps the old name (the seed
    // never renames) and gains the current one as an alias.
    aliases: ['齐齐哈尔市自然资源局龙沙分局', '区国土局', '国土局', '齐齐哈尔市国土资源局龙沙分局', '国土资源局龙沙分局', '区自然资源局', '自然资源局', '自然资源局龙沙分局'],
  },
  { code: 'legal_affairs', nameZh: '龙沙区人民政府法制办公室', nameEn: 'Legal Affairs Office', kind: 'office', aliases: ['区法制办', '法制办', '区政府法制办'] },
  { code: 'service_centre', nameZh: '龙沙区政务服务中心', nameEn: 'Government Service Centre', kind: 'centre', aliases: ['区政务中心', '政务中心', '区行政服务中心'] },
  { code: 'network_centre', nameZh: '龙沙区网络信息中心', nameEn: 'Network Information Centre', kind: 'centre', aliases: ['区网络中心', '网络中心'] },
  { code: 'publicity', nameZh: '中共龙沙区委宣传部', nameEn: 'Publicity Department', kind: 'office', aliases: ['区委宣传部', '宣传部'] },
  { code: 'wulong_subdistrict', nameZh: '五龙街道办事处', nameEn: 'Wulong Subdistrict Office', kind: 'subdistrict', aliases: ['五龙街道'] },
  { code: 'hubin_subdistrict', nameZh: '湖滨街道办事处', nameEn: 'Hubin Subdistrict Office', kind: 'subdistrict', aliases: ['湖滨街道'] },
  { code: 'jiangan_subdistrict', nameZh: '江安街道办事处', nameEn: "Jiang'an Subdistrict Office", kind: 'subdistrict', aliases: ['江安街道'] },
  { code: 'caihong_subdistrict', nameZh: '彩虹街道办事处', nameEn: 'Caihong Subdistrict Office', kind: 'subdistrict', aliases: ['彩虹街道'] },
  { code: 'wulong_community', nameZh: '五龙街道新政社区', nameEn: 'Xinzheng Community (Wulong)', kind: 'community', parent: 'wulong_subdistrict', pilot: true, aliases: ['新政社区'] },
  { code: 'hubin_community', nameZh: '湖滨街道明月社区', nameEn: 'Mingyue Community (Hubin)', kind: 'community', parent: 'hubin_subdistrict', pilot: true, aliases: ['明月社区'] },
  { code: 'caihong_village', nameZh: '彩虹街道东光村', nameEn: 'Dongguang Village (Caihong)', kind: 'village', parent: 'caihong_subdistrict', pilot: true, aliases: ['东光村'] },
  { code: 'experimental_school', nameZh: '龙沙区实验学校', nameEn: 'Longsha Experimental School', kind: 'school', parent: 'education', pilot: true, aliases: ['实验学校'] },
  // Today's institutions of a district beyond the bodies the plan names.
  { code: 'district_government', nameZh: '龙沙区人民政府', nameEn: 'Longsha District People\'s Government', kind: 'government', aliases: ['区政府', '区人民政府'] },
  { code: 'emergency_management', nameZh: '龙沙区应急管理局', nameEn: 'Emergency Management Bureau', kind: 'bureau', aliases: ['区应急局', '应急局'] },
  { code: 'human_resources', nameZh: '龙沙区人力资源和社会保障局', nameEn: 'Human Resources and Social Security Bureau', kind: 'bureau', aliases: ['区人社局', '人社局'] },
  { code: 'development_reform', nameZh: '龙沙区发展和改革局', nameEn: 'Development and Reform Bureau', kind: 'bureau', aliases: ['区发改局', '发改局', '区发展改革局'] },
  { code: 'justice', nameZh: '龙沙区司法局', nameEn: 'Justice Bureau', kind: 'bureau' },
  { code: 'health', nameZh: '龙沙区卫生健康局', nameEn: 'Health Bureau', kind: 'bureau', aliases: ['区卫健局', '卫健局', '区卫生和计划生育局', '区卫计局'] },
  { code: 'agriculture', nameZh: '龙沙区农业农村局', nameEn: 'Agriculture and Rural Affairs Bureau', kind: 'bureau', aliases: ['区农业局', '农业局'] },
  { code: 'market_regulation', nameZh: '龙沙区市场监督管理局', nameEn: 'Market Regulation Bureau', kind: 'bureau', aliases: ['区市场监管局', '市场监管局'] },
  { code: 'public_resource_trading_centre', nameZh: '龙沙区公共资源交易中心', nameEn: 'Public Resource Trading Centre', kind: 'centre', aliases: ['区交易中心', '交易中心'] },
  // Generic bodies that catalogs name by level: each stands for all bodies of that level.
  { code: 'all_subdistricts', nameZh: '各街道办事处', nameEn: 'All subdistrict offices', kind: 'level', aliases: ['乡镇人民政府（街道办事处）', '街道办事处', '各街道', '各乡镇（街道）', '乡镇（街道）', '乡镇街道'] },
  { code: 'all_village_committees', nameZh: '村（居）民委员会', nameEn: 'All village and residents\' committees', kind: 'level', aliases: ['村（居）委会', '各村（居）委会', '各社区（村）', '村（社区）', '社区（村）', '村（社区）居民委员会'] },
  { code: 'all_schools', nameZh: '各学校', nameEn: 'All schools', kind: 'level', aliases: ['各中小学校', '各中小学', '学校'] },
]

/** National names and common forms of the pilot's domains (the national guides' titles). */
export const domainAliases: Record<string, string[]> = {
  land_acquisition: ['农村集体土地征收', '征地', '土地征收'],
  demolition_resettlement: ['国有土地上房屋征收与补偿', '房屋征收与补偿', '国有土地上房屋征收', '房屋征收'],
  affordable_housing: ['保障性安居工程', '住房保障'],
  disaster_relief: ['自然灾害救助', '灾害救助'],
  public_resource_trading: ['公共资源配置'],
  compulsory_education: [],
  municipal_services: ['市政公用事业'],
}
