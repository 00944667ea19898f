// Which events an endpoint receives: the types it asked for (all when none), its departments and
// domains (all when none), its publication channels (all when none; events that carry no channels —
// a catalog version, the calendar — are not about a channel and pass), and staff types only when its
// creator could read them (events:read).
import type { EventRow } from '../events/tables.js'
import { typeMatches } from '../events/types.js'
import type { WebhookEndpointRow } from './tables.js'

export function matchesEndpoint(endpoint: Pick<WebhookEndpointRow, 'types' | 'departments' | 'domains' | 'channels' | 'staffEvents'>, event: Pick<EventRow, 'type' | 'audience' | 'departmentCode' | 'domainCode' | 'data'>): boolean {
  if (event.audience !== 'public' && !endpoint.staffEvents) return false
  if (endpoint.types.length && !endpoint.types.some((p) => typeMatches(event.type, p))) return false
  if (endpoint.departments.length && !endpoint.departments.includes(event.departmentCode ?? '')) return false
  if (endpoint.domains.length && !endpoint.domains.includes(event.domainCode ?? '')) return false
  const channels = event.data.channels
  if (endpoint.channels.length && Array.isArray(channels) && !endpoint.channels.some((c) => channels.includes(c))) return false
  return true
}
