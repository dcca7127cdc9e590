/**
 * The pipeline (DESIGN.md §1): for each registry body, discover → archive every capture → parse the report
 * page and its attachments → rules (with last year's report) → store → status → alerts. One exported
 * function per stage — `crawlBody` (crawl one body), `parseCapture` (parse one capture), `checkDeadlines`,
 * `deliverAlerts` — and `run` composing them; the Lambda handlers and the local runner call the same
 * functions with different adapters.
 */
import { deliverAlerts, type DeliveryReport } from './alerts/deliver.ts';
import { findingCandidates, reconcileAlerts, type AlertCandidate } from './alerts/decide.ts';
import { archiveFetch } from './archive/capture.ts';
import { toStored } from './archive/report-rows.ts';
import { discover, type DiscoveredReport } from './crawl/discover.ts';
import type { Fetcher, FetchResult } from './crawl/fetcher.ts';
import { deadlineOf, type Body } from './crawl/registry.ts';
import type { Renderer } from './crawl/renderer.ts';
import { deadlineInstant, shanghaiDate, statusOf } from './deadlines.ts';
import type { ParsedReport } from './report/model.ts';
import { parseReport } from './report/parse.ts';
import { runCrossYearRules } from './rules/index.ts';
import type { ArchiveStore, BodyYearState, CaptureLog, CaptureRecord, Clock, Notifier, ReportStore, StateStore, Status } from './store/ports.ts';

export { deliverAlerts } from './alerts/deliver.ts';

export interface PipelineDeps {
  fetcher: Fetcher;
  renderer?: Renderer;
  archive: ArchiveStore;
  captures: CaptureLog;
  reports: ReportStore;
  state: StateStore;
  notifiers: Notifier[];
  clock: Clock;
}

export interface RunOptions {
  /** Report years to check (default: last year's report). */
  years?: number[];
  graceDays?: number;
  /** Consecutive failed crawls before an `unreachable` alert (default 3). */
  unreachableAfter?: number;
  concurrency?: number;
  onProgress?: (p: { done: number; total: number; body: Body; outcome: string }) => void;
}

export interface BodyResult {
  bodyId: string;
  year: number;
  status: Status;
  reports: number;
  alertsChanged: number;
  error?: string;
  /** The portal needs a browser and this crawl had none: crawl the body again with one. */
  needsBrowser?: boolean;
}

/** The report year checked by default: last year's, by the calendar in Asia/Shanghai (reports are due in the new year). */
const defaultYears = (now: number) => [Number(shanghaiDate(now).slice(0, 4)) - 1];

const cells = (r: ParsedReport) => Object.values(r.table3?.rows ?? {}).flat().filter((v) => v !== null).length + Object.values(r.table4 ?? {}).filter((v) => v !== null).length;

/** Figures that differ between two parses of one report (old → new). */
function figureDiff(a: ParsedReport, b: ParsedReport): { cell: string; old: number | null; new: number | null }[] {
  const out: { cell: string; old: number | null; new: number | null }[] = [];
  for (const [row, values] of Object.entries(b.table3?.rows ?? {})) {
    values!.forEach((v, i) => {
      const old = a.table3?.rows[row as keyof typeof a.table3.rows]?.[i] ?? null;
      if (old !== v) out.push({ cell: `table3.${row}.${b.table3!.columns[i]}`, old, new: v });
    });
  }
  for (const [k, v] of Object.entries(b.table4 ?? {})) {
    const old = (a.table4 as Record<string, number | null> | null)?.[k] ?? null;
    if (old !== v) out.push({ cell: `table4.${k}`, old, new: v });
  }
  return out;
}

function textDiff(a: string, b: string): string {
  const la = new Set(a.split(/[。\n]/).map((s) => s.trim()).filter(Boolean));
  const lb = b.split(/[。\n]/).map((s) => s.trim()).filter(Boolean);
  const added = lb.filter((s) => !la.has(s)).length;
  const removed = [...la].filter((s) => !lb.includes(s)).length;
  return `${added} sentences added, ${removed} removed / 增加${added}句，删除${removed}句`;
}

async function parseBytes(bytes: Uint8Array, name: string, contentType: string | null, year: number): Promise<ParsedReport | null> {
  try {
    return await parseReport(bytes, { name, contentType: contentType ?? undefined, year });
  } catch {
    return null;
  }
}

/**
 * Stage: parse one archived capture (the parse Lambda's unit of work — an S3 object-created event) and
 * store its figures and findings for the body-year. Returns null when the bytes are not a report.
 */
