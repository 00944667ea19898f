// Where webhooks may be sent (SSRF rule): public addresses over https only, unless configuration
// allow-lists an intranet receiver (WEBHOOK_ALLOW_HOSTS). The rule is applied twice: to the URL when
// an endpoint is registered, and to every address the name resolves to when a delivery dials — the
// connection then goes to the address that was checked (pinned), so a name cannot pass the check and
// then resolve elsewhere (DNS rebinding). Redirects are never followed (delivery.ts).
import { BlockList, isIP } from 'node:net'

/** Loopback, this-network, private, CGNAT, link-local (cloud metadata), benchmarking, multicast and reserved ranges. */
const forbiddenV4 = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.2.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4']
/** Unspecified, loopback, NAT64, discard, documentation, ULA (fc00::/7), link-local, multicast. */
const forbiddenV6 = ['::/128', '::1/128', '64:ff9b::/96', '100::/64', '2001:db8::/32', 'fc00::/7', 'fe80::/10', 'ff00::/8']

const forbidden = new BlockList()
for (const range of forbiddenV4) forbidden.addSubnet(range.split('/')[0]!, Number(range.split('/')[1]), 'ipv4')
for (const range of forbiddenV6) forbidden.addSubnet(range.split('/')[0]!, Number(range.split('/')[1]), 'ipv6')

/** `::ffff:10.0.0.1` and `::ffff:a00:1` are IPv4 addresses in IPv6 clothing: judged as IPv4. */
export function unmapped(address: string): string {
  const plain = address.replace(/^\[|\]$/g, '')
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain)
  if (dotted) return dotted[1]!
  const hex = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(plain)
  if (hex) {
    const hi = parseInt(hex[1]!, 16)
    const lo = parseInt(hex[2]!, 16)
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
  }
  return plain
}

export class AddressRule {
  private readonly allowed = new BlockList()
  private readonly allowedNames = new Set<string>()

  /** `allow`: CIDRs, addresses and host names from WEBHOOK_ALLOW_HOSTS. */
  constructor(allow: readonly string[]) {
    for (const entry of allow) {
      const [address, prefix] = entry.split('/')
      const family = isIP(address ?? '')
      if (family) this.allowed.addSubnet(unmapped(address!), prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix), family === 4 ? 'ipv4' : 'ipv6')
      else this.allowedNames.add(entry.toLowerCase())
    }
  }

  /** Whether a connection may go to this address (after resolution). */
  addressAllowed(address: string): boolean {
    const a = unmapped(address)
    const family = isIP(a)
    if (!family) return false
    const type = family === 4 ? 'ipv4' : 'ipv6'
    if (this.allowed.check(a, type)) return true
    return !forbidden.check(a, type)
  }

  /** Whether the host was allow-listed by name or address (which also permits plain http to it). */
  private hostAllowListed(host: string): boolean {
    const h = unmapped(host.toLowerCase())
    if (this.allowedNames.has(h)) return true
    const family = isIP(h)
    return family !== 0 && this.allowed.check(h, family === 4 ? 'ipv4' : 'ipv6')
  }

  /**
   * Why a URL cannot be an endpoint, or null. https to any name or public address; http only to an
   * allow-listed host; never credentials in the URL; an address literal is judged here already.
   */
  urlProblem(raw: string): string | null {
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      return 'is not a URL'
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL'
    if (url.username || url.password) return 'must not carry credentials (the signature authenticates the API)'
    const host = url.hostname.replace(/^\[|\]$/g, '')
    if (url.protocol === 'http:' && !this.hostAllowListed(host)) return 'must be https (plain http only to an intranet host allow-listed in WEBHOOK_ALLOW_HOSTS)'
    if (isIP(unmapped(host)) && !this.addressAllowed(host)) return `points at a loopback, private, link-local or reserved address (${host}); allow-list it in WEBHOOK_ALLOW_HOSTS if it is an intranet receiver`
    if (/^(localhost|.*\.localhost|.*\.local|.*\.internal)$/i.test(host) && !this.hostAllowListed(host)) return `names a local host (${host})`
    return null
  }
}
