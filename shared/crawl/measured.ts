/**
 * A Fetcher decorator that notes each fetch's host, time and outcome: the crawl function reports fetch time
 * per host (logs) and in total (metrics) without the domain code knowing about either.
 */
import type { FetchRequest, FetchResult, Fetcher } from './fetcher.ts';
import type { FetchOutcome } from './outcomes.ts';

export interface FetchMeasure {
  host: string;
  ms: number;
  outcome: FetchOutcome;
  attempts: number;
}

export interface HostSummary {
  host: string;
  fetches: number;
  totalMs: number;
  maxMs: number;
  /** Fetches that did not end `ok`/`not_modified`, by outcome. */
  failures: Record<string, number>;
}

export class MeasuredFetcher implements Fetcher {
  private measures: FetchMeasure[] = [];

  constructor(private readonly inner: Fetcher) {}

  async fetch(req: FetchRequest): Promise<FetchResult> {
    const r = await this.inner.fetch(req);
    let host = 'unknown';
    try {
      host = new URL(r.finalUrl).host;
    } catch {
      /* a bad URL is measured under 'unknown' */
    }
    this.measures.push({ host, ms: r.ms, outcome: r.outcome, attempts: r.attempts });
    return r;
  }

  /** The fetches since the last call, and forgets them. */
  take(): FetchMeasure[] {
    return this.measures.splice(0);
  }
}

/** Fetches summed per host. */
export function byHost(measures: FetchMeasure[]): HostSummary[] {
  const hosts = new Map<string, HostSummary>();
  for (const m of measures) {
    const h = hosts.get(m.host) ?? { host: m.host, fetches: 0, totalMs: 0, maxMs: 0, failures: {} };
    h.fetches++;
    h.totalMs += m.ms;
    h.maxMs = Math.max(h.maxMs, m.ms);
    if (m.outcome !== 'ok' && m.outcome !== 'not_modified') h.failures[m.outcome] = (h.failures[m.outcome] ?? 0) + 1;
    hosts.set(m.host, h);
  }
  return [...hosts.values()];
}
