// Which events an endpoint receives: the types it asked for (all when none), its departments and
// domains (all when none), and staff types only when its creator could read them (events:read).
import type { EventRow } from '../events/tables.js'
import { typeMatches } from '../events/types.js'
import type { WebhookEndpointRow } from './tables.js'

export function matchesEndpoint(endpoint: Pick<WebhookEndpointRow, 'types' | 'departments' | 'domains' | 'staffEvents'>, event: Pick<EventRow, 'type' | 'audience' | 'departmentCode' | 'domainCode'>): boolean {
  if (event.audience !== 'public' && !endpoint.staffEvents) return false
  if (endpoint.types.length && !endpoint.types.some((p) => typeMatches(event.type, p))) return false
  if (endpoint.departments.length && !endpoint.departments.includes(event.departmentCode ?? '')) return false
  if (endpoint.domains.length && !endpoint.domains.includes(event.domainCode ?? '')) return false
  return true
}
