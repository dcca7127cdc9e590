/**
 * The pipeline (docs/architecture.md §1): for each registry body, discover → archive every capture → read the report's
 * sources → assess them (rules, changes, removal, deadlines) → alerts → state. One exported function per stage
 * of the outside world — `crawlBody` (crawl one body), `parseCapture` (parse one capture), `checkDeadlines`,
 * `deliverAlerts` — and `run` composing them; the Lambda handlers and the local runner call the same functions
 * with different adapters. The stages themselves live in `pipeline/`.
 */
import { IntegrityError } from './errors.ts';
import { TimeBudgetExhausted } from './crawl/budget.ts';
import { deliverAlerts, type DeliveryReport } from './alerts/deliver.ts';
import { catalogue } from './alerts/catalogue.ts';
import { reconcileAlerts } from './alerts/decide.ts';
import { archiveFetch } from './archive/capture.ts';
import { discover, type Discovery } from './crawl/discover.ts';
import type { Fetcher, FetchResult } from './crawl/fetcher.ts';
import { listsFor, type Body } from './crawl/registry.ts';
import type { Renderer } from './crawl/renderer.ts';
import type { NetworkProbe } from './crawl/canary.ts';
import { deadlineInstant, shanghaiDate, statusOf } from './deadlines.ts';
import { inThisThread, type ReportParser } from './check.ts';
import type { ParsedReport } from './report/model.ts';
import type { ArchiveStore, CaptureLog, CaptureRecord, Clock, Notifier, ReportStore, StateStore } from './store/ports.ts';
import { detectOutage, NETWORK_OUTCOMES, OUTAGE_MIN_HOSTS, recordAccessFailure, type AccessPolicy, type Outage } from './pipeline/access.ts';
import { readAhead, type ReadAhead } from './pipeline/read-ahead.ts';
import { readCapture } from './pipeline/sources.ts';
import { initialState, type BodyResult } from './pipeline/state.ts';
import { assessYear } from './pipeline/year.ts';

export { deliverAlerts } from './alerts/deliver.ts';
export type { BodyResult, CrawlOutcome } from './pipeline/state.ts';
export type { Outage } from './pipeline/access.ts';

export interface PipelineDeps {
  fetcher: Fetcher;
  renderer?: Renderer | undefined;
  archive: ArchiveStore;
  captures: CaptureLog;
  reports: ReportStore;
  state: StateStore;
  notifiers: Notifier[];
  clock: Clock;
  /** Where reports are read and checked (default: this thread; the local runner passes a ParsePool). */
  parser?: ReportParser | undefined;
  /**
   * Asked whether our own network is up when most bodies failed at the network level but too few to tell by
   * numbers (crawl/canary.ts). Without it, only numbers tell our outage from the portals'.
   */
  network?: NetworkProbe | undefined;
}

export interface RunOptions extends AccessPolicy {
  /** Report years to check (default: last year's report). */
  years?: number[] | undefined;
  concurrency?: number | undefined;
  onProgress?: ((p: { done: number; total: number; body: Body; outcome: string }) => void) | undefined;
  /** A body's crawl starts (progress shows who is still being fetched). */
  onStart?: ((body: Body) => void) | undefined;
  /** True once no more bodies should be started (a run's time limit): the rest are listed as not crawled. */
  shouldStop?: (() => boolean) | undefined;
}

/** The report year checked by default: last year's, by the calendar in Asia/Shanghai (reports are due in the new year). */
export const defaultYears = (now: number) => [Number(shanghaiDate(now).slice(0, 4)) - 1];

/**
 * Stage: parse one archived capture (the parse Lambda's unit of work — an S3 object-created event) and store
 * its figures for the body-year. Returns null when the bytes are not a readable report; an internal error
 * propagates. Which source's figures are the body-year's current ones is the crawl's to say (it reads all of a
 * report's sources): a capture parsed on its own does not change it (ReportStore.putParsed, `current: false`).
 */
export async function parseCapture(
  capture: CaptureRecord,
  deps: Pick<PipelineDeps, 'archive' | 'reports' | 'parser'>,
  ctx: { bodyId: string; year: number; parsedAt: string },
): Promise<ParsedReport | null> {
  return (await readCapture(capture, deps, { ...ctx, current: false })).parsed;
}

/**
 * Stage: deadlines (the daily job) — recomputes every known body-year's status from its state without
 * crawling (a pending report becomes missing when its deadline passes) and raises or resolves the missing
 * alerts accordingly. Alerts are written before the state (a kill in between is redone by the next run).
 */