export async function parseCapture(capture: CaptureRecord, deps: Pick<PipelineDeps, 'archive' | 'reports'>, ctx: { bodyId: string; year: number; parsedAt?: string }): Promise<ParsedReport | null> {
  if (!capture.sha256) return null;
  const bytes = await deps.archive.get(capture.sha256);
  if (!bytes) throw new Error(`capture ${capture.id}: blob ${capture.sha256} missing from the archive`);
  const parsed = await parseBytes(bytes, capture.url, capture.contentType, ctx.year);
  // Only sources with figures are stored: a scan or a page without tables has nothing to keep (its bytes are archived).
  if (!parsed || (!parsed.table2 && !parsed.table3 && !parsed.table4)) return parsed;
  const stored = toStored(parsed, { bodyId: ctx.bodyId, sha256: capture.sha256, url: capture.url, captureId: capture.id, year: ctx.year, parsedAt: ctx.parsedAt });
  await deps.reports.putParsed(stored.report, stored.rows);
  return parsed;
}

/**
 * Stage: deadlines (the daily job) — recomputes every known body-year's status from its state without
 * crawling (a pending report becomes missing when its deadline passes) and raises or resolves the
 * missing alerts accordingly.
 */
export async function checkDeadlines(bodies: Body[], deps: Pick<PipelineDeps, 'state' | 'clock'>, opts: Pick<RunOptions, 'years' | 'graceDays'> = {}): Promise<BodyResult[]> {
  const now = deps.clock.now();
  const nowIso = new Date(now).toISOString();
  const years = opts.years ?? defaultYears(now);
  const out: BodyResult[] = [];
  for (const body of bodies) {
    for (const year of years) {
      const state = await deps.state.getState(body.id, year);
      if (!state || state.status === 'unreachable' || state.status === 'unknown') continue;
      const verdict = statusOf({ state, hasLists: body.lists.length > 0, unreachable: false, now, graceDays: opts.graceDays ?? 0 });
      const due = shanghaiDate(deadlineInstant(year, state.deadline));
      const candidates: AlertCandidate[] =
        verdict.status === 'missing'
          ? [{ kind: 'missing', detail: 'missing', summaryZh: `${body.name}未在${due}前发布${year}年度报告`, summaryEn: `${body.name} has not published its ${year} report (due ${due})`, evidence: { url: body.lists[0] } }]
          : [];
      const changed = verdict.status !== state.status ? await reconcileAlerts(deps.state, { bodyId: body.id, bodyName: body.name, region: body.region, year }, candidates, ['missing'], nowIso) : [];
      if (verdict.status !== state.status) await deps.state.putState({ ...state, status: verdict.status, updatedAt: nowIso });
      out.push({ bodyId: body.id, year, status: verdict.status, reports: state.firstSeenAt ? 1 : 0, alertsChanged: changed.length });
    }
  }
  return out;
}

