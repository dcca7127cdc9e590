/**
 * Stage: a report we saw before is no longer in the column. That alone proves nothing (the list may be cut, a
 * page of it may have failed, the link may have moved down): the report's own URL is asked. It is `removed` only
 * when that URL answers 404/410, or answers with something that is no longer the report while the column was
 * read whole; if the URL still serves the report, the report is still there; anything else (a 503, a timeout)
 * leaves the question open.
 */
import { archiveFetch } from '../archive/capture.ts';
import { describeReport, type DiscoveredReport } from '../crawl/discover.ts';
import type { Fetcher } from '../crawl/fetcher.ts';
import { NEXT_STEP } from '../crawl/outcomes.ts';
import type { Body } from '../crawl/registry.ts';
import type { ParsedReport } from '../report/model.ts';
import type { ArchiveStore, CaptureLog, CaptureRecord } from '../store/ports.ts';
import { readBytes } from './sources.ts';
import type { ReportParser } from '../check.ts';

export type Whereabouts =
  | { kind: 'removed'; capture: CaptureRecord; reason: string }
  | { kind: 'present'; report: DiscoveredReport; capture: CaptureRecord }
  | { kind: 'unknown'; capture: CaptureRecord; reason: string };

/** A page that is a report of `year`: it has figures, or a report title naming the year. */
export function isReportOf(p: ParsedReport | null, year: number): boolean {
  if (!p) return false;
  if (p.table2 || p.table3 || p.table4) return true;
  return !!p.title && /年度报告|年报/.test(p.title) && (p.year === year || p.title.includes(String(year)));
}

export async function lookForReport(
  body: Body,
  year: number,
  url: string,
  columnReadWhole: boolean,
  deps: { fetcher: Fetcher; archive: ArchiveStore; captures: CaptureLog; parser?: ReportParser | undefined },
): Promise<Whereabouts> {
  const r = await deps.fetcher.fetch({ url, encoding: body.encoding });
  const capture = await archiveFetch(r, { archive: deps.archive, log: deps.captures }, { bodyId: body.id, year });
  if (r.outcome === 'not_found' || r.outcome === 'gone') return { kind: 'removed', capture, reason: `HTTP ${r.status}` };
  if (NEXT_STEP[r.outcome] !== 'use' || !capture.sha256) return { kind: 'unknown', capture, reason: r.outcome };
  const bytes = await deps.archive.get(capture.sha256);
  const read = bytes ? await readBytes(bytes, url, r.contentType, year, deps.parser, capture.sha256) : { parsed: null };
  if (isReportOf(read.parsed, year)) {
    return { kind: 'present', capture, report: describeReport(url, { year, title: read.parsed?.title ?? url, via: r.via }, r, body) };
  }
  if (columnReadWhole) return { kind: 'removed', capture, reason: 'the URL no longer serves the report / 该地址已不是年度报告' };
  return { kind: 'unknown', capture, reason: 'the URL no longer serves the report, but the column was not read whole' };
}