export async function checkDeadlines(
  bodies: Body[],
  deps: Pick<PipelineDeps, 'state' | 'clock'>,
  opts: Pick<RunOptions, 'years' | 'graceDays'> = {},
): Promise<BodyResult[]> {
  const now = deps.clock.now();
  const nowIso = new Date(now).toISOString();
  const years = opts.years ?? defaultYears(now);
  const out: BodyResult[] = [];
  for (const body of bodies) {
    for (const year of years) {
      try {
        const result = await deadlineOf(body, year, deps, { now, nowIso, graceDays: opts.graceDays ?? 0 });
        if (result) out.push(result);
      } catch (e) {
        // A damaged record (an IntegrityError: store/records.ts) stops its own body-year, named; the daily check
        // of every other body goes on. Anything else (the store unavailable) stops the job, to be retried whole.
        if (!(e instanceof IntegrityError)) throw e;
        out.push({ bodyId: body.id, year, status: 'error', reports: 0, alertsChanged: 0, outcome: 'error', error: e.message });
      }
    }
  }
  return out;
}

/** One body-year of the deadline check: null when there is nothing to decide (no state, or no column to judge). */
async function deadlineOf(
  body: Body,
  year: number,
  deps: Pick<PipelineDeps, 'state'>,
  at: { now: number; nowIso: string; graceDays: number },
): Promise<BodyResult | null> {
  const state = await deps.state.getState(body.id, year);
  if (!state || state.status === 'unreachable' || state.status === 'unknown') return null;
  const verdict = statusOf({ state, hasLists: body.lists.length > 0, unreachable: false, now: at.now, graceDays: at.graceDays });
  const due = shanghaiDate(deadlineInstant(year, state.deadline));
  const candidates = verdict.status === 'missing' ? [catalogue.missing(body, year, due, { url: body.lists[0] })] : [];
  const changed =
    verdict.status !== state.status
      ? await reconcileAlerts(deps.state, { bodyId: body.id, bodyName: body.name, region: body.region, year }, candidates, ['missing'], at.nowIso)
      : [];
  if (verdict.status !== state.status) await deps.state.putState({ ...state, status: verdict.status, updatedAt: at.nowIso });
  return { bodyId: body.id, year, status: verdict.status, reports: state.firstSeenAt ? 1 : 0, alertsChanged: changed.length, outcome: 'crawled' };
}

export interface CrawlOptions extends RunOptions {
  /**
   * A column that fails at the network level is not recorded yet: the caller (a run, a batch) first decides
   * whether the outage is its own (`detectOutage`) and then records it with `recordDeferred`.
   */
  deferNetworkFailures?: boolean | undefined;
}

/** Crawls one body and updates its state and alerts for `years`. */
export async function crawlBody(body: Body, deps: PipelineDeps, opts: CrawlOptions = {}): Promise<BodyResult[]> {
  const now = deps.clock.now();
  const nowIso = new Date(now).toISOString();
  const years = opts.years ?? defaultYears(now);
  if (body.lists.length === 0) return markUnknown(body, years, deps, nowIso);

  // A list URL with {year} reads each checked year's own sub-column (registry.ts listsFor).
  const d = await discover(
    { ...body, lists: listsFor(body, years) },
    { fetcher: deps.fetcher, renderer: deps.renderer, followReports: true, onlyYears: years, now: () => now, years },
  );
  const archived = new Map<FetchResult, CaptureRecord>();
  for (const c of d.captures) {
    const year = d.reports.find((r) => r.page === c || r.url === c.url)?.year;
    archived.set(c, await archiveFetch(c, { archive: deps.archive, log: deps.captures }, { bodyId: body.id, year }));
  }
  if (d.status === 'unreachable') {
    const failing = d.captures.find((c) => c.url === d.failure!.url) ?? d.captures[0];
    const capture = failing ? archived.get(failing) : undefined;
    const failure = { ...d.failure!, time: capture?.time ?? nowIso, ...(capture ? { captureId: capture.id } : {}) };
    if (opts.deferNetworkFailures && NETWORK_OUTCOMES.has(failure.outcome)) {
      return years.map((year) => ({
        bodyId: body.id,
        year,
        status: 'unreachable' as const,
        reports: 0,
        alertsChanged: 0,
        outcome: 'access_failure' as const,
        failure,
        deferred: failure,
      }));
    }
    const results = await recordAccessFailure(body, years, failure, deps, opts);
    return d.needsBrowser ? results.map((r) => ({ ...r, needsBrowser: true })) : results;
  }
  // Every year reads through the one parser that holds the body's pages read ahead.
  const yearDeps: PipelineDeps = { ...deps, parser: await readPagesAhead(d, archived, deps, years) };
  const results: BodyResult[] = [];
  const read = new Map<string, ParsedReport>();
  for (const year of [...years].sort((a, b) => a - b)) results.push(await assessYear({ body, year, discovery: d, archived, deps: yearDeps, opts, now, read }));
  results.sort((a, b) => years.indexOf(a.year) - years.indexOf(b.year));
  return results;
}

