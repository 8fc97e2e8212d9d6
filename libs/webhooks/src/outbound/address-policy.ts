import ipaddr from 'ipaddr.js';

/**
 * Instance metadata and platform services of the clouds we may run on: AWS/GCP/Azure/Oracle
 * (169.254.169.254, and fd00:ec2::254 over IPv6), the AWS ECS task endpoint (169.254.170.2), Azure's
 * WireServer (168.63.129.16, a public address), Alibaba (100.100.100.200). Never a webhook target,
 * whatever WEBHOOK_ALLOW_PRIVATE says.
 */
const METADATA_ADDRESSES = new Set(['169.254.169.254', '169.254.170.2', '168.63.129.16', '100.100.100.200', 'fd00:ec2::254']);

/** How each ipaddr.js range reads in a refusal. Anything but global unicast is refused. */
const RANGE_NAMES: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT (CGNAT, 100.64.0.0/10) address',
  private: 'a private (RFC 1918) address',
  uniqueLocal: 'a unique local (ULA, fc00::/7) address',
  deprecatedSiteLocal: 'a site-local address',
};

/**
 * The kind of address a webhook must not connect to (`loopback`, `private`, `metadata`, `invalid`
 * for something that is not an IP address, `reserved` for the other special ranges), or null when
 * it may: only global unicast addresses are allowed, and with `allowPrivate` every address except
 * cloud metadata ones. IPv4 addresses written as IPv6 (::ffff:127.0.0.1) are judged as the IPv4 address.
 */
export function addressKind(address: string, allowPrivate: boolean): { kind: string; description: string } | null {
  if (!ipaddr.isValid(address)) return { kind: 'invalid', description: 'not an IP address' };
  const ip = ipaddr.process(address);
  if (METADATA_ADDRESSES.has(ip.toString())) return { kind: 'metadata', description: 'a cloud metadata address' };
  if (allowPrivate) return null;
  const range = ip.range();
  if (range === 'unicast') return null;
  const named = RANGE_NAMES[range];
  return named ? { kind: range, description: named } : { kind: 'reserved', description: `a reserved address (${range})` };
}

/** Why a webhook must not connect to `address` (e.g. "a loopback address"), or null when it may (see addressKind). */
export function addressRefusal(address: string, allowPrivate: boolean): string | null {
  return addressKind(address, allowPrivate)?.description ?? null;
}
