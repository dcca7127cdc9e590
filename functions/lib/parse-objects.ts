/** Parsing the captures of archived objects named by S3 events (the parse function's work). */
import type { S3Event } from 'aws-lambda';
import { allPages } from '../../shared/archive/export.ts';
import { parseCapture } from '../../shared/pipeline.ts';
import { PARSER_VERSION } from '../../shared/report/format.ts';
import { SHA256 } from '../../shared/store/hash.ts';
import type { ArchiveStore, BodyYearState, CaptureLog, Clock, ReportStore, StateStore } from '../../shared/store/ports.ts';
import type { ReportParser } from '../../shared/check.ts';
import type { Body } from '../../shared/crawl/registry.ts';
import { catalogue } from '../../shared/alerts/catalogue.ts';
import { findingCandidates, reconcileAlerts } from '../../shared/alerts/decide.ts';
import { errorDetails, type Logger } from './log.ts';

export interface ParseDeps {
  archive: ArchiveStore;
  captures: CaptureLog;
  reports: ReportStore;
  state: StateStore;
  bodies: Map<string, Body>;
  clock: Clock;
  log: Logger;
  /** Where documents are read (default: in this thread, nothing kept). */
  parser?: ReportParser | undefined;
}

/** The sha256 of an archived object key (`blobs/sha256/<hex>`), or null for any other key. */
export function shaOfKey(key: string): string | null {
  const sha = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(decodeURIComponent(key.replace(/\+/g, ' ')))?.[1];
  return sha && SHA256.test(sha) ? sha : null;
}

/**
 * Parses the captures of each object and stores their figures. When the capture is the source the crawl assessed the
 * body-year's report by (`speaksForReport`), the report's defects open `inconsistent` alerts — the same identities
 * the crawl gives them, so a defect found again is not a new alert. Alerts are only opened here, never
 * resolved (the crawl sees every source of the body-year; this function sees one object) and never
 * delivered: the body's next crawl batch or the daily deadlines run delivers them, so no two functions
 * race to send one alert.
 */
export async function parseObjects(event: S3Event, d: ParseDeps): Promise<{ parsed: number; skipped: number; failed: number; alerts: number; unread: number }> {
  const tally = { parsed: 0, skipped: 0, failed: 0, alerts: 0, unread: 0 };
  for (const record of event.Records) {
    const sha256 = shaOfKey(record.s3.object.key);
    if (!sha256) continue;
    // Captures name the body and report year; a column page (no year) is not a report.
    const captures = (await allPages((cursor) => d.captures.bySha256(sha256, { cursor }))).filter((c) => c.bodyId && c.year);
    const seen = new Set<string>();
    for (const capture of captures) {
      const key = `${capture.bodyId}#${capture.year}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const stored = await d.reports.reports(capture.bodyId!, capture.year!);
      if (stored.some((r) => r.sha256 === sha256 && r.parserVersion === PARSER_VERSION)) {
        tally.skipped++;
        continue;
      }
      try {
        const parsed = await parseCapture(capture, d, { bodyId: capture.bodyId!, year: capture.year!, parsedAt: new Date(d.clock.now()).toISOString() });
        tally.parsed++;
        tally.unread += parsed?.unread.length ?? 0;
        const body = d.bodies.get(capture.bodyId!);
        const state = await d.state.getState(capture.bodyId!, capture.year!);
        if (parsed && body && state && speaksForReport(state, capture.url, sha256)) {
          const source = { sha256, time: capture.time, url: capture.url };
          const candidates = findingCandidates(body, capture.year!, parsed, source);
          if (parsed.unread.length) candidates.push(catalogue.unread(body, capture.year!, parsed.unread, source));
          const opened = await reconcileAlerts(
            d.state,
            { bodyId: body.id, bodyName: body.name, region: body.region, year: capture.year! },
            candidates,
            [],
            new Date(d.clock.now()).toISOString(),
          );
          tally.alerts += opened.length;
        }
        d.log.log('info', 'parsed', {
          sha256,
          body: capture.bodyId,
          year: capture.year,
          format: parsed?.format ?? null,
          findings: parsed?.findings.length ?? 0,
        });
      } catch (e) {
        tally.failed++;
        d.log.log('error', 'parse failed', { sha256, body: capture.bodyId, year: capture.year, ...errorDetails(e, true) });
      }
    }
  }
  return tally;
}

/**
 * Whether a capture is the source the crawl assessed its body-year's report by: the state's `mainSha256` — the page,
 * or the attachment that holds tables 三 and 四 when the page only sends the reader to it; the page's own findings
 * (tables it leaves to the attachment) are then no defect of the report. A state from before nianbao kept that names
 * the report page only (`reportUrl`).
 */
export function speaksForReport(state: Pick<BodyYearState, 'mainSha256' | 'reportUrl'>, url: string, sha256: string): boolean {
  return state.mainSha256 ? state.mainSha256 === sha256 : state.reportUrl === url;
}
