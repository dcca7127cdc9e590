/**
 * The pipeline with its reports kept (parse-cache.ts), against the replica portals of the demo's season: a run over
 * portals that did not change reads no document again, a change is read, and every status, alert and stored figure
 * is what the same runs give when every document is read each time.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inThisThread, type ReportParser } from '../../shared/check.ts';
import { HttpFetcher } from '../../shared/crawl/fetcher.ts';
import { demoBodies } from '../../shared/demo/scenario.ts';
import { type Binding, SITES, type SiteName, startReplica } from '../../shared/demo/replica/server.ts';
import { ReplicaState } from '../../shared/demo/replica/state.ts';
import { columnUrl, seasonStates } from '../../shared/demo/season.ts';
import { cachedParser } from '../../shared/parse-cache.ts';
import { run } from '../../shared/pipeline.ts';
import type { ParseOptions } from '../../shared/report/parse.ts';
import { openLocalStore } from '../../shared/store/local.ts';
import { ManualClock } from '../helpers/clock.ts';
import { type WatchdogView, watchdogView } from '../helpers/watchdog-view.ts';

beforeAll(() => {
  process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1'; // the replica portals are on loopback
});
afterAll(() => {
  delete process.env.NIANBAO_ALLOW_PRIVATE_NETWORK;
});

const DAY = 24 * 3600 * 1000;

/**
 * The season, run by run: an unchanged second day, then a report edited, one removed and the missing one
 * published. Returns what a watchdog sees after each run, and how many documents each run read.
 */
async function season(keep: boolean, bind: Partial<Record<SiteName, Binding>> = {}) {
  const states = seasonStates();
  const replica = await startReplica(new ReplicaState(), states, bind);
  // The same addresses and ports for the next season: a page's bytes, and so its sha256, name its own origin.
  for (const site of SITES) {
    const u = new URL(replica.origin(site));
    bind[site] = { address: u.hostname, port: Number(u.port) };
  }
  const home = mkdtempSync(join(tmpdir(), 'nianbao-kept-'));
  const store = await openLocalStore(home);
  const clock = new ManualClock(Date.UTC(2025, 5, 1, 2, 0, 0));
  const fetcher = new HttpFetcher({ clock, minDelayMs: 0, retries: 0, timeoutMs: 5000, revalidate: { log: store.store, archive: store.archive } });
  let reads = 0;
  const reader: ReportParser = {
    parse: (bytes: Uint8Array, opts?: ParseOptions) => {
      reads++;
      return inThisThread.parse(bytes, opts);
    },
  };
  const parser = keep ? cachedParser(reader, store.parsed) : reader;
  const bodies = demoBodies((site) => columnUrl(replica, site));
  const deps = { fetcher, archive: store.archive, captures: store.store, reports: store.store, state: store.state, parser, notifiers: [], clock };
  const runs: (WatchdogView & { reads: number })[] = [];
  const once = async () => {
    const before = reads;
    const digest = await run(bodies, deps, { years: [2024, 2025], concurrency: 2 });
    const seen = await watchdogView(
      store,
      digest,
      bodies.map((b) => b.id),
      [2024, 2025],
    );
    runs.push({ reads: reads - before, ...seen });
    await clock.sleep(DAY);
  };
  try {
    await once();
    await once();
    states.trs.change(2024);
    states.trs3.remove(2024);
    states.hanweb.publish(2024, '2025-06-03');
    await once();
    return runs;
  } finally {
    await fetcher.close();
    await store.close();
    await replica.close();
  }
}

describe('reports kept between runs', () => {
  it('an unchanged day reads nothing again, a change is read, and a watchdog sees exactly what reading everything gives', async () => {
    const bind: Partial<Record<SiteName, Binding>> = {};
    const kept = await season(true, bind);
    const everything = await season(false, bind);
    // The first run reads every document, with or without keeping them.
    expect(kept[0]!.reads).toBe(everything[0]!.reads);
    expect(kept[0]!.reads).toBeGreaterThan(10);
    // The portals did not change: nothing read again (reading everything read as much as on the first day).
    expect(kept[1]!.reads).toBe(0);
    expect(everything[1]!.reads).toBeGreaterThanOrEqual(everything[0]!.reads);
    // A report edited, one published: only their documents are read (a page and its two attachments each).
    expect(kept[2]!.reads).toBeGreaterThanOrEqual(2);
    expect(kept[2]!.reads).toBeLessThan(everything[2]!.reads);
    // Statuses, alerts (the `changed` and `removed` ones included) and stored figures are the same, run by run.
    for (let i = 0; i < 3; i++) {
      expect(kept[i]!.results, `run ${i + 1}`).toEqual(everything[i]!.results);
      expect(kept[i]!.alerts, `run ${i + 1}`).toEqual(everything[i]!.alerts);
      expect(kept[i]!.rows, `run ${i + 1}`).toEqual(everything[i]!.rows);
    }
    expect(kept[2]!.alerts.some((a) => / changed open /.test(a))).toBe(true);
    expect(kept[2]!.alerts.some((a) => / removed open /.test(a))).toBe(true);
  }, 180_000);
});
