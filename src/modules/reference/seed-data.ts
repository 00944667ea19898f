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

export const departmentKinds = ['office', 'bureau', 'centre', 'subdistrict', 'township', 'community', 'village', 'school'] as const
export type DepartmentKind = (typeof departmentKinds)[number]

export interface SeedDepartment {
  code: string
  nameZh: string
  nameEn: string
  kind: DepartmentKind
  parent?: string
  pilot?: boolean
}

// Parents come before their children.
export const pilotDepartments: SeedDepartment[] = [
  { code: 'district_office', nameZh: '龙沙区人民政府办公室', nameEn: 'District Government Office', kind: 'office' },
  { code: 'establishment_office', nameZh: '龙沙区机构编制委员会办公室', nameEn: 'Establishment Office', kind: 'office' },
  { code: 'finance', nameZh: '龙沙区财政局', nameEn: 'Finance Bureau', kind: 'bureau' },
  { code: 'housing', nameZh: '龙沙区住房和城乡建设局', nameEn: 'Housing and Construction Bureau', kind: 'bureau' },
  { code: 'city_management', nameZh: '龙沙区城市管理局', nameEn: 'City Management Bureau', kind: 'bureau' },
  { code: 'civil_affairs', nameZh: '龙沙区民政局', nameEn: 'Civil Affairs Bureau', kind: 'bureau' },
  { code: 'education', nameZh: '龙沙区教育局', nameEn: 'Education Bureau', kind: 'bureau' },
  { code: 'expropriation_office', nameZh: '龙沙区房屋征收办公室', nameEn: 'Housing Expropriation Office', kind: 'office' },
  { code: 'land_branch', nameZh: '齐齐哈尔市国土资源局龙沙分局', nameEn: 'Land Resources Branch Bureau', kind: 'bureau' },
  { code: 'legal_affairs', nameZh: '龙沙区人民政府法制办公室', nameEn: 'Legal Affairs Office', kind: 'office' },
  { code: 'service_centre', nameZh: '龙沙区政务服务中心', nameEn: 'Government Service Centre', kind: 'centre' },
  { code: 'network_centre', nameZh: '龙沙区网络信息中心', nameEn: 'Network Information Centre', kind: 'centre' },
  { code: 'publicity', nameZh: '中共龙沙区委宣传部', nameEn: 'Publicity Department', kind: 'office' },
  { code: 'wulong_subdistrict', nameZh: '五龙街道办事处', nameEn: 'Wulong Subdistrict Office', kind: 'subdistrict' },
  { code: 'hubin_subdistrict', nameZh: '湖滨街道办事处', nameEn: 'Hubin Subdistrict Office', kind: 'subdistrict' },
  { code: 'jiangan_subdistrict', nameZh: '江安街道办事处', nameEn: "Jiang'an Subdistrict Office", kind: 'subdistrict' },
  { code: 'caihong_subdistrict', nameZh: '彩虹街道办事处', nameEn: 'Caihong Subdistrict Office', kind: 'subdistrict' },
  { code: 'wulong_community', nameZh: '五龙街道新政社区', nameEn: 'Xinzheng Community (Wulong)', kind: 'community', parent: 'wulong_subdistrict', pilot: true },
  { code: 'hubin_community', nameZh: '湖滨街道明月社区', nameEn: 'Mingyue Community (Hubin)', kind: 'community', parent: 'hubin_subdistrict', pilot: true },
  { code: 'caihong_village', nameZh: '彩虹街道东光村', nameEn: 'Dongguang Village (Caihong)', kind: 'village', parent: 'caihong_subdistrict', pilot: true },
  { code: 'experimental_school', nameZh: '龙沙区实验学校', nameEn: 'Longsha Experimental School', kind: 'school', parent: 'education', pilot: true },
]
