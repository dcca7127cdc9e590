/**
 * The real-world test world, run inside a private network namespace that the test makes (tests/helpers/
 * netns.ts): the replica portals listen on port 80 of public IPv4 and IPv6 addresses under .gov.cn names
 * (a hosts file mounted over /etc/hosts in the namespace's own mount table), and sentinels listen where a
 * crawler must never go — loopback, a private address, the cloud metadata address. Nothing here is reachable
 * from the machine outside the namespace, and nothing in it can reach out.
 *
 * Protocol: the first stdout line is `{"ready":true,…}`; then each JSON line on stdin is an operation
 * (`{"id":1,"op":"log"}`) answered by one JSON line `{"id":1,"result":…}` or `{"id":1,"error":"…"}`.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createInterface } from 'node:readline';
import { startReplica, SITES, type Binding, type SiteName } from '../../shared/demo/replica/server.ts';
import { ReplicaState } from '../../shared/demo/replica/state.ts';
import { seasonStates } from '../../shared/demo/season.ts';
import { CANARY, WORLD_SITES, SENTINELS } from './world-map.ts';

/** `season` (default): the watchdog season of the demo; `fresh`: every portal with its six reports published on time. */
const scenario = process.env.WORLD_SCENARIO ?? 'season';
const states = { ...Object.fromEntries(SITES.map((s) => [s, new ReplicaState()])), ...(scenario === 'season' ? seasonStates() : {}) } as Record<
  SiteName,
  ReplicaState
>;
const bind = Object.fromEntries(
  Object.entries(WORLD_SITES).map(([site, w]) => [site, { address: w.address, port: 80, hostname: w.hostname } satisfies Binding]),
);
const replica = await startReplica(new ReplicaState(), states, bind);

/** Requests that reached a sentinel: each one is a crawler steered into the machine's own network. */
const hits: { sentinel: string; method: string; url: string }[] = [];
const sentinels: Server[] = [];
for (const address of SENTINELS) {
  const server = createServer((req, res) => {
    hits.push({ sentinel: address, method: req.method ?? 'GET', url: req.url ?? '/' });
    res.writeHead(200, { 'content-type': 'text/html' }).end('<p>secret: the machine’s own network</p>');
  });
  await new Promise<void>((r) => server.listen(80, address, () => r()));
  sentinels.push(server);
}

// The canary answers every request, as a large portal does: its front page, whatever the path.
const canary = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<title>中国政府网</title>'));
await new Promise<void>((r) => canary.listen(80, CANARY.address, () => r()));

const publicAddresses = [...Object.values(WORLD_SITES).map((w) => w.address), CANARY.address];
function network(up: boolean): void {
  for (const a of publicAddresses) {
    const v6 = a.includes(':');
    execFileSync('ip', [...(v6 ? ['-6'] : []), 'addr', up ? 'add' : 'del', `${a}/${v6 ? 128 : 32}`, 'dev', 'lo', ...(v6 && up ? ['nodad'] : [])]);
  }
}

type Op =
  | { op: 'log' }
  | { op: 'clear-log' }
  | { op: 'network'; up: boolean }
  | {
      op: 'state';
      site: SiteName;
      action: 'change' | 'publish' | 'remove' | 'corrupt' | 'down' | 'up' | 'fail-page' | 'heal-page' | 'ofd';
      year?: number;
      date?: string;
      page?: number;
    };

function apply(o: Op): unknown {
  switch (o.op) {
    case 'log':
      return { requests: replica.log.map(({ site, method, path }) => ({ site, method, path })), sentinelHits: hits };
    case 'clear-log':
      replica.log.length = 0;
      hits.length = 0;
      return true;
    case 'network':
      network(o.up);
      return true;
    case 'state': {
      const s = states[o.site];
      if (o.action === 'change') s.change(o.year!);
      else if (o.action === 'publish') s.publish(o.year!, o.date);
      else if (o.action === 'remove') s.remove(o.year!);
      else if (o.action === 'corrupt') s.corrupt(o.year!);
      else if (o.action === 'down' || o.action === 'up') s.down = o.action === 'down';
      else if (o.action === 'fail-page') s.failingPages.add(o.page!);
      // The year's attachment served as an OFD package under its .doc link (replica/server.ts).
      else if (o.action === 'ofd') s.reports.get(o.year!)!.attachmentOfd = true;
      else s.failingPages.delete(o.page!);
      return true;
    }
  }
}

process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid, origins: Object.fromEntries(SITES.map((s) => [s, replica.origin(s)])) })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const msg = JSON.parse(line) as Op & { id: number };
  try {
    process.stdout.write(`${JSON.stringify({ id: msg.id, result: apply(msg) })}\n`);
  } catch (e) {
    process.stdout.write(`${JSON.stringify({ id: msg.id, error: (e as Error).message })}\n`);
  }
}
await replica.close();
for (const s of sentinels) s.close();
canary.close();