/**
 * The parser of one body's crawl, with each listed report page of its years already being read (read-ahead.ts):
 * the same reading `readCapture` makes of it when its year is assessed (name, Content-Type and year as it passes them).
 */
async function readPagesAhead(d: Discovery, archived: Map<FetchResult, CaptureRecord>, deps: PipelineDeps, years: readonly number[]): Promise<ReadAhead> {
  const ahead = readAhead(deps.parser ?? inThisThread);
  for (const { page: fetched, year } of d.reports) {
    const page = fetched && years.includes(year) ? archived.get(fetched) : undefined;
    if (!fetched || !page?.sha256) continue;
    // A page fetched whole was archived from these very bytes (archiveFetch): not read back from the archive here (in
    // AWS, an S3 GET a page). Others (a 304) are read from the archive by their sha256. Missing bytes are said where
    // the year reads them (BlobMissingError), not here.
    const bytes = fetched.outcome === 'ok' && fetched.body ? fetched.body : await deps.archive.get(page.sha256);
    if (bytes) ahead.ahead(bytes, { name: page.url, contentType: page.contentType ?? undefined, year, sha256: page.sha256 });
  }
  return ahead;
}

async function markUnknown(body: Body, years: number[], deps: PipelineDeps, nowIso: string): Promise<BodyResult[]> {
  const out: BodyResult[] = [];
  for (const year of years) {
    const s = { ...((await deps.state.getState(body.id, year)) ?? initialState(body, year, nowIso)), status: 'unknown' as const, updatedAt: nowIso };
    await deps.state.putState(s);
    out.push({ bodyId: body.id, year, status: 'unknown', reports: 0, alertsChanged: 0, outcome: 'crawled' });
  }
  return out;
}

/** A network-level failure held back by `deferNetworkFailures`. */
type Deferred = BodyResult & { deferred?: Parameters<typeof recordAccessFailure>[2] };

/** What `recordDeferred` made of a run's or a batch's results. */
export interface RecordedDeferred {
  /** Every result, the held-back failures recorded (or, in our outage, not), except those of `failed` bodies. */
  results: BodyResult[];
  outage: Outage | null;
  /**
   * Bodies whose held-back failure could not be recorded (their stored state damaged, the store failing): each on its
   * own, so one body's record never stops the others'. The caller says what happens next (an error of that body, a
   * message back to its queue).
   */
  failed: { bodyId: string; years: number[]; error: unknown }[];
}

/**
 * Records the held-back failures of a run or a batch — unless they show that the outage is ours, in which case
 * nothing is counted against the portals and the outage is returned for the operator.
 */
export async function recordDeferred(
  results: BodyResult[],
  bodies: Body[],
  deps: Pick<PipelineDeps, 'state' | 'clock' | 'network'>,
  opts: RunOptions,
): Promise<RecordedDeferred> {
  const deferred = (results as Deferred[]).filter((r) => r.deferred);
  // By id, once: a run holds thousands of bodies, and a search of the list for each result grew with their square.
  const bodyById = new Map(bodies.map((b) => [b.id, b]));
  const crawledIds = new Set(results.filter((r) => r.outcome !== 'error' && bodyById.get(r.bodyId)?.lists.length).map((r) => r.bodyId));
  const crawledHosts = new Set([...crawledIds].map((id) => hostOf(bodyById.get(id)!.lists[0]!))).size;
  const outage = await ourOutage(
    deferred.map((r) => ({ bodyId: r.bodyId, outcome: r.deferred!.outcome, host: hostOf(r.deferred!.url) })),
    { bodies: crawledIds.size, hosts: crawledHosts },
    deps.network,
  );
  const out = results.filter((r) => !(r as Deferred).deferred);
  const byBody = new Map<string, Deferred[]>();
  for (const r of deferred) {
    const list = byBody.get(r.bodyId);
    if (list) list.push(r);
    else byBody.set(r.bodyId, [r]);
  }
  const failed: RecordedDeferred['failed'] = [];
  for (const [bodyId, rs] of byBody) {
    const body = bodyById.get(bodyId)!;
    if (outage)
      for (const { deferred: _, ...r } of rs) {
        // Nothing is recorded in our outage: the body-year keeps the status it had (a result's status is the one
        // after this crawl), not the `unreachable` the held-back failure would have made it. A stored state that
        // cannot be read is not read here (the next crawl or `status` names it): `unknown`, as nothing is known.
        const stored = await deps.state.getState(r.bodyId, r.year).catch((e: unknown) => {
          if (e instanceof IntegrityError) return null;
          throw e;
        });
        out.push({ ...r, status: stored?.status ?? 'unknown', outcome: 'outage' as const });
      }
    else {
      const years = rs.map((r) => r.year);
      try {
        out.push(...(await recordAccessFailure(body, years, rs[0]!.deferred!, deps, opts)));
      } catch (e) {
        failed.push({ bodyId, years, error: e });
      }
    }
  }
  return { results: out, outage, failed };
}

