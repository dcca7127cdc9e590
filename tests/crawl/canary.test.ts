/**
 * Our outage in a run (or a Lambda batch) too small to tell by numbers: when most of its bodies failed at the
 * network level, the canaries are fetched (crawl/canary.ts) and, unreachable too, nothing is counted against the
 * portals. The probe runs over real HTTP on 127.0.0.1 (a page that answers, a port nobody listens on).
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canaryProbe, canaryUrls, DEFAULT_CANARIES, type NetworkProbe } from '../../shared/crawl/canary.ts';
import { HttpFetcher } from '../../shared/crawl/fetcher.ts';
import type { FetchOutcome } from '../../shared/crawl/outcomes.ts';
import type { Body } from '../../shared/crawl/registry.ts';
import { recordDeferred } from '../../shared/pipeline.ts';
import type { BodyResult } from '../../shared/pipeline/state.ts';
import { MemoryStateStore } from '../../shared/store/memory.ts';
import { ManualClock } from '../helpers/clock.ts';
import { closedOrigin } from '../helpers/closed-port.ts';

let server: Server;
let up: string;
let down: string;
beforeAll(async () => {
  process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1'; // the canaries of this test are on loopback
  server = createServer((req, res) => res.writeHead(req.url === '/robots.txt' ? 404 : 403).end('forbidden'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  up = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  // A port that was just free: connecting there is refused, as a canary is when our network is down.
  down = `${await closedOrigin()}/`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  delete process.env.NIANBAO_ALLOW_PRIVATE_NETWORK;
});

const fetcher = () => new HttpFetcher({ minDelayMs: 0, retries: 0, timeoutMs: 5000 });

describe('canaryProbe', () => {
  it('any HTTP answer (a 403 here) is our network up; every canary failing below HTTP is it down', async () => {
    expect(await canaryProbe(fetcher(), [up]).probe()).toEqual({ reachable: true, url: up });
    expect(await canaryProbe(fetcher(), [down, up]).probe()).toEqual({ reachable: true, url: up });
    expect(await canaryProbe(fetcher(), [down, down]).probe()).toEqual({ reachable: false, outcome: 'connection_error', urls: [down, down] });
  });

  it('reads its setting: default, a list, none; anything else is an error naming it', () => {
    expect(canaryUrls(undefined)).toEqual([...DEFAULT_CANARIES]);
    expect(canaryUrls(' ')).toEqual([...DEFAULT_CANARIES]);
    expect(canaryUrls('https://www.gov.cn/, http://www.beijing.gov.cn/')).toEqual(['https://www.gov.cn/', 'http://www.beijing.gov.cn/']);
    expect(canaryUrls('none')).toEqual([]);
    expect(() => canaryUrls('www.gov.cn')).toThrow(/canary "www.gov.cn": not an http\(s\) URL/);
    expect(() => canaryUrls('ftp://x.gov.cn/')).toThrow(/not an http\(s\) URL/);
  });
});

describe('recordDeferred: our outage or theirs, with a probe', () => {
  /** A body's column on its own portal, or — `department-N` — on the county's shared platform. */
  const column = (id: string) => (id.startsWith('department-') ? `http://xxgk.county.gov.cn/${id}/nb/` : `http://www.${id}.gov.cn/nb/`);
  const body = (id: string): Body => ({ id, name: `${id}人民政府`, level: 'government', lists: [column(id)] });
  const failed = (id: string, outcome: FetchOutcome = 'connection_error'): BodyResult => {
    const failure = { url: column(id), outcome, status: null, reason: `${outcome}: refused`, time: '2025-06-01T02:00:00.000Z' };
    // As crawlBody holds a network failure back (deferNetworkFailures): the failure, again as `deferred`.
    return Object.assign({ bodyId: id, year: 2024, status: 'unreachable', reports: 0, alertsChanged: 0, outcome: 'access_failure', failure } as BodyResult, {
      deferred: failure,
    });
  };
  const found = (id: string): BodyResult => ({ bodyId: id, year: 2024, status: 'found', reports: 1, alertsChanged: 0, outcome: 'crawled' });
  /** A probe with a fixed answer, counting how often it was asked. */
  const probe = (reachable: boolean | 'throws'): NetworkProbe & { asked: number } => {
    const p = {
      asked: 0,
      probe: async () => {
        p.asked++;
        if (reachable === 'throws') throw new Error('time budget spent');
        return reachable ? { reachable: true as const, url: up } : { reachable: false as const, outcome: 'dns_error', urls: ['https://www.gov.cn/'] };
      },
    };
    return p;
  };
  const judge = async (results: BodyResult[], network?: NetworkProbe) => {
    const state = new MemoryStateStore();
    const ids = [...new Set(results.map((r) => r.bodyId))];
    const out = await recordDeferred(results, ids.map(body), { state, clock: new ManualClock(Date.UTC(2025, 5, 1, 2)), network }, {});
    const failures = await Promise.all(ids.map(async (id) => (await state.getState(id, 2024))?.consecutiveFailures ?? 0));
    return { ...out, failures };
  };

  it('one body, failing, canaries unreachable too: our outage — nothing counted, the body not checked', async () => {
    const p = probe(false);
    const r = await judge([failed('a')], p);
    expect(p.asked).toBe(1);
    expect(r.outage).toEqual({ outcome: 'connection_error', bodies: 1, of: 1, canaries: ['https://www.gov.cn/'] });
    expect(r.results.map((x) => x.outcome)).toEqual(['outage']);
    expect(r.failures).toEqual([0]);
  });

  it('one body, failing, a canary answers: the portal’s failure, counted', async () => {
    const r = await judge([failed('a')], probe(true));
    expect(r.outage).toBeNull();
    expect(r.results.map((x) => x.outcome)).toEqual(['access_failure']);
    expect(r.failures).toEqual([1]);
  });

  it('a minority failing is the portals’: the canaries are not asked', async () => {
    const p = probe(false);
    const r = await judge([failed('a'), found('b'), found('c')], p);
    expect(p.asked).toBe(0);
    expect(r.outage).toBeNull();
    expect(r.failures).toEqual([1, 0, 0]);
  });

  it('five or more failing, most of the run: our outage by numbers, no canary needed', async () => {
    const p = probe(true);
    const r = await judge(['a', 'b', 'c', 'd', 'e'].map((id) => failed(id, 'timeout')).concat(found('f')), p);
    expect(p.asked).toBe(0);
    expect(r.outage).toEqual({ outcome: 'timeout', bodies: 5, of: 6 });
    expect(r.failures).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('portals are counted by host: five departments on one county platform, down, are one portal down — the canary decides', async () => {
    const departments = [1, 2, 3, 4, 5, 6].map((n) => `department-${n}`);
    const answering = probe(true);
    const r = await judge(
      departments.map((id) => failed(id)),
      answering,
    );
    expect(answering.asked).toBe(1);
    expect(r.outage).toBeNull();
    expect(r.failures).toEqual([1, 1, 1, 1, 1, 1]);
    // Without a canary to ask, one host down is still not our outage by numbers.
    expect((await judge(departments.map((id) => failed(id)))).failures).toEqual([1, 1, 1, 1, 1, 1]);
    // And our network down with them: the canary fails too.
    const silent = probe(false);
    const ours = await judge(
      departments.map((id) => failed(id)),
      silent,
    );
    expect(ours.outage).toEqual({ outcome: 'connection_error', bodies: 6, of: 6, canaries: ['https://www.gov.cn/'] });
    expect(ours.failures).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('answers from portals (blocked, 5xx) are never our outage: no canary asked', async () => {
    const p = probe(false);
    const r = await judge([failed('a', 'blocked')], p);
    expect(p.asked).toBe(0);
    expect(r.failures).toEqual([1]);
  });

  it('without a probe, or when it cannot be asked, the numbers decide: the failure is counted, as before', async () => {
    expect((await judge([failed('a')])).failures).toEqual([1]);
    const throwing = probe('throws');
    const r = await judge([failed('a'), failed('b')], throwing);
    expect(throwing.asked).toBe(1);
    expect(r.outage).toBeNull();
    expect(r.failures).toEqual([1, 1]);
  });
});
