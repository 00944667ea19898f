// Notices and reports take a department (and a notice its domain) the way people write it, through the
// same resolver as bulk import (issue 12): the name becomes the code before the body is checked and the
// editor's grants are; an ambiguous name is a 422 naming the candidates, an unknown one a 422 as before.
import t from 'tap'
import { departments } from '../../src/modules/reference/tables.js'
import { buildTestApp, json } from '../helpers/app.js'
import { bearer, userWith } from '../helpers/auth.js'
import { noticeBody } from '../notices/builders.js'

t.test('a notice named by short department name and domain alias is stored under the codes', async (t) => {
  const { app } = await buildTestApp(t)
  const editor = await userWith(app, 'editor', 'housing')
  const res = await app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(editor.token), payload: noticeBody({ departmentCode: '区住建局', domainCode: '国有土地上房屋征收与补偿' }) })
  t.equal(res.statusCode, 201, res.body)
  t.match(json(res), { departmentCode: 'housing', domainCode: 'demolition_resettlement' })
  // The grants are checked on the resolved code: an editor of another department is still refused.
  const other = await userWith(app, 'editor', 'civil_affairs')
  const refused = await app.inject({ method: 'POST', url: '/v1/notices', headers: bearer(other.token), payload: noticeBody({ departmentCode: '龙沙区住房和城乡建设局' }) })
  t.equal(refused.statusCode, 403, refused.body)
})

t.test('a report names its department the same way; ambiguous and unknown names are refused', async (t) => {
  const { app } = await buildTestApp(t, { now: '2026-03-02T02:00:00Z' })
  const editor = await userWith(app, 'editor', 'civil_affairs')
  const created = await app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(editor.token), payload: { departmentCode: '区民政局', period: '2026-02' } })
  t.equal(created.statusCode, 201, created.body)
  t.equal(json(created).departmentCode, 'civil_affairs')
  // A second body that, without the place, is also 民政局.
  await app.db.insert(departments).values({ regionCode: '230202', code: 'city_civil_affairs', nameZh: '民政局', nameEn: 'Civil Affairs Bureau (city)', kind: 'bureau' })
  const ambiguous = await app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(editor.token), payload: { departmentCode: '区民政局', period: '2026-01' } })
  t.equal(ambiguous.statusCode, 422, ambiguous.body)
  t.same(json(ambiguous).errors, [{ pointer: '/body/departmentCode', message: 'ambiguous: city_civil_affairs, civil_affairs' }])
  const unknown = await app.inject({ method: 'POST', url: '/v1/reports', headers: bearer(editor.token), payload: { departmentCode: '区魔法部', period: '2026-01' } })
  t.not(unknown.statusCode, 201)
  t.ok(unknown.statusCode === 403 || unknown.statusCode === 422, `refused: ${unknown.statusCode}`)
})
