/**
 * Address safety against the IANA special-purpose address registries (IPv4 and IPv6): public portals pass,
 * every special-purpose range and every IPv4-embedding form of one is refused, with and without the
 * private-network switch (which never opens link-local or metadata addresses).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addressAllowed, classifyAddress, isUnsafeAddress } from '../../shared/crawl/address.ts';

afterEach(() => {
  delete process.env.NIANBAO_ALLOW_PRIVATE_NETWORK;
});

/** Real portal and resolver addresses (China Telecom, Unicom, Alibaba DNS, Google, IPv6 of China Telecom). */
const PUBLIC = [
  '8.8.8.8',
  '202.96.134.133',
  '61.135.169.121',
  '223.5.5.5',
  '1.1.1.1',
  '114.114.114.114',
  '240e:83:205:58::3',
  '2400:3200::1',
  '2001:4860:4860::8888',
  '::ffff:8.8.8.8',
  '::ffff:202.96.134.133',
  '64:ff9b::808:808',
  '2002:ca60:8685::1',
];

/** One address in every special-purpose block (IANA IPv4 / IPv6 Special-Purpose Address Registry). */
const SPECIAL_V4 = [
  '0.0.0.0',
  '0.1.2.3', // 0.0.0.0/8 this network
  '10.0.0.1',
  '10.255.255.255', // 10/8 private
  '100.64.0.1',
  '100.100.100.200',
  '100.127.255.254', // 100.64/10 shared (CGNAT; Alibaba Cloud metadata)
  '127.0.0.1',
  '127.255.255.254', // loopback
  '169.254.0.1',
  '169.254.169.254', // link-local, cloud metadata
  '172.16.0.1',
  '172.31.255.255', // 172.16/12 private
  '192.0.0.1',
  '192.0.0.170', // IETF protocol assignments
  '192.0.2.1',
  '198.51.100.7',
  '203.0.113.9', // TEST-NET-1/2/3
  '192.88.99.1', // 6to4 relay anycast (deprecated)
  '192.168.1.1', // 192.168/16 private
  '198.18.0.1',
  '198.19.255.254', // benchmarking
  '224.0.0.1',
  '239.255.255.250', // multicast
  '240.0.0.1',
  '255.255.255.255', // reserved, limited broadcast
];
const SPECIAL_V6 = [
  '::',
  '::1', // unspecified, loopback
  '::127.0.0.1',
  '::7f00:1', // IPv4-compatible (deprecated)
  '::ffff:127.0.0.1',
  '::ffff:10.0.0.1',
  '::ffff:169.254.169.254',
  '::ffff:0.0.0.0',
  '::ffff:100.64.0.1', // IPv4-mapped forms
  '64:ff9b::7f00:1',
  '64:ff9b::a9fe:a9fe',
  '64:ff9b::c0a8:101', // NAT64 forms of loopback, metadata, private
  '64:ff9b:1::1', // local-use NAT64
  '2002:7f00:1::1',
  '2002:a9fe:a9fe::1', // 6to4 of loopback and metadata
  '100::1', // discard-only
  '2001::1',
  '2001:2::1',
  '2001:db8::1',
  '3fff::1', // Teredo, benchmarking, documentation
  '5f00::1', // SRv6 SIDs
  'fc00::1',
  'fd12:3456::1',
  'fd00:ec2::254', // ULA, AWS IPv6 metadata
  'fe80::1',
  'fec0::1', // link-local, site-local (deprecated)
  'ff02::1', // multicast
  '4000::1', // outside 2000::/3 (unassigned)
];

describe('addressAllowed', () => {
  it('allows public IPv4 and IPv6 addresses (including their IPv4-mapped, NAT64 and 6to4 forms)', () => {
    for (const a of PUBLIC) {
      expect({ a, allowed: addressAllowed(a) }).toEqual({ a, allowed: true });
      expect(classifyAddress(a)).toBe('public');
    }
  });

  it('refuses every special-purpose range of the IANA registries', () => {
    for (const a of [...SPECIAL_V4, ...SPECIAL_V6]) {
      expect({ a, allowed: addressAllowed(a) }).toEqual({ a, allowed: false });
      expect(isUnsafeAddress(a)).toBe(true);
    }
  });

  it('the private-network switch opens loopback and private ranges only, never link-local or metadata', () => {
    process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1';
    for (const a of ['127.0.0.1', '10.0.0.1', '192.168.1.1', '::1', 'fd12:3456::1', '::ffff:127.0.0.2'])
      expect({ a, allowed: addressAllowed(a) }).toEqual({ a, allowed: true });
    for (const a of [
      '169.254.169.254',
      '169.254.1.1',
      'fe80::1',
      'fd00:ec2::254',
      '::ffff:169.254.169.254',
      '64:ff9b::a9fe:a9fe',
      '100.100.100.200',
      '0.0.0.0',
      '224.0.0.1',
    ]) {
      expect({ a, allowed: addressAllowed(a) }).toEqual({ a, allowed: false });
    }
    expect(classifyAddress('169.254.169.254')).toBe('metadata');
    expect(classifyAddress('fd00:ec2::254')).toBe('metadata');
  });

  it('names and junk are not addresses', () => {
    expect(classifyAddress('www.gov.cn')).toBe('invalid');
    expect(addressAllowed('localhost')).toBe(false);
    expect(addressAllowed('')).toBe(false);
  });
});
