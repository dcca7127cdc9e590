/**
 * Choosing what to export for archivists — the captures of a URL or of a body-year — and packing them as
 * WARC or WACZ. Used by `nianbao export-warc|export-wacz` and by the archive API.
 */
import { RequestError } from '../errors.ts';
import type { ArchiveStore, CaptureLog, CaptureRecord, Page, ReportStore, StateStore } from '../store/ports.ts';
import { currentSource } from './report-rows.ts';
import { writeWacz } from './wacz.ts';
import { writeWarc } from './warc.ts';

/** Every page of a paginated query. */
export async function allPages<T>(page: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    out.push(...p.items);
    cursor = p.next;
  } while (cursor);
  return out;
}

/** What to export: one URL's captures, or a body's (optionally one report year), within a time window. */
export interface CaptureSelection {
  body?: string;
  year?: number;
  url?: string;
  from?: string;
  to?: string;
}

export class SelectionError extends RequestError {}

export async function selectCaptures(log: CaptureLog, sel: CaptureSelection): Promise<CaptureRecord[]> {
  const q = { from: sel.from, to: sel.to };
  if (sel.url) return allPages((cursor) => log.byUrl(sel.url!, { ...q, cursor }));
  if (!sel.body) throw new SelectionError('give a body (and year) or a URL / 需要机关或网址');
  // A body without a year: all its captures, every year and its column pages.
  return allPages((cursor) => log.byBody(sel.body!, sel.year ?? 'all', { ...q, cursor }));
}

export async function exportWarc(captures: CaptureRecord[], archive: ArchiveStore, filename: string): Promise<Uint8Array> {
  return writeWarc(captures, archive, { filename });
}

/**
 * A body-year's captures as WACZ, opening on the report page: the page its state names (`currentSource` of the
 * state's `reportSha256` — not the attachment its figures may have been read from, which a browser does not replay,
 * nor one parsed at the same moment), else the first archived HTML page.
 */
export async function exportWacz(
  captures: CaptureRecord[],
  deps: { archive: ArchiveStore; reports: ReportStore; state: Pick<StateStore, 'getState'> },
  body: string,
  year: number,
  /** When the package is made (from the caller's clock). */
  created: string,
): Promise<Uint8Array> {
  const state = await deps.state.getState(body, year);
  const main = currentSource(await deps.reports.reports(body, year), state?.reportSha256 ? { reportSha256: state.reportSha256 } : null);
  const first = captures.find((c) => c.url === main?.url) ?? captures.find((c) => c.sha256 && /html/.test(c.contentType ?? '')) ?? captures[0]!;
  return writeWacz(captures, deps.archive, {
    title: main?.title ?? `${body} ${year}`,
    mainPage: { url: first.url, ts: first.time, title: main?.title ?? undefined },
    created,
  });
}