/**
 * Our outage: by numbers (`detectOutage`: five portals or more, by host, most of those crawled), or — most failed,
 * but too few to tell — when the network probe finds the canaries unreachable too. A probe that cannot be made (the time
 * budget spent, an internal error) leaves the numbers' answer: the failures are recorded, as without a probe.
 */
async function ourOutage(
  failures: { bodyId: string; outcome: string; host: string }[],
  crawled: { bodies: number; hosts: number },
  network: NetworkProbe | undefined,
): Promise<Outage | null> {
  const byNumbers = detectOutage(failures, crawled.bodies, OUTAGE_MIN_HOSTS, crawled.hosts);
  if (byNumbers || !network) return byNumbers;
  const mostFailed = detectOutage(failures, crawled.bodies, 1, crawled.hosts);
  if (!mostFailed) return null;
  const verdict = await network.probe().catch(() => null);
  if (!verdict || verdict.reachable) return null;
  return { ...mostFailed, canaries: verdict.urls };
}

/** The portal a URL is on (a registry URL's `{year}` sits in its path); the URL itself when it cannot be read as one. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export interface RunDigest {
  results: BodyResult[];
  delivery: DeliveryReport;
  /** Most bodies failed the same way at the network level: our outage, not theirs (no alerts raised). */
  outage: Outage | null;
  /** Bodies whose crawl ended in an internal error (shown, logged, never a watchdog alert). */
  errors: { bodyId: string; error: string }[];
  /** The run was cut (its time limit): the bodies not crawled, or stopped mid-crawl with nothing recorded. */
  cut: { bodies: string[] } | null;
  startedAt: string;
  finishedAt: string;
}

/** Runs the pipeline over `bodies`, then delivers the alerts. One body's failure never stops the others. */
export async function run(bodies: Body[], deps: PipelineDeps, opts: RunOptions = {}): Promise<RunDigest> {
  const startedAt = new Date(deps.clock.now()).toISOString();
  const years = opts.years ?? defaultYears(deps.clock.now());
  const crawled: BodyResult[] = [];
  const errors: RunDigest['errors'] = [];
  const cut: string[] = [];
  /** A body's internal error: listed among the run's errors, and each of its years an `error` result. */
  const failed = (bodyId: string, ys: readonly number[], e: unknown): BodyResult[] => {
    const error = e instanceof Error ? e.message : String(e);
    errors.push({ bodyId, error });
    return ys.map((year) => ({ bodyId, year, status: 'error', reports: 0, alertsChanged: 0, outcome: 'error', error }));
  };
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < bodies.length) {
      if (opts.shouldStop?.()) {
        while (next < bodies.length) cut.push(bodies[next++]!.id);
        return;
      }
      const body = bodies[next++]!;
      let outcome: string;
      opts.onStart?.(body);
      try {
        const rs = await crawlBody(body, deps, { ...opts, years, deferNetworkFailures: true });
        crawled.push(...rs);
        outcome = rs[0]?.failure ? rs[0].failure.outcome : (rs.at(-1)?.status ?? 'ok');
      } catch (e) {
        if (e instanceof TimeBudgetExhausted) {
          // Stopped by the run's time limit mid-crawl: nothing concluded about this body, listed as cut.
          cut.push(body.id);
          opts.onProgress?.({ done: ++done, total: bodies.length, body, outcome: 'cut' });
          continue;
        }
        outcome = 'error';
        crawled.push(...failed(body.id, years, e));
      }
      opts.onProgress?.({ done: ++done, total: bodies.length, body, outcome });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 4, bodies.length)) }, worker));
  const recorded = await recordDeferred(crawled, bodies, deps, opts);
  // An error of that body, as it would have been mid-crawl (a damaged stored record, the store failing): shown and
  // counted, and every other body's failure is recorded.
  for (const f of recorded.failed) recorded.results.push(...failed(f.bodyId, f.years, f.error));
  // Bodies finish in whatever order their portals answer; the digest lists them (results, errors, cut) as the
  // registry does, so that two runs over the same portals print (and export) the same lines in the same order.
  const place = new Map(bodies.map((b, i) => [b.id, i]));
  const results = recorded.results.sort((a, b) => place.get(a.bodyId)! - place.get(b.bodyId)! || years.indexOf(a.year) - years.indexOf(b.year));
  errors.sort((a, b) => place.get(a.bodyId)! - place.get(b.bodyId)!);
  cut.sort((a, b) => place.get(a)! - place.get(b)!);
  const { outage } = recorded;
  const delivery = await deliverAlerts(deps.state, deps.notifiers, deps.clock);
  return { results, delivery, outage, errors, cut: cut.length ? { bodies: cut } : null, startedAt, finishedAt: new Date(deps.clock.now()).toISOString() };
}
