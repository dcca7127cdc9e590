/**
 * The addresses and names of the test world (tests/netns/world.ts): each replica portal on a public address of a
 * Chinese operator's range (China Telecom 202.96.0.0/12, China Unicom 61.135.0.0/16, China Telecom IPv6 240e::/20)
 * under a .gov.cn name, and the sentinels a crawler must never reach.
 */
import type { SiteName } from '../../shared/demo/replica/server.ts';

export const WORLD_SITES: Record<SiteName, { address: string; hostname: string }> = {
  trs: { address: '202.96.134.10', hostname: 'www.jiaqu.gov.cn' },
  trsGbk: { address: '202.96.134.11', hostname: 'jyj.yiqu.gov.cn' },
  hanweb: { address: '240e:e0:8a5::12', hostname: 'www.bingqu.gov.cn' },
  jslist: { address: '202.96.134.13', hostname: 'www.jsqu.gov.cn' },
  challenge: { address: '202.96.134.14', hostname: 'www.rsqu.gov.cn' },
  quirks: { address: '202.96.134.15', hostname: 'www.quirks.gov.cn' },
  trs2: { address: '61.135.169.20', hostname: 'www.dingqu.gov.cn' },
  trs3: { address: '61.135.169.21', hostname: 'www.wuqu.gov.cn' },
  trs4: { address: '61.135.169.22', hostname: 'www.jiqu.gov.cn' },
  dynamic: { address: '61.135.169.23', hostname: 'www.xinqu.gov.cn' },
  hostile: { address: '61.135.169.24', hostname: 'www.hostile.gov.cn' },
};

/**
 * The canary (shared/crawl/canary.ts): the central government's portal, a page that answers whenever the network
 * does. It goes down with the portals when the test takes the world's network down.
 */
export const CANARY = { address: '61.135.169.30', hostname: 'www.gov.cn' } as const;

/** Where the machine's own network is: loopback, a private address, the cloud metadata service (IPv4 and IPv6 loopback). */
export const SENTINELS = ['127.0.0.1', '10.0.0.5', '169.254.169.254', '::1'] as const;

/** Names that lead into the machine's own network (a hijacked or careless DNS record). */
export const INTERNAL_NAMES: Record<string, string> = {
  'intranet.example.gov.cn': '127.0.0.1',
  'meta.example.gov.cn': '169.254.169.254',
};

/** The hosts file of the world: every portal's name, and the internal names. */
export function hostsFile(): string {
  const lines = ['127.0.0.1 localhost', '::1 localhost ip6-localhost'];
  for (const w of [...Object.values(WORLD_SITES), CANARY]) lines.push(`${w.address} ${w.hostname}`);
  for (const [name, address] of Object.entries(INTERNAL_NAMES)) lines.push(`${address} ${name}`);
  return `${lines.join('\n')}\n`;
}

/** The shell commands that give the namespace's loopback the world's addresses. */
export function addressCommands(): string[] {
  const out = ['ip link set lo up', 'ip addr add 10.0.0.5/32 dev lo', 'ip addr add 169.254.169.254/32 dev lo'];
  for (const w of [...Object.values(WORLD_SITES), CANARY])
    out.push(w.address.includes(':') ? `ip -6 addr add ${w.address}/128 dev lo nodad` : `ip addr add ${w.address}/32 dev lo`);
  return out;
}
