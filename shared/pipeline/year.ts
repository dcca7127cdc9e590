/**
 * Stage: one body-year after a crawl that read the column — the report found (or looked for at its own URL),
 * its sources read, what they say assessed, the status decided, and the alerts reconciled. Alerts are written
 * before the state: a crawl killed in between is re-derived by the next one (every candidate follows from the
 * column, the sources and the stored state; identities are stable).
 */
import type { ParsedReport } from '../report/model.ts';
import { catalogue } from '../alerts/catalogue.ts';
import { reconcileAlerts, type AlertCandidate } from '../alerts/decide.ts';
import type { Discovery, DiscoveredReport } from '../crawl/discover.ts';
import type { FetchResult } from '../crawl/fetcher.ts';
import { attachmentOf } from '../crawl/links.ts';
import { deadlineOf, type Body } from '../crawl/registry.ts';
import { deadlineInstant, shanghaiDate, statusOf } from '../deadlines.ts';
import type { AlertKind, BodyYearState, CaptureRecord } from '../store/ports.ts';
import { duplicateCandidates, reportCandidates } from './assess.ts';
import { detectChanges } from './changes.ts';
import { chooseReport, firstPublished, isCorrection } from '../crawl/versions.ts';
import { lookForReport } from './removal.ts';
import { gatherSources, mainSource, readCapture, storeSources, type Source, type SourceDeps } from './sources.ts';
import { initialState, type BodyResult } from './state.ts';
import type { PipelineDeps, RunOptions } from '../pipeline.ts';

export interface YearInput {
  body: Body;
  year: number;
  discovery: Discovery;
  archived: Map<FetchResult, CaptureRecord>;
  deps: PipelineDeps;
  opts: RunOptions;
  now: number;
  /** Reports read in this crawl, by sha256: the years of one crawl share them (cross-year rules). */
  read?: Map<string, ParsedReport>;
}

const ALL_KINDS: readonly AlertKind[] = ['missing', 'late', 'inconsistent', 'changed', 'removed', 'unreachable', 'unread'];

/** A report whose link is itself a document (a PDF in the list) is read as its own attachment. */
function withDirectDocument(r: DiscoveredReport): DiscoveredReport {
  const doc = !r.page ? attachmentOf({ url: r.url, text: r.title, tag: 'a' }) : null;
  return doc && !r.attachments.some((a) => a.url === doc.url) ? { ...r, attachments: [doc, ...r.attachments] } : r;
}

/** What a body-year's assessment builds up: the state, the alert candidates, and the kinds this crawl could judge. */
interface YearWork {
  state: BodyYearState;
  candidates: AlertCandidate[];
  assessed: Set<AlertKind>;
  nowIso: string;
}

/**
 * The report of the year: the one the column lists, or — not listed any more — the one at its known URL, which may
 * have been removed after publication (a `removed` candidate) or cannot be judged this crawl.
 */
async function locateReport(
  i: YearInput,
  w: YearWork,
  listed: DiscoveredReport | undefined,
): Promise<{ report?: DiscoveredReport | undefined; page?: CaptureRecord | undefined }> {
  const { body, year, deps } = i;
  const { state } = w;
  if (listed || !state.reportUrl) return { report: listed, page: listed?.page ? i.archived.get(listed.page) : undefined };
  const look = await lookForReport(body, year, state.reportUrl, i.discovery.complete, deps);
  if (look.kind === 'present') return { report: look.report, page: look.capture };
  if (look.kind === 'removed') {
    w.candidates.push(
      catalogue.removed(body, year, state.reportUrl, {
        status: look.capture.status,
        outcome: look.capture.outcome,
        captureTime: look.capture.time,
        captureId: look.capture.id,
        sha256: state.reportSha256,
        retrieve: state.reportSha256 ? `nianbao get ${state.reportSha256}` : undefined,
      }),
    );
    state.removedAt ??= w.nowIso;
  } else w.assessed.delete('removed');
  return {};
}

/**
 * The report's sources read and assessed. A corrected edition whose sources hold no table is a notice of the
 * correction titled like an edition, not the report: the next item of the year is read as the report instead (it is
 * compared with the notice, which has no figures to differ in).
 */
async function readChosen(i: YearInput, known: string | undefined, chosen: DiscoveredReport, page: CaptureRecord | undefined, others: DiscoveredReport[]) {
  const read = await readReport(i.body, i.year, withDirectDocument(chosen), page, others, i);
  if (read.main || !isCorrection(chosen.title) || others.length === 0) return { read, report: chosen, page };
  const [next, ...rest] = chooseReport(others, known);
  const nextPage = next!.page ? i.archived.get(next!.page) : undefined;
  return { read: await readReport(i.body, i.year, withDirectDocument(next!), nextPage, [chosen, ...rest], i), report: next!, page: nextPage };
}

