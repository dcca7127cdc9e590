/**
 * The scale check in a process of its own (its peak memory is its own): a generated registry of `n` bodies on the
 * replica portals, the whole pipeline for `years` (default 2024; the replica has 2023 and 2024) with the local SQLite
 * store in a temporary home (removed afterwards). `scale-run <n> [years,…]`.
 * Prints one JSON line: bodies, body-years, seconds, store writes, fetches, bytes fetched, CPU ms (every thread),
 * body-years found, peak RSS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpFetcher } from '../shared/crawl/fetcher.ts';
import type { Body } from '../shared/crawl/registry.ts';
import { startReplica } from '../shared/demo/replica/server.ts';
import { ReplicaState } from '../shared/demo/replica/state.ts';
import { parsePoolFor } from '../shared/parse-pool.ts';
import { run } from '../shared/pipeline.ts';
import { openLocalStore } from '../shared/store/local.ts';
import { systemClock } from '../shared/store/ports.ts';

process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1';
const n = Number(process.argv[2] ?? 2000);
const years = (process.argv[3] ?? '2024').split(',').map(Number);
const replica = await startReplica(new ReplicaState([2023, 2024]));
const home = mkdtempSync(join(tmpdir(), 'nianbao-bench-'));
const s = await openLocalStore(home);
const sites = ['trs', 'trsGbk', 'trs2', 'trs3', 'trs4'] as const;
const bodies: Body[] = Array.from({ length: n }, (_, i) => ({
  id: `bench-${i}`,
  name: `测试单位${i}`,
  level: i % 3 ? 'department' : 'government',
  lists: [`${replica.origin(sites[i % sites.length]!)}/zfxxgknb/index.html`],
}));
let writes = 0;
const count = <T extends object>(o: T): T =>
  new Proxy(o, {
    get: (t, k) =>
      typeof (t as never)[k] === 'function' && /^put/.test(String(k))
        ? (...a: unknown[]) => {
            writes++;
            return (t as never as Record<string, (...x: unknown[]) => unknown>)[k as string]!(...a);
          }
        : (t as never)[k],
  });
const http = new HttpFetcher({ minDelayMs: 0, timeoutMs: 10_000, retries: 0 });
let fetches = 0;
let fetched = 0;
const fetcher = {
  fetch: async (...a: Parameters<typeof http.fetch>) => {
    fetches++;
    const r = await http.fetch(...a);
    fetched += r.body?.length ?? 0;
    return r;
  },
};
// As `nianbao run` reads reports: in worker threads, one per core but one. Not kept between readings (parse-cache.ts)
// as `nianbao run` keeps them: the bodies here share five portals, so the same document at the same URL comes back
// for every fifth body, which no real registry does; every body's documents are read, as on a first run.
const parser = parsePoolFor();
const t = performance.now();
const cpu0 = process.cpuUsage();
const digest = await run(
  bodies,
  { fetcher, archive: count(s.archive), captures: count(s.store), reports: count(s.store), state: count(s.state), parser, notifiers: [], clock: systemClock },
  // The replica keeps a log of every request it answers (tests read it); this bench does not, and in this process its
  // growth (~3 KB a body) would count as the pipeline's memory.
  { years, concurrency: 8, onProgress: () => void (replica.log.length = 0) },
);
const seconds = (performance.now() - t) / 1000;
const cpu = process.cpuUsage(cpu0);
await http.close();
await parser?.close();
await s.close();
await replica.close();
rmSync(home, { recursive: true, force: true }); // the bench leaves nothing behind
process.stdout.write(
  `${JSON.stringify({ bodies: n, bodyYears: n * years.length, seconds, writes, fetches, fetched, cpuMs: (cpu.user + cpu.system) / 1000, found: digest.results.filter((r) => r.status === 'found').length, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
);
process.exit(0);
