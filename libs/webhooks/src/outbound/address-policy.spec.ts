import { addressKind, addressRefusal } from './address-policy';

describe('webhook address policy', () => {
  it.each<[string, string]>([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['10.0.0.5', 'a private (RFC 1918) address'],
    ['172.16.0.1', 'a private (RFC 1918) address'],
    ['172.31.255.254', 'a private (RFC 1918) address'],
    ['192.168.1.1', 'a private (RFC 1918) address'],
    ['::ffff:10.1.2.3', 'a private (RFC 1918) address'],
    ['fd12:3456::1', 'a unique local (ULA, fc00::/7) address'],
    ['fc00::1', 'a unique local (ULA, fc00::/7) address'],
    ['169.254.1.1', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['100.64.0.1', 'a carrier-grade NAT (CGNAT, 100.64.0.0/10) address'],
    ['224.0.0.1', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['0.0.0.0', 'an unspecified address'],
    ['::', 'an unspecified address'],
    ['255.255.255.255', 'the broadcast address'],
    ['192.0.2.10', 'a reserved address (reserved)'],
    ['2001:db8::1', 'a reserved address (reserved)'],
    ['64:ff9b::7f00:1', 'a reserved address (rfc6052)'],
    ['2002:7f00:1::', 'a reserved address (6to4)'],
    ['169.254.169.254', 'a cloud metadata address'],
    ['fd00:ec2::254', 'a cloud metadata address'],
    ['168.63.129.16', 'a cloud metadata address'],
    ['100.100.100.200', 'a cloud metadata address'],
    ['localhost', 'not an IP address'],
  ])('refuses %s as %s', (address, refusal) => {
    expect(addressRefusal(address, false)).toBe(refusal);
  });

  it.each<[string, string]>([
    ['127.0.0.1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['169.254.1.1', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['192.0.2.10', 'reserved'],
    ['64:ff9b::7f00:1', 'reserved'],
    ['169.254.169.254', 'metadata'],
    ['localhost', 'invalid'],
  ])('names the kind of %s %s, for a screen to say in its own words', (address, kind) => {
    expect(addressKind(address, false)?.kind).toBe(kind);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows the public address %s', (address) => {
    expect(addressRefusal(address, false)).toBeNull();
  });

  it('with WEBHOOK_ALLOW_PRIVATE allows every address but the cloud metadata ones', () => {
    for (const address of ['127.0.0.1', '::1', '10.0.0.5', '192.168.1.1', 'fd12::1', '100.64.0.1', '169.254.1.1']) expect(addressRefusal(address, true)).toBeNull();
    for (const address of ['169.254.169.254', '::ffff:169.254.169.254', 'fd00:ec2::254', '168.63.129.16']) expect(addressRefusal(address, true)).toBe('a cloud metadata address');
  });
});
