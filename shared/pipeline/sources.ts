/**
 * Stage: the sources of one report — its page and its attachments — archived and read. A source that cannot be
 * fetched or read is a finding of its own (ATTACHMENT-BROKEN), never a silent gap; an internal error (a bug, the
 * store failing) is not caught here and ends the body's crawl as an `error`.
 */
import { catalogue } from '../alerts/catalogue.ts';
import type { AlertCandidate } from '../alerts/decide.ts';
import { archiveFetch } from '../archive/capture.ts';
import { toStored } from '../archive/report-rows.ts';
import type { DiscoveredReport } from '../crawl/discover.ts';
import type { Fetcher } from '../crawl/fetcher.ts';
import { NEXT_STEP, outcomeText } from '../crawl/outcomes.ts';
import type { Bilingual } from '../errors.ts';
import { UnreadableInputError } from '../report/errors.ts';
import type { ParsedReport } from '../report/model.ts';
import { inThisThread, type ReportParser } from '../check.ts';
import type { ArchiveStore, CaptureLog, CaptureRecord, ReportStore } from '../store/ports.ts';
import { BlobMissingError } from '../archive/verify.ts';

/** One source of a report as read by this crawl. */
export interface Source {
  url: string;
  role: 'page' | 'attachment';
  capture: CaptureRecord;
  parsed: ParsedReport;
}

export interface ReadResult {
  parsed: ParsedReport | null;
  /** Why the bytes could not be read as a report (corrupt, unsupported, over a limit), in one line. */
  unreadable?: string;
  /** The same in each language, for the alert's two lines. */
  unreadableText?: Bilingual;
}

/** True when a parse holds figures (tables 二, 三 or 四). */
export const hasFigures = (p: ParsedReport | null | undefined): p is ParsedReport => !!p && (p.table2 !== null || p.table3 !== null || p.table4 !== null);

/**
 * Reads archived bytes as a report (`sha256`: their key in the archive, which a cached parser keys the report by).
 * Only unreadable input is caught: anything else is a bug and propagates.
 */
export async function readBytes(
  bytes: Uint8Array,
  name: string,
  contentType: string | null,
  year: number,
  parser: ReportParser = inThisThread,
  sha256?: string,
): Promise<ReadResult> {
  try {
    return { parsed: await parser.parse(bytes, { name, contentType: contentType ?? undefined, year, sha256 }) };
  } catch (e) {
    if (e instanceof UnreadableInputError) return { parsed: null, unreadable: e.problem, unreadableText: e.problemText ?? { en: e.problem, zh: e.problem } };
    throw e;
  }
}

/** One archived capture read as a report (nothing stored). */
export async function readArchived(
  capture: CaptureRecord,
  deps: { archive: ArchiveStore; parser?: ReportParser | undefined },
  year: number,
): Promise<ReadResult> {
  if (!capture.sha256) return { parsed: null };
  const bytes = await deps.archive.get(capture.sha256);
  if (!bytes) throw new BlobMissingError(capture.sha256, `capture ${capture.id}`);
  return readBytes(bytes, capture.url, capture.contentType, year, deps.parser, capture.sha256);
}

/** Where a source's figures are stored for: the body-year, the time of the reading, and whether they speak for its report. */
export interface StoreContext {
  bodyId: string;
  year: number;
  parsedAt: string;
  /** The source whose figures speak for the report (`mainSource`): its rows are the body-year's current ones (ReportStore). */
  current: boolean;
}

/**
 * Stores a source's figures for the body-year. Only sources with figures are stored: a scan or a page without tables
 * has nothing to keep (its bytes are archived).
 */
export async function storeFigures(capture: CaptureRecord, parsed: ParsedReport | null, deps: { reports: ReportStore }, ctx: StoreContext): Promise<void> {
  if (!capture.sha256 || !hasFigures(parsed)) return;
  const stored = toStored(parsed, {
    bodyId: ctx.bodyId,
    sha256: capture.sha256,
    url: capture.url,
    captureId: capture.id,
    year: ctx.year,
    parsedAt: ctx.parsedAt,
  });
  await deps.reports.putParsed(stored.report, stored.rows, { current: ctx.current });
}

