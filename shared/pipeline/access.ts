/**
 * Stage: a crawl that could not read a body's column. The body-year is `unreachable` (never `missing`: we did
 * not see the column), and an `unreachable` alert opens only when failures persist — several crawls spread
 * over time (default: 3 crawls across 48 hours) — so a passing outage of a portal, or three runs in a minute,
 * raise nothing. When most bodies of a run fail the same way at the network level, the outage is ours: one
 * operator warning, and no failure is counted against the portals (see `detectOutage`).
 */
import { catalogue } from '../alerts/catalogue.ts';
import { reconcileAlerts } from '../alerts/decide.ts';
import type { ListFailure } from '../crawl/discover.ts';
import type { Body } from '../crawl/registry.ts';
import { NETWORK_OUTCOMES } from '../crawl/outcomes.ts';
import { statusOf } from '../deadlines.ts';
import type { BodyYearState, Clock, CrawlFailure, StateStore } from '../store/ports.ts';
import { initialState, type BodyResult } from './state.ts';

/** Failures of the network path (ours or the portal's) rather than an answer from the portal (outcomes.ts). */
export { NETWORK_OUTCOMES };

export interface AccessPolicy {
  /** Failed crawls in a row before an `unreachable` alert (default 3). */
  unreachableAfter?: number;
  /** …and the time they must span, in hours (default 48). */
  unreachableHours?: number;
  graceDays?: number;
}

/** Failures kept in a state as evidence. */
const KEEP_FAILURES = 10;

/** Whether the failures of `state` are enough for an `unreachable` alert. */
export function unreachableDue(state: BodyYearState, now: number, p: AccessPolicy): boolean {
  if (state.consecutiveFailures < (p.unreachableAfter ?? 3)) return false;
  const since = state.failingSince ? Date.parse(state.failingSince) : now;
  return now - since >= (p.unreachableHours ?? 48) * 3600_000;
}

/**
 * Records a failed crawl of `body` for `years`: counters, evidence, status, and the `unreachable` alert (raised
 * on the first year checked: an outage is one fact for the body). Writes alerts before state, so a crawl killed
 * in between re-derives them next time.
 */
export async function recordAccessFailure(
  body: Body,
  years: number[],
  failure: ListFailure & { time: string; captureId?: string },
  deps: { state: StateStore; clock: Clock },
  policy: AccessPolicy,
): Promise<BodyResult[]> {
  const now = deps.clock.now();
  const nowIso = new Date(now).toISOString();
  const results: BodyResult[] = [];
  for (const year of years) {
    const state = (await deps.state.getState(body.id, year)) ?? initialState(body, year, nowIso);
    const record: CrawlFailure = {
      time: failure.time,
      outcome: failure.outcome,
      url: failure.url,
      ...(failure.captureId ? { captureId: failure.captureId } : {}),
    };
    state.consecutiveFailures += 1;
    state.failingSince ??= failure.time;
    state.failures = [...(state.failures ?? []), record].slice(-KEEP_FAILURES);
    state.lastCrawlAt = nowIso;
    state.status = statusOf({ state, hasLists: true, unreachable: true, now, graceDays: policy.graceDays ?? 0 }).status;
    state.updatedAt = nowIso;
    const candidates =
      year === years[0] && unreachableDue(state, now, policy) ? [catalogue.unreachable(body, state.failures.slice(-state.consecutiveFailures))] : [];
    const changed = await reconcileAlerts(deps.state, { bodyId: body.id, bodyName: body.name, region: body.region, year }, candidates, ['unreachable'], nowIso);
    await deps.state.putState(state);
    results.push({
      bodyId: body.id,
      year,
      status: state.status,
      reports: 0,
      alertsChanged: changed.length,
      outcome: 'access_failure',
      failure: { url: failure.url, outcome: failure.outcome, status: failure.status, reason: failure.reason },
    });
  }
  return results;
}

export interface Outage {
  outcome: string;
  bodies: number;
  of: number;
  /** Too few bodies to tell by numbers: the canary pages that failed too (crawl/canary.ts). */
  canaries?: string[] | undefined;
}

/** Portals (hosts) that must fail at once before a shared failure is read as our outage by numbers alone. */
export const OUTAGE_MIN_HOSTS = 5;

/**
 * Our own network is down when more than half of the portals crawled (at least five) failed at the network level
 * (no DNS answer, no route, no connection, no answer in time): no portal landscape fails like that at once. Portals
 * are counted by host, not by body: a county's platform that holds twenty departments' columns, down, is one portal
 * down — and in AWS a crawl batch often holds one host's bodies (its FIFO group). A failure without `host` counts
 * as a portal of its own. A link going down shows as a mixture (names of IPv6-only portals stop resolving, the others
 * stop connecting); `outcome` is the most common.
 *
 * `crawledBodies` is what `of` reports; `crawledHosts` (default: as many) is what the majority is taken of.
 */
export function detectOutage(
  failures: { bodyId: string; outcome: string; host?: string | undefined }[],
  crawledBodies: number,
  minHosts: number = OUTAGE_MIN_HOSTS,
  crawledHosts: number = crawledBodies,
): Outage | null {
  const network = failures.filter((f) => NETWORK_OUTCOMES.has(f.outcome));
  const bodies = new Set(network.map((f) => f.bodyId)).size;
  const hosts = new Set(network.map((f) => f.host ?? `body:${f.bodyId}`)).size;
  if (hosts < Math.max(1, minHosts) || hosts * 2 <= crawledHosts) return null;
  const count = new Map<string, number>();
  for (const f of network) count.set(f.outcome, (count.get(f.outcome) ?? 0) + 1);
  const outcome = [...count].sort((a, b) => b[1] - a[1])[0]![0];
  return { outcome, bodies, of: crawledBodies };
}