/** The report is there: its sources read and assessed, changes detected, the first sighting kept. */
async function takeReport(
  i: YearInput,
  w: YearWork,
  chosen: DiscoveredReport,
  chosenPage: CaptureRecord | undefined,
  others: DiscoveredReport[],
): Promise<void> {
  const { state, nowIso } = w;
  delete state.removedAt;
  const { read, report, page } = await readChosen(i, state.reportUrl, chosen, chosenPage, others);
  // The year's other items, beside the one read (the notice among them when it gave way).
  const besides = report === chosen ? others : [chosen, ...others.filter((o) => o !== report)];
  w.candidates.push(...read.candidates);
  if (!read.assessed) for (const k of ['inconsistent', 'unread'] as const) w.assessed.delete(k);
  else if (read.main) state.unreadCells = read.main.parsed.unread.length;
  // What the report was assessed by (or, with no table anywhere, the first source read: a scan's IMAGE-ONLY).
  const assessedBy = read.main ?? read.sources[0];
  if (read.assessed && assessedBy) state.findings = findingsByRule(assessedBy.parsed.findings);
  // The source the report was assessed by is the body-year's current one (sources.ts storeSources): the store's
  // current rows, `nianbao report` and the site show its figures, and next year's cross-year rules read it.
  if (read.main?.capture.sha256) state.mainSha256 = read.main.capture.sha256;
  const unreadable = read.unreadable[0];
  if (unreadable) state.unreadable = unreadable;
  else delete state.unreadable;
  // The column lists the report at another URL than before: a corrected edition, or the page re-posted (versions.ts).
  const movedFrom = state.firstSeenAt && state.reportUrl && state.reportUrl !== report.url ? state.reportUrl : undefined;
  await detectChanges(state, read.sources, i.deps.archive, i.year, page?.time ?? nowIso, i.deps.parser, movedFrom);
  if (!state.firstSeenAt) {
    state.firstSeenAt = nowIso;
    const seen = page ?? i.archived.get(i.discovery.captures[0]!);
    if (seen) state.firstSeenCapture = { id: seen.id, sha256: seen.sha256, url: seen.url };
  }
  state.reportUrl = report.url;
  // The report's date is its first publication's: a correction or a re-post dated later does not make it late. An
  // earlier version's date is kept apart, so it still counts once that version is gone from the column.
  const published = firstPublished(report, besides, [movedFrom ? state.pageDate : undefined, state.earlierVersionDate]);
  if (published && published !== report.published) state.earlierVersionDate = published;
  else delete state.earlierVersionDate;
  if (published) state.pageDate = published;
  if (page?.sha256) state.reportSha256 = page.sha256;
}

/** How many findings each rule raised (state.findings). */
function findingsByRule(findings: readonly { rule: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) out[f.rule] = (out[f.rule] ?? 0) + 1;
  return out;
}

export async function assessYear(i: YearInput): Promise<BodyResult> {
  const { body, year, discovery: d, deps } = i;
  const nowIso = new Date(i.now).toISOString();
  const state = (await deps.state.getState(body.id, year)) ?? initialState(body, year, nowIso);
  Object.assign(state, { deadline: deadlineOf(body, year), lastCrawlAt: nowIso, consecutiveFailures: 0 });
  delete state.failingSince;
  const w: YearWork = { state, candidates: [], assessed: new Set<AlertKind>(ALL_KINDS), nowIso };
  // The item that speaks for the year first: a corrected edition, else the one followed before (versions.ts).
  const found = chooseReport(
    d.reports.filter((r) => r.year === year),
    state.reportUrl,
  );
  const { report, page } = await locateReport(i, w, found[0]);
  let incomplete = false;
  if (report) await takeReport(i, w, report, page, found.slice(1));
  else if (d.complete) state.missedAt = [...state.missedAt, nowIso].slice(-20);
  else if (!state.firstSeenAt) {
    // A page of the column failed and the report was not on the pages read: we cannot say it is missing.
    incomplete = true;
    for (const k of ['missing', 'late'] as const) w.assessed.delete(k);
  }
  w.candidates.push(...(state.changes ?? []).map((c) => catalogue.changed(body, year, c)));
  w.candidates.push(...deadlineCandidates(body, state, i, incomplete));
  state.updatedAt = nowIso;
  const changed = await reconcileAlerts(deps.state, { bodyId: body.id, bodyName: body.name, region: body.region, year }, w.candidates, [...w.assessed], nowIso);
  await deps.state.putState(state);
  return {
    bodyId: body.id,
    year,
    status: state.status,
    reports: found.length,
    alertsChanged: changed.length,
    outcome: 'crawled',
    ...(state.unreadCells ? { readWithGaps: state.unreadCells } : {}),
    ...(d.needsBrowser ? { needsBrowser: true } : {}),
  };
}

