/**
 * Address safety: the crawler talks only to public addresses. An address is classified by the IANA
 * special-purpose registries (RFC 6890 and its updates, as encoded by ipaddr.js): only global unicast
 * passes. Forms that embed an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4
 * `2002::/16`) are judged by the IPv4 address inside them, so `::ffff:127.0.0.1` is loopback and
 * `::ffff:8.8.8.8` is public. The check runs before a request (names resolved), at every redirect hop, and at
 * connect time (against DNS rebinding).
 *
 * NIANBAO_ALLOW_PRIVATE_NETWORK=1 (tests on loopback, the offline demo) also admits loopback and private
 * ranges (RFC 1918, IPv6 ULA) — never link-local, where the cloud metadata service lives (169.254.169.254,
 * fd00:ec2::254).
 *
 * Node's BlockList is not used: an IPv6 rule for `::ffff:0:0/96` also matches every plain IPv4 address
 * there (Node 20 and 22), which refused every public portal.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Why an address is refused, or `public`. */
export const ADDRESS_CLASSES = ['public', 'loopback', 'private', 'link_local', 'metadata', 'special', 'invalid'] as const;
export type AddressClass = (typeof ADDRESS_CLASSES)[number];

/** Cloud metadata services outside the link-local ranges (AWS's IPv6 endpoint sits in the ULA range). */
const METADATA = new Set(['fd00:ec2::254']);

function classifyV4(a: ipaddr.IPv4): AddressClass {
  switch (a.range()) {
    case 'unicast':
      return 'public';
    case 'loopback':
      return 'loopback';
    case 'private':
      return 'private';
    case 'linkLocal':
      return a.toString() === '169.254.169.254' ? 'metadata' : 'link_local';
    default:
      // unspecified (0/8), broadcast, multicast, carrierGradeNat (100.64/10, also Alibaba's metadata
      // 100.100.100.200), reserved (192.0.0/24, TEST-NETs, 198.18/15, 240/4), as112, amt
      return 'special';
  }
}

/** The IPv4 address an IPv6 address carries, for the forms that route to it. */
function embeddedV4(a: ipaddr.IPv6): ipaddr.IPv4 | null {
  const range = a.range();
  if (range === 'ipv4Mapped') return a.toIPv4Address();
  const b = a.toByteArray();
  // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052): the last 32 bits. The local-use 64:ff9b:1::/48 is not global.
  if (range === 'rfc6052' && a.parts[2] === 0) return new ipaddr.IPv4(b.slice(12, 16));
  // 6to4 2002:AABB:CCDD::/48 (RFC 3056): bits 16–47.
  if (range === '6to4') return new ipaddr.IPv4(b.slice(2, 6));
  return null;
}

function classifyV6(a: ipaddr.IPv6): AddressClass {
  if (METADATA.has(a.toString())) return 'metadata';
  const v4 = embeddedV4(a);
  if (v4) return classifyV4(v4);
  // ::/96 holds ::, ::1 and the deprecated IPv4-compatible addresses (::127.0.0.1): none is a portal.
  if (a.parts.slice(0, 6).every((p) => p === 0)) return a.parts[7] === 1 && a.parts[6] === 0 ? 'loopback' : 'special';
  switch (a.range()) {
    case 'unicast':
      // Global unicast is 2000::/3 (RFC 4291 §2.4); the rest of "unicast" is unassigned.
      return (a.parts[0]! & 0xe000) === 0x2000 ? 'public' : 'special';
    case 'loopback':
      return 'loopback';
    case 'uniqueLocal':
      return 'private';
    case 'linkLocal':
      return 'link_local';
    default:
      return 'special';
  }
}

/** The class of a literal IP address (`invalid` when it is not one). */
export function classifyAddress(address: string): AddressClass {
  const literal = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIP(literal) === 0) return 'invalid';
  const a = ipaddr.parse(literal);
  return a.kind() === 'ipv4' ? classifyV4(a as ipaddr.IPv4) : classifyV6(a as ipaddr.IPv6);
}

export function privateNetworkAllowed(): boolean {
  return process.env.NIANBAO_ALLOW_PRIVATE_NETWORK === '1';
}

/** Whether the crawler may connect to `address` (loopback/private only with NIANBAO_ALLOW_PRIVATE_NETWORK=1). */
export function addressAllowed(address: string): boolean {
  const c = classifyAddress(address);
  if (c === 'public') return true;
  return privateNetworkAllowed() && (c === 'loopback' || c === 'private');
}

/** True for an address the crawler must not reach whatever the settings (anything but global unicast). */
export function isUnsafeAddress(address: string): boolean {
  return classifyAddress(address) !== 'public';
}

/** The error a refused connection carries (outcome `unsafe_address`). */
export function unsafeAddressError(hostname: string, address: string): NodeJS.ErrnoException {
  const e = new Error(`${hostname} resolves to ${address} (${classifyAddress(address)}), not a public address`) as NodeJS.ErrnoException;
  e.code = 'EUNSAFEADDRESS';
  return e;
}

/** A dns.lookup for connectors (undici, net.connect) that refuses unsafe addresses at connect time. */
export function safeLookup(
  hostname: string,
  options: object,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => !addressAllowed(a.address));
    // Every answer must be safe: a name that also resolves to 127.0.0.1 could be steered there.
    if (bad) return callback(unsafeAddressError(hostname, bad.address), '');
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
