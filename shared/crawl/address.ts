/**
 * Address safety: the crawler only talks to public addresses. URLs that resolve to private, loopback,
 * link-local, CGNAT or cloud metadata addresses (169.254.169.254) are refused — at every redirect hop and at
 * connect time (against DNS rebinding). NIANBAO_ALLOW_PRIVATE_NETWORK=1 (tests and the offline demo) allows
 * loopback and private ranges, never link-local/metadata addresses.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
] as const) {
  blocked.addSubnet(net, bits, 'ipv6');
}

/** Link-local and cloud metadata addresses: refused even when private networks are allowed. */
const linkLocal = new BlockList();
linkLocal.addSubnet('169.254.0.0', 16, 'ipv4');
linkLocal.addSubnet('fe80::', 10, 'ipv6');
linkLocal.addAddress('fd00:ec2::254', 'ipv6');

export function privateNetworkAllowed(): boolean {
  return process.env.NIANBAO_ALLOW_PRIVATE_NETWORK === '1';
}

function isLinkLocal(address: string): boolean {
  const family = isIP(address);
  const v4 = family === 6 && address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : null;
  if (v4 && isIP(v4) === 4) return linkLocal.check(v4, 'ipv4');
  return family !== 0 && linkLocal.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether the crawler may connect to `address` (private ones only with NIANBAO_ALLOW_PRIVATE_NETWORK=1). */
export function addressAllowed(address: string): boolean {
  if (isLinkLocal(address)) return false;
  return privateNetworkAllowed() || !isUnsafeAddress(address);
}

/** True for an address the crawler must not reach. */
export function isUnsafeAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 6 && address.toLowerCase().startsWith('::ffff:')) {
    const v4 = address.slice(7);
    if (isIP(v4) === 4) return blocked.check(v4, 'ipv4');
  }
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A dns.lookup for undici's connector that refuses unsafe addresses at connect time. */
export function safeLookup(
  hostname: string,
  options: object,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const list = addresses as LookupAddress[];
    if (list.some((a) => !addressAllowed(a.address))) {
      const e = new Error(`${hostname} resolves to a private or reserved address`) as NodeJS.ErrnoException;
      e.code = 'EUNSAFEADDRESS';
      return callback(e, '');
    }
    if ((options as { all?: boolean }).all) return callback(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
}

/** Checks a URL's host before a request: literal IPs directly, names through DNS. */
export async function checkHost(hostname: string): Promise<'ok' | 'unsafe' | 'dns_error'> {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return addressAllowed(host) ? 'ok' : 'unsafe';
  return new Promise((resolve) => {
    dnsLookup(host, { all: true }, (err, addresses) => {
      if (err) return resolve('dns_error');
      resolve((addresses as LookupAddress[]).every((a) => addressAllowed(a.address)) ? 'ok' : 'unsafe');
    });
  });
}
