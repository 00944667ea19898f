// A department or domain named in a request body the way people write it (issue 12: "one resolver, used
// by bulk import, notices, reports"): `departmentCode` may hold the code or any name the resolver knows
// (区住建局, 龙沙区住房和城乡建设局), `domainCode` the code or a domain's name or alias. Resolved before
// validation and authorization, so that both see the code; an ambiguous name is refused naming the
// candidates, an unknown one is left for the service to refuse as it always did.
import type { FastifyRequest } from 'fastify'
import { unprocessable } from '../../lib/problems.js'
import { loadDepartmentDirectory, loadDomainDirectory } from './resolve.js'

/** Longer than any code or name (the schemas cap both fields at 64): left for validation to refuse. */
const LONGEST_NAME = 64

/** Says how a name is resolved, for the fields' OpenAPI descriptions. */
export const departmentFieldDescription = "The department's code, or any name it answers to (`区住建局`, `龙沙区住房和城乡建设局`): resolved as `GET /v1/departments?name=` shows; an ambiguous name is refused (422) naming the candidates."
export const domainFieldDescription = "The domain's code, or its name or an alias (`国有土地上房屋征收与补偿`)."

function textIn(request: FastifyRequest, field: string): { body: Record<string, unknown>; text: string } | null {
  const body = request.body as Record<string, unknown> | null | undefined
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null
  const text = body[field]
  if (typeof text !== 'string' || text.trim() === '' || text.length > LONGEST_NAME) return null
  return { body, text }
}

/** preValidation: the name in `body.departmentCode` (and `body.domainCode`, when `domains`) replaced by its code. */
export function resolveNamedFields({ domains = false } = {}) {
  return async (request: FastifyRequest): Promise<void> => {
    const department = textIn(request, 'departmentCode')
    if (department) {
      const regionCode = request.principal?.regionCode ?? request.server.config.defaultRegion
      const resolution = (await loadDepartmentDirectory(request.server.db, regionCode)).resolve(department.text)
      if (resolution.status === 'resolved') department.body.departmentCode = resolution.code
      else if (resolution.status === 'ambiguous') {
        throw unprocessable(`${department.text} names several departments; write one of their codes.`, [{ pointer: '/body/departmentCode', message: `ambiguous: ${resolution.candidates.join(', ')}` }])
      }
    }
    const domain = domains ? textIn(request, 'domainCode') : null
    if (domain) {
      const resolution = (await loadDomainDirectory(request.server.db)).resolve(domain.text)
      if (resolution.status === 'resolved') domain.body.domainCode = resolution.code
      else if (resolution.status === 'ambiguous') {
        throw unprocessable(`${domain.text} names several domains; write one of their codes.`, [{ pointer: '/body/domainCode', message: `ambiguous: ${resolution.candidates.join(', ')}` }])
      }
    }
  }
}