/** Crawls one body and updates its state and alerts for `years`. A failure is recorded for this body only. */
export async function crawlBody(body: Body, deps: PipelineDeps, opts: RunOptions = {}): Promise<BodyResult[]> {
  const now = deps.clock.now();
  const nowIso = new Date(now).toISOString();
  const years = opts.years ?? defaultYears(now);
  const subject = (year: number) => ({ bodyId: body.id, bodyName: body.name, region: body.region, year });
  const initial = (year: number): BodyYearState => ({ bodyId: body.id, year, status: 'pending', missedAt: [], consecutiveFailures: 0, deadline: deadlineOf(body), updatedAt: nowIso });

  if (body.lists.length === 0) {
    const out: BodyResult[] = [];
    for (const year of years) {
      const s = { ...((await deps.state.getState(body.id, year)) ?? initial(year)), status: 'unknown' as const, updatedAt: nowIso };
      await deps.state.putState(s);
      out.push({ bodyId: body.id, year, status: 'unknown', reports: 0, alertsChanged: 0 });
    }
    return out;
  }

  const d = await discover(body, { fetcher: deps.fetcher, renderer: deps.renderer, followReports: true, now: () => now, years });
  const archived = new Map<FetchResult, CaptureRecord>();
  for (const c of d.captures) {
    const year = d.reports.find((r) => r.page === c || r.url === c.url)?.year;
    archived.set(c, await archiveFetch(c, { archive: deps.archive, log: deps.captures }, { bodyId: body.id, year }));
  }
  const unreachable = d.status === 'unreachable';
  const results: BodyResult[] = [];

  for (const year of years) {
    const state = (await deps.state.getState(body.id, year)) ?? initial(year);
    state.deadline = deadlineOf(body);
    state.lastCrawlAt = nowIso;
    state.consecutiveFailures = unreachable ? state.consecutiveFailures + 1 : 0;
    const candidates: AlertCandidate[] = [];
    const found = d.reports.filter((r) => r.year === year);
    const report: DiscoveredReport | undefined = found[0];
    let parsed: ParsedReport | null = null;

    if (!unreachable && report) {
      const page = report.page ? archived.get(report.page) : undefined;
      const sources: { parsed: ParsedReport; capture: CaptureRecord; url: string }[] = [];
      if (page?.sha256) {
        const p = await parseCapture(page, deps, { bodyId: body.id, year, parsedAt: nowIso });
        if (p && (p.table3 || p.table4)) sources.push({ parsed: p, capture: page, url: report.url });
      }
      for (const a of report.attachments) {
        const r = await deps.fetcher.fetch({ url: a.url });
        const cap = await archiveFetch(r, { archive: deps.archive, log: deps.captures }, { bodyId: body.id, year });
        const p = r.outcome === 'ok' && cap.sha256 ? await parseCapture(cap, deps, { bodyId: body.id, year, parsedAt: nowIso }) : null;
        if (r.outcome !== 'ok') {
          candidates.push({
            kind: 'inconsistent',
            detail: `ATTACHMENT-BROKEN:${a.url}`,
            summaryZh: `${body.name}${year}年度报告的附件无法获取（${r.outcome}）`,
            summaryEn: `${body.name}: the ${year} report's attachment cannot be fetched (${r.outcome})`,
            evidence: { rules: ['ATTACHMENT-BROKEN'], url: a.url, outcome: r.outcome, captureTime: cap.time },
          });
        } else if (p && cap.sha256 && (p.table3 || p.table4)) sources.push({ parsed: p, capture: cap, url: a.url });
      }
      // Prefer the page itself when it has the tables; otherwise the richest attachment.
      const main = sources[0]?.url === report.url && sources[0].parsed.table3 ? sources[0] : [...sources].sort((a, b) => cells(b.parsed) - cells(a.parsed))[0];
      if (main) {
        parsed = main.parsed;
        // The HTML page and its attachment give different figures.
        for (const other of sources.filter((s) => s !== main && s.parsed.table3)) {
          const diff = figureDiff(other.parsed, main.parsed).filter((f) => f.old !== null && f.new !== null);
          if (diff.length) {
            candidates.push({
              kind: 'inconsistent',
              detail: `SOURCE-MISMATCH:${other.capture.sha256}`,
              summaryZh: `${body.name}${year}年度报告的网页与附件数据不一致（${diff.length}处）`,
              summaryEn: `${body.name}: the ${year} report's page and attachment differ in ${diff.length} figures`,
              evidence: { rules: ['SOURCE-MISMATCH'], figures: diff, url: other.url, sha256: other.capture.sha256!, retrieve: `nianbao get ${other.capture.sha256}` },
            });
          }
        }
        // Cross-year rules against last year's stored report.
        const last = (await deps.reports.reports(body.id, year - 1)).at(-1);
        const lastBytes = last ? await deps.archive.get(last.sha256) : null;
        const previous = lastBytes ? await parseBytes(lastBytes, last!.url, null, year - 1) : null;
        if (previous) parsed.findings.push(...runCrossYearRules(parsed, previous));
        candidates.push(...findingCandidates(body, year, parsed, { sha256: main.capture.sha256!, time: main.capture.time, url: main.url }));
      }
      // The report page's bytes changed after we first captured them.
      const pageSha = page?.sha256 ?? undefined;
      if (pageSha && state.reportSha256 && report.url === state.reportUrl && state.reportSha256 !== pageSha) {
        const oldBytes = await deps.archive.get(state.reportSha256);
        const old = oldBytes ? await parseBytes(oldBytes, report.url, null, year) : null;
        const current = sources.find((x) => x.url === report.url)?.parsed;
        candidates.push({
            kind: 'changed',
            detail: pageSha,
            summaryZh: `${body.name}${year}年度报告发布后被修改`,
            summaryEn: `${body.name}: the ${year} report changed after publication`,
            evidence: {
              figures: old && current ? figureDiff(old, current) : [],
              diff: old && current ? textDiff(old.prose_text, current.prose_text) : undefined,
              sha256: pageSha,
              previousSha256: state.reportSha256,
              captureTime: page!.time,
              url: report.url,
              retrieve: `nianbao get ${state.reportSha256}  /  nianbao get ${pageSha}`,
            },
          });
      }
      if (pageSha) state.reportSha256 = pageSha;
      if (found.length > 1 && new Set(found.map((r) => r.page?.body && archived.get(r.page)?.sha256)).size > 1) {
        candidates.push({
          kind: 'inconsistent',
          detail: `DUPLICATE-REPORT:${found.map((r) => r.url).sort().join(' ')}`,
          summaryZh: `${body.name}发布了两份不同的${year}年度报告`,
          summaryEn: `${body.name} published ${found.length} different ${year} reports`,
          evidence: { rules: ['DUPLICATE-REPORT'], url: found.map((r) => r.url).join(' ') },
        });
      }
      state.firstSeenAt ??= nowIso;
      state.reportUrl = report.url;
      state.pageDate = report.published ?? state.pageDate;
    } else if (!unreachable) {
      state.missedAt = [...state.missedAt, nowIso].slice(-20);
      if (state.reportUrl) {
        candidates.push({
          kind: 'removed',
          detail: state.reportUrl,
          summaryZh: `${body.name}${year}年度报告发布后被删除`,
          summaryEn: `${body.name}: the ${year} report was removed after publication`,
          evidence: { url: state.reportUrl, sha256: state.reportSha256, retrieve: state.reportSha256 ? `nianbao get ${state.reportSha256}` : undefined },
        });
      }
    }

    const verdict = statusOf({ state, hasLists: true, unreachable, now, graceDays: opts.graceDays ?? 0 });
    state.status = verdict.status;
    state.updatedAt = nowIso;
    const due = shanghaiDate(deadlineInstant(year, state.deadline));
    if (verdict.status === 'missing') {
      candidates.push({ kind: 'missing', detail: 'missing', summaryZh: `${body.name}未在${due}前发布${year}年度报告`, summaryEn: `${body.name} has not published its ${year} report (due ${due})`, evidence: { url: body.lists[0], captureTime: nowIso } });
    }
    if (verdict.status === 'late') {
      candidates.push({ kind: 'late', detail: 'late', summaryZh: `${body.name}${year}年度报告迟于${due}发布（${verdict.lateBy}）`, summaryEn: `${body.name}: the ${year} report was published after ${due} (${verdict.lateBy})`, evidence: { url: state.reportUrl, captureTime: state.firstSeenAt } });
    }
    if (verdict.backDated) {
      candidates.push({ kind: 'late', detail: 'back-dated', summaryZh: `${body.name}${year}年度报告所标发布时间${state.pageDate}早于我方未见该报告的抓取`, summaryEn: `${body.name}: the ${year} report's page date ${state.pageDate} precedes a crawl of ours that did not see it (back-dated)`, evidence: { url: state.reportUrl, captureTime: state.missedAt[0] } });
    }
    // An outage is one fact for the body, not one per report year: raised on the first year checked.
    if (state.consecutiveFailures >= (opts.unreachableAfter ?? 3) && year === years[0]) {
      const last = d.fetches.at(-1);
      candidates.push({ kind: 'unreachable', detail: 'portal', summaryZh: `${body.name}的网站连续${state.consecutiveFailures}次无法访问`, summaryEn: `${body.name}: the portal failed ${state.consecutiveFailures} crawls in a row`, evidence: { url: body.lists[0], outcome: last?.outcome } });
    }
    await deps.state.putState(state);
    // What this crawl could assess: an unreachable portal says nothing about missing or removed reports.
    const assessed = unreachable ? (['unreachable'] as const) : (['missing', 'inconsistent', 'removed', 'unreachable'] as const);
    const changed = await reconcileAlerts(deps.state, subject(year), candidates, [...assessed], nowIso);
    results.push({ bodyId: body.id, year, status: state.status, reports: found.length, alertsChanged: changed.length, ...(d.needsBrowser ? { needsBrowser: true } : {}) });
  }
  return results;
}

export interface RunDigest {
  results: BodyResult[];
  delivery: DeliveryReport;
  startedAt: string;
  finishedAt: string;
}

/** Runs the pipeline over `bodies`, then delivers the alerts. One body's failure never stops the others. */
export async function run(bodies: Body[], deps: PipelineDeps, opts: RunOptions = {}): Promise<RunDigest> {
  const startedAt = new Date(deps.clock.now()).toISOString();
  const results: BodyResult[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      let outcome = 'ok';
      try {
        results.push(...(await crawlBody(body, deps, opts)));
        outcome = results.at(-1)?.status ?? 'ok';
      } catch (e) {
        outcome = 'error';
        for (const year of opts.years ?? defaultYears(deps.clock.now())) {
          results.push({ bodyId: body.id, year, status: 'unreachable', reports: 0, alertsChanged: 0, error: (e as Error).message });
        }
      }
      opts.onProgress?.({ done: ++done, total: bodies.length, body, outcome });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 4, bodies.length)) }, worker));
  const delivery = await deliverAlerts(deps.state, deps.notifiers, deps.clock);
  return { results, delivery, startedAt, finishedAt: new Date(deps.clock.now()).toISOString() };
}