/** The report's sources read and assessed, and the other items of the column for the year compared with it. */
async function readReport(body: Body, year: number, report: DiscoveredReport, page: CaptureRecord | undefined, others: DiscoveredReport[], i: YearInput) {
  const nowIso = new Date(i.now).toISOString();
  const { sources, candidates, unreadable } = await gatherSources(body, year, report, page, i.deps);
  for (const s of sources) if (s.capture.sha256) i.read?.set(s.capture.sha256, s.parsed);
  const main = mainSource(sources);
  // Assessed before it is stored: the cross-year rules add their findings to the main source's (CROSS-SIMILAR and
  // CROSS-STOCK are warnings, raised as no alert — stored with the source, the report's pages show them).
  if (main) candidates.push(...(await reportCandidates(body, year, main, sources, i.deps, i.read)));
  await storeSources(sources, main, i.deps, { bodyId: body.id, year, parsedAt: nowIso });
  if (others.length) {
    const items = [{ url: report.url, title: report.title, parsed: main?.parsed ?? null }, ...(await readOthers(body, year, others, i))];
    candidates.push(...duplicateCandidates(body, year, items));
  }
  // Nothing of the report could be read this time: its open findings stay as they are.
  return { sources, candidates, main, unreadable, assessed: sources.length > 0 || (page?.sha256 !== undefined && page.sha256 !== null) };
}

/**
 * Other items listed for the same year, read (pages already fetched by discovery; documents fetched now). Their
 * figures are stored, but never as the body-year's current ones: the report chosen speaks for the year.
 */
async function readOthers(
  body: Body,
  year: number,
  others: DiscoveredReport[],
  i: YearInput,
): Promise<{ url: string; title: string; parsed: Source['parsed'] | null }[]> {
  const deps: SourceDeps = i.deps;
  const ctx = { bodyId: body.id, year, parsedAt: new Date(i.now).toISOString() };
  const out: { url: string; title: string; parsed: Source['parsed'] | null }[] = [];
  for (const r of others) {
    const capture = r.page ? i.archived.get(r.page) : undefined;
    if (capture) {
      out.push({ url: r.url, title: r.title, parsed: (await readCapture(capture, deps, { ...ctx, current: false })).parsed });
      continue;
    }
    const { sources } = await gatherSources(body, year, withDirectDocument(r), undefined, deps);
    await storeSources(sources, undefined, deps, ctx);
    out.push({ url: r.url, title: r.title, parsed: mainSource(sources)?.parsed ?? null });
  }
  return out;
}

/** Status and its alerts: missing, late, back-dated (条例 第四十九条 deadlines). */
function deadlineCandidates(body: Body, state: BodyYearState, i: YearInput, incomplete: boolean): AlertCandidate[] {
  const verdict = statusOf({ state, hasLists: true, unreachable: incomplete, now: i.now, graceDays: i.opts.graceDays ?? 0 });
  state.status = verdict.status;
  const due = shanghaiDate(deadlineInstant(state.year, state.deadline));
  const out: AlertCandidate[] = [];
  if (verdict.status === 'missing') out.push(catalogue.missing(body, state.year, due, columnEvidence(i)));
  if (verdict.status === 'late') {
    const seen = state.firstSeenCapture;
    out.push(
      catalogue.late(body, state.year, due, verdict.lateBy, {
        url: state.reportUrl,
        captureTime: state.firstSeenAt,
        pageDate: state.pageDate,
        ...(seen ? { captureId: seen.id, sha256: seen.sha256 ?? undefined, retrieve: seen.sha256 ? `nianbao get ${seen.sha256}` : undefined } : {}),
      }),
    );
  }
  if (verdict.backDated) out.push(catalogue.backDated(body, state.year, state.pageDate ?? '?', { url: state.reportUrl, captureTime: state.missedAt[0] }));
  return out;
}

/** The archived column page that shows no report: the evidence of `missing`. */
function columnEvidence(i: YearInput): AlertCandidate['evidence'] {
  const first = i.discovery.captures[0];
  const capture = first ? i.archived.get(first) : undefined;
  if (!capture) return { url: i.body.lists[0], captureTime: new Date(i.now).toISOString() };
  return {
    url: capture.url,
    captureTime: capture.time,
    captureId: capture.id,
    sha256: capture.sha256 ?? undefined,
    retrieve: capture.sha256 ? `nianbao get ${capture.sha256}` : undefined,
  };
}
