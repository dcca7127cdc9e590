/**
 * The year's downloads on the dashboard: every body's findings and every body's figures as CSV, the files `nianbao
 * findings` and `nianbao export` write (the same columns, the same quoting), for a journalist without the command line
 * or AWS credentials. Made in one pass over the year's body-years (archive/year-sources.ts): a report found but never
 * read has no line in them; the year's page names those reports among its gaps.
 */
import { EXPORT_HEADER, figureCsvLine, figureLines } from '../archive/figures.ts';
import { findingCsvLine, findingLines, FINDINGS_HEADER } from '../archive/findings.ts';
import { csvHead } from '../archive/csv.ts';
import { yearSources } from '../archive/year-sources.ts';
import { StoredRecordError } from '../store/records.ts';
import type { SiteSources } from './data.ts';

export const DOWNLOADS = ['findings', 'figures'] as const;
export type Download = (typeof DOWNLOADS)[number];

/** Where a year's download is, beside the year's page (`year/2024.html`). */
export const downloadPath = (year: number, kind: Download) => `year/${year}-${kind}.csv`;
/** `year/2024-findings.csv` → the year and the kind (the live server's route). */
export const DOWNLOAD_FILE = /^(\d{4})-(findings|figures)\.csv$/;
export const CSV_TYPE = 'text/csv; charset=utf-8';

/** Body-years read at once: on DynamoDB each is two queries (its sources, its current source's rows). */
const READ_AHEAD = 8;

/** Both downloads of `year`, in one pass: each body-year's current source, its findings and its rows. */
export async function yearDownloads(src: SiteSources, year: number): Promise<Record<Download, string>> {
  const bodies = new Map(src.bodies.map((b) => [b.id, b]));
  // Built as one string each: V8 joins the appended lines as a rope, flattened once when written.
  let findings = csvHead(FINDINGS_HEADER);
  let figures = csvHead(EXPORT_HEADER);
  for await (const s of yearSources({ state: src.state, reports: src.reports }, year, { rows: true, concurrency: READ_AHEAD, list: src })) {
    if (s.outcome !== 'read') continue;
    const body = bodies.get(s.state.bodyId);
    const got = findingLines(s.state, s.current, body, () => true);
    for (const l of got.lines) findings += findingCsvLine(l);
    // A stored finding of a shape this version does not read is a damaged record: named and counted as the pages count them.
    if (got.malformed) {
      const e = new StoredRecordError(
        `stored record findings of ${s.state.bodyId} ${year} (source ${s.current.sha256.slice(0, 12)}): ${got.malformed} not in a shape this version reads, not in the download`,
      );
      e.record = { bodyId: s.state.bodyId, year };
      if (!src.onDamaged) throw e;
      src.onDamaged(e);
    }
    for (const l of figureLines(s.state, s.current, s.rows ?? [], body)) figures += figureCsvLine(l);
  }
  return { findings, figures };
}
