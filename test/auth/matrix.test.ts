// The authorization matrix: every operation of the API (read from the generated OpenAPI document, so a
// new route must be added here or this test fails) × every kind of caller → allowed or refused.
import t from 'tap'
import { buildTestApp, json } from '../helpers/app.js'
import { seedDemoCatalog } from '../../src/modules/catalog/service.js'
import { itemBody } from '../catalog/builders.js'
import { fullSections } from '../reports/builders.js'
import { bearer, clientWith, userWith } from '../helpers/auth.js'

type Caller = 'anonymous' | 'editorOwn' | 'editorOther' | 'reviewer' | 'admin' | 'auditor' | 'clientScoped' | 'clientUnscoped'
const callers: Caller[] = ['anonymous', 'editorOwn', 'editorOther', 'reviewer', 'admin', 'auditor', 'clientScoped', 'clientUnscoped']
const staff: Caller[] = ['editorOwn', 'editorOther', 'reviewer', 'admin', 'auditor']
const authenticated: Caller[] = [...staff, 'clientScoped', 'clientUnscoped']

interface Case {
  /** Who gets past authorization (any status but 401/403); everyone else: 401 anonymous, 403 otherwise. */
  allowed: Caller[] | 'public'
  request: { method: string; url: string; payload?: unknown; headers?: Record<string, string> }
}