/** Reads one archived capture and stores its figures for the body-year (`storeFigures`). */
export async function readCapture(
  capture: CaptureRecord,
  deps: { archive: ArchiveStore; reports: ReportStore; parser?: ReportParser | undefined },
  ctx: StoreContext,
): Promise<ReadResult> {
  const read = await readArchived(capture, deps, ctx.year);
  await storeFigures(capture, read.parsed, deps, ctx);
  return read;
}

/**
 * Stores the figures of a report's sources, `main` last and as the body-year's current one (ReportStore.putParsed):
 * the export and the across-bodies pages then show the figures the report was assessed by, whichever source was
 * read last. With no `main` (no source has table 三 or 四), none takes another's place as current (a body-year with
 * no current source yet takes the first: ReportStore.putParsed).
 */
export async function storeSources(
  sources: Source[],
  main: Source | undefined,
  deps: { reports: ReportStore },
  ctx: Omit<StoreContext, 'current'>,
): Promise<void> {
  for (const s of sources) if (s !== main) await storeFigures(s.capture, s.parsed, deps, { ...ctx, current: false });
  if (main) await storeFigures(main.capture, main.parsed, deps, { ...ctx, current: true });
}

/** An archived capture as an alert's evidence: where to get its exact bytes. */
const captureEvidence = (c: CaptureRecord) => ({
  sha256: c.sha256 ?? undefined,
  captureTime: c.time,
  captureId: c.id,
  retrieve: c.sha256 ? `nianbao get ${c.sha256}` : undefined,
});

export interface SourceDeps {
  fetcher: Fetcher;
  archive: ArchiveStore;
  captures: CaptureLog;
  reports: ReportStore;
  /** Where reports are read (default: this thread). */
  parser?: ReportParser | undefined;
}

/**
 * The report's page (already fetched by discovery and archived) and each attachment (fetched and archived now),
 * read. Returns the sources that parsed and the candidates for attachments that could not be had. Nothing is stored
 * here: the caller stores the sources once it knows which speaks for the report (`storeSources`).
 */
export async function gatherSources(
  body: { id: string; name: string },
  year: number,
  report: DiscoveredReport,
  page: CaptureRecord | undefined,
  deps: SourceDeps,
): Promise<{ sources: Source[]; candidates: AlertCandidate[]; unreadable: string[] }> {
  const sources: Source[] = [];
  const candidates: AlertCandidate[] = [];
  // Documents that could not be read at all: said (an alert, the state), never passed over.
  const unreadable: string[] = [];
  if (page?.sha256) {
    const read = await readArchived(page, deps, year);
    if (read.parsed) sources.push({ url: report.url, role: 'page', capture: page, parsed: read.parsed });
    if (read.unreadable) {
      unreadable.push(read.unreadable);
      candidates.push(catalogue.reportUnreadable(body, year, report.url, read.unreadableText!, captureEvidence(page)));
    }
  }
  for (const a of report.attachments) {
    const r = await deps.fetcher.fetch({ url: a.url });
    const cap = await archiveFetch(r, { archive: deps.archive, log: deps.captures }, { bodyId: body.id, year });
    if (NEXT_STEP[r.outcome] !== 'use' || !cap.sha256) {
      candidates.push(
        catalogue.attachmentBroken(body, year, a.url, outcomeText(r.outcome), {
          outcome: r.outcome,
          status: r.status,
          captureTime: cap.time,
          captureId: cap.id,
        }),
      );
      continue;
    }
    const read = await readArchived(cap, deps, year);
    if (read.unreadable) unreadable.push(read.unreadable);
    if (read.unreadable) candidates.push(catalogue.attachmentBroken(body, year, a.url, read.unreadableText!, captureEvidence(cap)));
    else if (read.parsed) sources.push({ url: a.url, role: 'attachment', capture: cap, parsed: read.parsed });
  }
  return { sources, candidates, unreadable };
}

const cellCount = (r: ParsedReport) =>
  Object.values(r.table3?.rows ?? {})
    .flat()
    .filter((v) => v !== null).length + Object.values(r.table4 ?? {}).filter((v) => v !== null).length;

/** The source whose figures speak for the report: the page when it has table 三, else the richest source with figures. */
export function mainSource(sources: Source[]): Source | undefined {
  const page = sources.find((s) => s.role === 'page' && s.parsed.table3);
  if (page) return page;
  return sources.filter((s) => s.parsed.table3 || s.parsed.table4).sort((a, b) => cellCount(b.parsed) - cellCount(a.parsed))[0];
}