// Requests aim at targets that do not exist (or repeat what exists) so that an allowed caller gets a
// 404/409/422 after authorization and nothing changes between callers.
const cases = (f: Fixtures): Record<string, Case> => ({
  getHealth: { allowed: 'public', request: { method: 'GET', url: '/healthz' } },
  getReadiness: { allowed: 'public', request: { method: 'GET', url: '/readyz' } },
  getProblemType: { allowed: 'public', request: { method: 'GET', url: '/problems/conflict' } },
  listDomains: { allowed: 'public', request: { method: 'GET', url: '/v1/domains' } },
  getDomain: { allowed: 'public', request: { method: 'GET', url: '/v1/domains/disaster_relief' } },
  listDepartments: { allowed: 'public', request: { method: 'GET', url: '/v1/departments' } },
  getDepartment: { allowed: 'public', request: { method: 'GET', url: '/v1/departments/finance' } },
  createDepartment: { allowed: ['admin', 'clientScoped'], request: { method: 'POST', url: '/v1/departments', payload: { code: 'finance', nameZh: '重复', nameEn: 'Duplicate', kind: 'bureau' } } },
  updateDepartment: { allowed: ['admin', 'clientScoped'], request: { method: 'PATCH', url: '/v1/departments/nowhere', headers: { 'if-match': '"x"' }, payload: { pilot: true } } },
  retireDepartment: { allowed: ['admin', 'clientScoped'], request: { method: 'POST', url: '/v1/departments/nowhere/retire', headers: { 'if-match': '"x"' }, payload: {} } },
  mergeDepartment: { allowed: ['admin', 'clientScoped'], request: { method: 'POST', url: '/v1/departments/nowhere/merge', headers: { 'if-match': '"x"' }, payload: { into: 'finance' } } },
  getDepartmentHistory: { allowed: ['admin', 'clientScoped'], request: { method: 'GET', url: '/v1/departments/nowhere/history' } },
  createDomain: { allowed: ['admin', 'clientScoped'], request: { method: 'POST', url: '/v1/domains', payload: { code: 'disaster_relief', nameZh: '重复', nameEn: 'Duplicate' } } },
  updateDomain: { allowed: ['admin', 'clientScoped'], request: { method: 'PATCH', url: '/v1/domains/space_travel', headers: { 'if-match': '"x"' }, payload: { nameEn: 'x' } } },
  createToken: { allowed: 'public', request: { method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'password', username: 'nobody' } } },
  revokeToken: { allowed: 'public', request: { method: 'POST', url: '/v1/auth/revoke', payload: { token: 'gkr_unknown' } } },
  getCalendarYear: { allowed: 'public', request: { method: 'GET', url: '/v1/calendar/2025' } },
  listCalendarDays: { allowed: 'public', request: { method: 'GET', url: '/v1/calendar/days?from=2025-10-01&to=2025-10-31' } },
  putCalendarYear: { allowed: ['admin', 'clientScoped'], request: { method: 'PUT', url: '/v1/calendar/2027', payload: { holidays: [], makeupWorkdays: [{ date: '2027-02-17' }] } } },
  correctCalendarYear: { allowed: ['admin', 'clientScoped'], request: { method: 'PATCH', url: '/v1/calendar/2027', payload: { op: 'add_makeup_workday', date: '2027-02-17' } } },
  addRegionClosure: { allowed: ['admin', 'clientScoped'], request: { method: 'POST', url: '/v1/calendar/closures', payload: { date: '1900-01-01', name: 'outside the calendar' } } },
  removeRegionClosure: { allowed: ['admin', 'clientScoped'], request: { method: 'DELETE', url: '/v1/calendar/closures/1999-01-01' } },
  listPeriodRules: { allowed: 'public', request: { method: 'GET', url: '/v1/period-rules' } },
  getPeriodRule: { allowed: 'public', request: { method: 'GET', url: '/v1/period-rules/PUBLICITY_7D' } },
  createPeriodRule: { allowed: ['admin', 'clientScoped'], request: { method: 'POST', url: '/v1/period-rules', payload: { code: 'PUBLICITY_7D', unit: 'calendar_day', length: 7, nameZh: '重复', nameEn: 'Duplicate', legalSource: '—' } } },
  computePeriod: { allowed: 'public', request: { method: 'POST', url: '/v1/periods/compute', payload: { start: '2025-09-26', rule: 'PUBLICITY_7WD' } } },
  getMe: { allowed: authenticated, request: { method: 'GET', url: '/v1/me' } },
  // API clients have secrets, not passwords.
  changeMyPassword: { allowed: staff, request: { method: 'POST', url: '/v1/me/password', payload: { currentPassword: 'not it', newPassword: 'whatever whatever' } } },
  // Account management is for people only: no client may hold accounts:manage (see test/auth/clients.test.ts).
  listUsers: { allowed: ['admin', 'auditor', 'clientScoped'], request: { method: 'GET', url: '/v1/users' } },
  getUser: { allowed: ['admin', 'auditor', 'clientScoped'], request: { method: 'GET', url: '/v1/users/nobody' } },
  createUser: { allowed: ['admin'], request: { method: 'POST', url: '/v1/users', payload: { username: 'the.admin', displayName: 'dup' } } },
  updateUser: { allowed: ['admin'], request: { method: 'PATCH', url: '/v1/users/nobody', headers: { 'if-match': '"x"' }, payload: { displayName: 'x' } } },
  resetUserPassword: { allowed: ['admin'], request: { method: 'POST', url: '/v1/users/nobody/password-reset' } },
  addGrant: { allowed: ['admin'], request: { method: 'POST', url: '/v1/users/nobody/grants', payload: { role: 'auditor' } } },
  removeGrant: { allowed: ['admin'], request: { method: 'DELETE', url: '/v1/users/nobody/grants/00000000-0000-0000-0000-000000000000' } },
  listClients: { allowed: ['admin', 'auditor', 'clientScoped'], request: { method: 'GET', url: '/v1/clients' } },
  getClient: { allowed: ['admin', 'auditor', 'clientScoped'], request: { method: 'GET', url: '/v1/clients/gkc_nobody' } },
  createClient: { allowed: ['admin'], request: { method: 'POST', url: '/v1/clients', payload: { name: 'x', departmentCode: 'nowhere', scopes: ['items:write'] } } },
  updateClient: { allowed: ['admin'], request: { method: 'PATCH', url: '/v1/clients/gkc_nobody', headers: { 'if-match': '"x"' }, payload: { name: 'x' } } },
  rotateClientSecret: { allowed: ['admin'], request: { method: 'POST', url: '/v1/clients/gkc_nobody/rotate-secret' } },
  listAuditEntries: { allowed: ['admin', 'auditor', 'clientScoped'], request: { method: 'GET', url: '/v1/audit' } },
  verifyAuditChain: { allowed: ['admin', 'auditor', 'clientScoped'], request: { method: 'GET', url: '/v1/audit/verify' } },
  listAuditAnchors: { allowed: ['admin', 'auditor', 'clientScoped'], request: { method: 'GET', url: '/v1/audit/anchors' } },
  anchorAuditLog: { allowed: ['admin', 'auditor', 'clientScoped'], request: { method: 'POST', url: '/v1/audit/anchors' } },
  // Notices: the fixture notice belongs to civil_affairs and is withdrawn, so every write is refused
  // after authorization (409/412) and nothing changes between callers.
  listNotices: { allowed: 'public', request: { method: 'GET', url: '/v1/notices' } },
  getNotice: { allowed: 'public', request: { method: 'GET', url: `/v1/notices/${f.notice}` } },
  listNoticeEntries: { allowed: 'public', request: { method: 'GET', url: `/v1/notices/${f.notice}/entries` } },
  createNotice: { allowed: ['editorOwn', 'admin', 'clientScoped'], request: { method: 'POST', url: '/v1/notices', payload: { departmentCode: 'civil_affairs', domainCode: 'nowhere', kind: 'other', title: 'x', ruleCode: 'PUBLICITY_7D', channels: ['portal'] } } },
  updateNotice: { allowed: ['editorOwn', 'admin', 'clientScoped'], request: { method: 'PATCH', url: `/v1/notices/${f.notice}`, headers: { 'if-match': '"stale"' }, payload: { title: 'x' } } },
  replaceNoticeEntries: { allowed: ['editorOwn', 'admin', 'clientScoped'], request: { method: 'PUT', url: `/v1/notices/${f.notice}/entries`, headers: { 'if-match': '"stale"' }, payload: { entries: [] } } },
  submitNotice: { allowed: ['editorOwn', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/notices/${f.notice}/submit`, payload: {} } },
  approveNotice: { allowed: ['reviewer', 'admin'], request: { method: 'POST', url: `/v1/notices/${f.notice}/approve`, payload: {} } },
  rejectNotice: { allowed: ['reviewer', 'admin'], request: { method: 'POST', url: `/v1/notices/${f.notice}/reject`, payload: { comment: 'x' } } },
  publishNotice: { allowed: ['editorOwn', 'reviewer', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/notices/${f.notice}/publish`, payload: {} } },
  withdrawNotice: { allowed: ['editorOwn', 'reviewer', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/notices/${f.notice}/withdraw`, payload: { reason: 'x' } } },
  concludeNotice: { allowed: ['editorOwn', 'reviewer', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/notices/${f.notice}/conclude`, payload: { outcome: 'no_objection' } } },
  reviseNotice: { allowed: ['editorOwn', 'reviewer', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/notices/${f.notice}/revisions` } },
  recordNoticeDecision: { allowed: ['editorOwn', 'reviewer', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/notices/${f.notice}/decision`, payload: { decidedAt: '2026-01-01T00:00:00Z' } } },
  submitObjection: { allowed: 'public', request: { method: 'POST', url: `/v1/notices/${f.notice}/objections`, payload: { name: 'x', contact: 'x@example.com', reason: 'xxxxxx', channel: 'portal' } } },
  getObjectionStatus: { allowed: 'public', request: { method: 'GET', url: `/v1/objections/${f.receipt}` } },
  dismissObjections: { allowed: ['reviewer', 'admin'], request: { method: 'POST', url: `/v1/notices/${f.notice}/objections/dismiss`, payload: { addressHash: '0'.repeat(64), reply: 'x' } } },
  listNoticeObjections: { allowed: ['editorOwn', 'reviewer', 'admin', 'clientScoped'], request: { method: 'GET', url: `/v1/notices/${f.notice}/objections` } },
  assignObjection: { allowed: ['editorOwn', 'reviewer', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/objections/${f.receipt}/assign`, payload: { assignee: 'x' } } },
  resolveObjection: { allowed: ['reviewer', 'admin'], request: { method: 'POST', url: `/v1/objections/${f.receipt}/resolve`, payload: { outcome: 'upheld', reply: 'x' } } },
  // Catalog: the demo catalog is published as version 1 and a draft version 2 is open, so every
  // allowed write answers 409/412/422 and nothing changes between callers.
  listItems: { allowed: 'public', request: { method: 'GET', url: '/v1/items' } },
  getItem: { allowed: 'public', request: { method: 'GET', url: '/v1/items/disaster_relief.policy' } },
  listItemHistory: { allowed: 'public', request: { method: 'GET', url: '/v1/items/disaster_relief.policy/history' } },
  createItem: { allowed: ['editorOwn', 'admin', 'clientScoped'], request: { method: 'POST', url: '/v1/items', payload: itemBody({ domain: 'nowhere' }) } },
  updateItem: { allowed: ['editorOwn', 'admin', 'clientScoped'], request: { method: 'PATCH', url: '/v1/items/disaster_relief.policy', headers: { 'if-match': '"stale"' }, payload: { secondLevel: 'x' } } },
  retireItem: { allowed: ['editorOwn', 'admin', 'clientScoped'], request: { method: 'POST', url: '/v1/items/disaster_relief.policy/retire', headers: { 'if-match': '"stale"' } } },
  reinstateItem: { allowed: ['editorOwn', 'admin', 'clientScoped'], request: { method: 'POST', url: '/v1/items/disaster_relief.policy/reinstate', headers: { 'if-match': '"stale"' } } },
  importItems: { allowed: ['editorOwn', 'admin', 'clientScoped'], request: { method: 'POST', url: '/v1/items/bulk?department=civil_affairs&dryRun=true', payload: [] } },
  exportItems: { allowed: 'public', request: { method: 'GET', url: '/v1/items/export?format=json' } },
  exportCatalogVersion: { allowed: 'public', request: { method: 'GET', url: '/v1/catalog/versions/1/export?format=json' } },
  listCatalogVersions: { allowed: 'public', request: { method: 'GET', url: '/v1/catalog/versions' } },
  getCatalogVersion: { allowed: 'public', request: { method: 'GET', url: '/v1/catalog/versions/1' } },
  listCatalogVersionItems: { allowed: 'public', request: { method: 'GET', url: '/v1/catalog/versions/current/items' } },
  diffCatalogVersions: { allowed: 'public', request: { method: 'GET', url: '/v1/catalog/versions/1/diff/current' } },
  getCatalogSettings: { allowed: 'public', request: { method: 'GET', url: '/v1/catalog/settings' } },
  createCatalogVersion: { allowed: ['admin', 'clientScoped'], request: { method: 'POST', url: '/v1/catalog/versions', payload: { changeNote: '第三版' } } },
  updateCatalogVersion: { allowed: ['admin', 'clientScoped'], request: { method: 'PATCH', url: '/v1/catalog/versions/1', headers: { 'if-match': '"stale"' }, payload: { changeNote: 'x' } } },
  submitCatalogVersion: { allowed: ['admin', 'clientScoped'], request: { method: 'POST', url: '/v1/catalog/versions/1/submit', payload: {} } },
  publishCatalogVersion: { allowed: ['admin', 'clientScoped'], request: { method: 'POST', url: '/v1/catalog/versions/1/publish', payload: {} } },
  withdrawCatalogVersion: { allowed: ['admin', 'clientScoped'], request: { method: 'POST', url: '/v1/catalog/versions/1/withdraw', payload: { reason: 'x' } } },
  approveCatalogVersion: { allowed: ['admin'], request: { method: 'POST', url: '/v1/catalog/versions/1/approve', payload: {} } },
  rejectCatalogVersion: { allowed: ['admin'], request: { method: 'POST', url: '/v1/catalog/versions/1/reject', payload: { comment: 'x' } } },
  updateCatalogSettings: { allowed: ['admin', 'clientScoped'], request: { method: 'PUT', url: '/v1/catalog/settings', headers: { 'if-match': '"stale"' }, payload: { levels: ['county', 'township'] } } },
  // Reports and posts: an accepted report and a withdrawn post of civil_affairs refuse every change.
  listReports: { allowed: ['editorOwn', 'editorOther', 'reviewer', 'admin', 'auditor'], request: { method: 'GET', url: '/v1/reports' } },
  createReport: { allowed: ['editorOwn', 'admin', 'clientScoped'], request: { method: 'POST', url: '/v1/reports', payload: { departmentCode: 'civil_affairs', period: '2099-01' } } },
  getReportingSummary: { allowed: ['admin', 'auditor'], request: { method: 'GET', url: '/v1/reports/summary?month=2026-02' } },
  exportReports: { allowed: ['admin', 'auditor'], request: { method: 'GET', url: '/v1/reports/export?month=2026-02&format=markdown' } },
  getReportSettings: { allowed: ['editorOwn', 'editorOther', 'reviewer', 'admin', 'auditor'], request: { method: 'GET', url: '/v1/reports/settings' } },
  updateReportSettings: { allowed: ['admin', 'clientScoped'], request: { method: 'PUT', url: '/v1/reports/settings', headers: { 'if-match': '"stale"' }, payload: { dueRule: { type: 'nth_working_day_of_next_month', n: 5 }, departments: null, pilotPhases: [] } } },
  getReport: { allowed: ['editorOwn', 'reviewer', 'admin', 'auditor'], request: { method: 'GET', url: `/v1/reports/${f.report}` } },
  updateReport: { allowed: ['editorOwn', 'admin', 'clientScoped'], request: { method: 'PATCH', url: `/v1/reports/${f.report}`, headers: { 'if-match': '"stale"' }, payload: { progress: 'x' } } },
  submitReport: { allowed: ['editorOwn', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/reports/${f.report}/submit`, payload: {} } },
  acceptReport: { allowed: ['admin'], request: { method: 'POST', url: `/v1/reports/${f.report}/accept`, payload: {} } },
  returnReport: { allowed: ['admin'], request: { method: 'POST', url: `/v1/reports/${f.report}/return`, payload: { comment: 'x' } } },
  listPosts: { allowed: 'public', request: { method: 'GET', url: '/v1/posts' } },
  getPost: { allowed: 'public', request: { method: 'GET', url: `/v1/posts/${f.post}` } },
  createPost: { allowed: ['editorOwn', 'admin', 'clientScoped'], request: { method: 'POST', url: '/v1/posts', payload: { departmentCode: 'civil_affairs', domainCode: 'nowhere', category: 'case', title: 'x' } } },
  updatePost: { allowed: ['editorOwn', 'admin', 'clientScoped'], request: { method: 'PATCH', url: `/v1/posts/${f.post}`, headers: { 'if-match': '"stale"' }, payload: { title: 'x' } } },
  submitPost: { allowed: ['editorOwn', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/posts/${f.post}/submit`, payload: {} } },
  approvePost: { allowed: ['reviewer', 'admin'], request: { method: 'POST', url: `/v1/posts/${f.post}/approve`, payload: {} } },
  rejectPost: { allowed: ['reviewer', 'admin'], request: { method: 'POST', url: `/v1/posts/${f.post}/reject`, payload: { comment: 'x' } } },
  publishPost: { allowed: ['editorOwn', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/posts/${f.post}/publish`, payload: {} } },
  withdrawPost: { allowed: ['editorOwn', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/posts/${f.post}/withdraw`, payload: { reason: 'x' } } },
  getAssessment: { allowed: ['admin', 'auditor'], request: { method: 'GET', url: '/v1/assessment?from=2026-01-01&to=2026-01-31' } },
  getAssessmentSettings: { allowed: ['admin', 'auditor'], request: { method: 'GET', url: '/v1/assessment/settings' } },
  updateAssessmentSettings: { allowed: ['admin'], request: { method: 'PUT', url: '/v1/assessment/settings', headers: { 'if-match': '"stale"' }, payload: { weights: { catalog_completeness: 20, timeliness: 25, periods_honoured: 20, objections_answered: 15, reports_on_time: 20 } } } },
  // Applications: the fixture application of civil_affairs is answered, so every action is refused
  // after authorization (409/404/422) and nothing changes between callers.
  createApplication: { allowed: 'public', request: { method: 'POST', url: '/v1/applications', payload: { departmentCode: 'nowhere', channel: 'portal', applicant: { type: 'natural_person', name: '赵强' }, request: 'x' } } },
  getApplication: { allowed: 'public', request: { method: 'GET', url: `/v1/applications/${f.application}` } },
  listApplications: { allowed: ['editorOwn', 'editorOther', 'reviewer', 'admin', 'auditor'], request: { method: 'GET', url: '/v1/applications' } },
  listApplicationDeadlines: { allowed: ['editorOwn', 'editorOther', 'reviewer', 'admin', 'auditor'], request: { method: 'GET', url: '/v1/application-deadlines' } },
  requestApplicationCorrection: { allowed: ['editorOwn', 'reviewer', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/applications/${f.application}/correction-request`, payload: { items: 'x', dueDate: '2099-01-01' } } },
  receiveApplicationCorrection: { allowed: ['editorOwn', 'reviewer', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/applications/${f.application}/correction`, payload: { receivedAt: '2026-03-01T00:00:00Z' } } },
  requestApplicationExtension: { allowed: ['editorOwn', 'reviewer', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/applications/${f.application}/extension`, payload: { days: 5, reason: 'x' } } },
  approveApplicationExtension: { allowed: ['reviewer', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/applications/${f.application}/extension/approve`, payload: {} } },
  addApplicationConsultation: { allowed: ['editorOwn', 'reviewer', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/applications/${f.application}/consultations`, payload: { consultee: 'x', consulteeKind: 'agency', sentAt: '2026-03-01T00:00:00Z' } } },
  answerApplicationConsultation: { allowed: ['editorOwn', 'reviewer', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/applications/${f.application}/consultations/9/answer`, payload: { answeredAt: '2026-03-01T00:00:00Z', answer: 'x' } } },
  noticeApplicationFee: { allowed: ['editorOwn', 'reviewer', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/applications/${f.application}/fee`, payload: { amount: '10', noticedAt: '2026-03-01T00:00:00Z' } } },
  payApplicationFee: { allowed: ['editorOwn', 'reviewer', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/applications/${f.application}/fee/payment`, payload: { paidAt: '2026-03-01T00:00:00Z' } } },
  saveApplicationReply: { allowed: ['editorOwn', 'reviewer', 'admin', 'clientScoped'], request: { method: 'PUT', url: `/v1/applications/${f.application}/reply`, headers: { 'if-match': '*' }, payload: { outcome: 'disclosed', legalBasis: 'x', document: 'x', deliveryMethod: 'post' } } },
  moveApplicationReply: { allowed: ['editorOwn', 'reviewer', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/applications/${f.application}/reply/send`, payload: {} } },
  addApplicationRemedy: { allowed: ['editorOwn', 'reviewer', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/applications/${f.application}/remedies`, payload: { kind: 'review', filedAt: '2099-01-01T00:00:00Z' } } },
  decideApplicationRemedy: { allowed: ['editorOwn', 'reviewer', 'admin', 'clientScoped'], request: { method: 'POST', url: `/v1/applications/${f.application}/remedies/9/outcome`, payload: { outcome: 'upheld', decidedAt: '2026-03-01T00:00:00Z' } } },
  // Annual reports: year 2099 has nothing published and is refused after authorization (404/422).
  getAnnualReport: { allowed: 'public', request: { method: 'GET', url: '/v1/annual-reports/2099?department=civil_affairs' } },
  saveAnnualReport: { allowed: ['editorOwn', 'admin', 'clientScoped'], request: { method: 'PUT', url: '/v1/annual-reports/2099?department=civil_affairs', payload: { overview: 'x' } } },
  moveAnnualReport: { allowed: ['editorOwn', 'reviewer', 'admin'], request: { method: 'POST', url: '/v1/annual-reports/2099/submit?department=civil_affairs', payload: {} } },
  exportAnnualReport: { allowed: 'public', request: { method: 'GET', url: '/v1/annual-reports/2099/export?department=civil_affairs&format=markdown' } },
  getAnnualReportRollup: { allowed: ['admin', 'auditor'], request: { method: 'GET', url: '/v1/annual-reports/2099/departments' } },
  // Changes and webhooks: the feed is public (staff types filtered by scope); webhooks need webhooks:manage
  // (the unscoped client holds exactly that); the endpoint addressed does not exist (404 once allowed).
  getMetrics: { allowed: ['admin'], request: { method: 'GET', url: '/metrics' } },
  listChanges: { allowed: 'public', request: { method: 'GET', url: '/v1/changes?after=now' } },
  listEventTypes: { allowed: 'public', request: { method: 'GET', url: '/v1/event-types' } },
  createWebhook: { allowed: ['admin', 'clientUnscoped'], request: { method: 'POST', url: '/v1/webhooks', payload: { url: 'https://127.0.0.1/refused' } } },
  listWebhooks: { allowed: ['admin', 'clientUnscoped'], request: { method: 'GET', url: '/v1/webhooks' } },
  getWebhook: { allowed: ['admin', 'clientUnscoped'], request: { method: 'GET', url: `/v1/webhooks/${noWebhook}` } },
  updateWebhook: { allowed: ['admin', 'clientUnscoped'], request: { method: 'PATCH', url: `/v1/webhooks/${noWebhook}`, headers: { 'if-match': '"x"' }, payload: { status: 'paused' } } },
  deleteWebhook: { allowed: ['admin', 'clientUnscoped'], request: { method: 'DELETE', url: `/v1/webhooks/${noWebhook}` } },
  rotateWebhookSecret: { allowed: ['admin', 'clientUnscoped'], request: { method: 'POST', url: `/v1/webhooks/${noWebhook}/rotate-secret` } },
  testWebhook: { allowed: ['admin', 'clientUnscoped'], request: { method: 'POST', url: `/v1/webhooks/${noWebhook}/test` } },
  recoverWebhook: { allowed: ['admin', 'clientUnscoped'], request: { method: 'POST', url: `/v1/webhooks/${noWebhook}/recover`, payload: { since: '2026-01-01T00:00:00Z' } } },
  listWebhookAttempts: { allowed: ['admin', 'clientUnscoped'], request: { method: 'GET', url: `/v1/webhooks/${noWebhook}/attempts` } },
  listReviewDeadlines: { allowed: ['editorOwn', 'editorOther', 'reviewer', 'admin', 'auditor'], request: { method: 'GET', url: '/v1/review-deadlines' } },
})

const noWebhook = '00000000-0000-4000-8000-000000000000'

interface Fixtures {
  notice: string
  receipt: string
  report: string
  post: string
  application: string
}

/** A civil_affairs notice that was published, objected to (objection rejected) and withdrawn. */
async function fixtures(app: any, editor: string, reviewer: string, admin: string): Promise<Fixtures> {
  const call = async (method: string, url: string, token: string | null, payload?: unknown) => {
    const res = await app.inject({ method, url, headers: token ? bearer(token) : {}, payload })
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.body}`)
    return json(res)
  }
  const notice = (await call('POST', '/v1/notices', editor, { departmentCode: 'civil_affairs', domainCode: 'disaster_relief', kind: 'relief_recipients', title: '救助对象名单', ruleCode: 'PUBLICITY_7D', channels: ['portal'] })).id
  await call('POST', `/v1/notices/${notice}/submit`, editor, {})
  await call('POST', `/v1/notices/${notice}/approve`, reviewer, {})
  await call('POST', `/v1/notices/${notice}/publish`, editor, {})
  const { receipt } = await call('POST', `/v1/notices/${notice}/objections`, null, { name: '赵强', contact: 'zq@example.com', reason: '名单有误，请核实。', channel: 'portal' })
  await call('POST', `/v1/objections/${receipt}/resolve`, reviewer, { outcome: 'rejected', reply: '核实无误。' })
  await call('POST', `/v1/notices/${notice}/withdraw`, editor, { reason: '测试用' })
  const report = (await call('POST', '/v1/reports', editor, { departmentCode: 'civil_affairs', type: 'monthly', period: '2026-02', ...fullSections })).id
  await call('POST', `/v1/reports/${report}/submit`, editor, {})
  await call('POST', `/v1/reports/${report}/accept`, admin, {})
  const post = (await call('POST', '/v1/posts', editor, { departmentCode: 'civil_affairs', domainCode: 'disaster_relief', category: 'case', title: '救助名单公示到村' })).id
  await call('POST', `/v1/posts/${post}/submit`, editor, {})
  await call('POST', `/v1/posts/${post}/approve`, reviewer, {})
  await call('POST', `/v1/posts/${post}/publish`, editor, {})
  await call('POST', `/v1/posts/${post}/withdraw`, editor, { reason: '测试用' })
  const application = (await call('POST', '/v1/applications', editor, { departmentCode: 'civil_affairs', channel: 'post', receivedAt: '2026-03-01T02:00:00Z', applicant: { type: 'natural_person', name: '赵强' }, request: '申请公开救助名单。' })).receipt
  await call('PUT', `/v1/applications/${application}/reply`, editor, { outcome: 'disclosed', legalBasis: '条例第三十六条', document: '答复书', deliveryMethod: 'post' })
  await call('POST', `/v1/applications/${application}/reply/submit`, editor, {})
  await call('POST', `/v1/applications/${application}/reply/approve`, reviewer, {})
  await call('POST', `/v1/applications/${application}/reply/send`, editor, {})
  return { notice, receipt, report, post, application }
}

t.test('every operation refuses and admits exactly the callers it should', async (t) => {
  const { app } = await buildTestApp(t)
  const tokens: Record<Caller, string | null> = {
    anonymous: null,
    editorOwn: await tokenOf(userWith(app, 'editor', 'civil_affairs')),
    editorOther: await tokenOf(userWith(app, 'editor', 'housing')),
    reviewer: await tokenOf(userWith(app, 'reviewer', 'civil_affairs')),
    admin: await tokenOf(userWith(app, 'admin', undefined, 'the.admin')),
    auditor: await tokenOf(userWith(app, 'auditor')),
    clientScoped: (await clientWith(app, ['items:write', 'catalog:publish', 'notices:write', 'reports:write', 'posts:write', 'applications:write', 'calendar:write', 'accounts:read', 'audit:read', 'read:private'])).token,
    clientUnscoped: (await clientWith(app, ['webhooks:manage'])).token,
  }
  const table = cases(await fixtures(app, tokens.editorOwn!, tokens.reviewer!, tokens.admin!))
  await seedDemoCatalog(app.db, '230202', app.clock.now())
  const draft = await app.inject({ method: 'POST', url: '/v1/catalog/versions', headers: bearer(tokens.admin!), payload: { changeNote: '第二版' } })
  t.equal(draft.statusCode, 201, 'an open draft version 2')
  const spec = json(await app.inject({ method: 'GET', url: '/openapi.json' }))
  const operations: string[] = []
  for (const item of Object.values<any>(spec.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) if (item[method]) operations.push(item[method].operationId)
  }
  for (const operationId of operations) {
    const c = table[operationId]
    if (!c) {
      t.fail(`${operationId} has no row in the authorization matrix: add one`)
      continue
    }
    for (const caller of callers) {
      const token = tokens[caller]
      const res = await app.inject({ ...c.request, headers: { ...(c.request.headers ?? {}), ...(token ? bearer(token) : {}) } } as any)
      const allowed = c.allowed === 'public' || c.allowed.includes(caller)
      if (allowed) t.notOk([401, 403].includes(res.statusCode), `${operationId} × ${caller}: allowed (got ${res.statusCode})`)
      else t.equal(res.statusCode, caller === 'anonymous' ? 401 : 403, `${operationId} × ${caller}: refused`)
      if (!allowed) t.match(res.headers['content-type'], /application\/problem\+json/)
    }
  }
  for (const id of Object.keys(table)) t.ok(operations.includes(id), `${id} is still an operation`)
})

async function tokenOf(user: Promise<{ token: string }>) {
  return (await user).token
}
