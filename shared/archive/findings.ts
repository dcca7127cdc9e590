/**
 * A year's findings, body by body: what `nianbao findings` writes and the API's `GET /findings` answers. One line per
 * body × finding of the source its report was assessed by (the one whose figures the export gives), with who, which
 * report, the rule, its severity, both languages, the cells, expected and actual, and the sentence quoted. The
 * warnings raise no alert; this is the list a watchdog's yearly review of 内容不准确 starts from (WATCHDOGS.md §5).
 *
 * Nothing is left out in silence: a stored finding of a shape this version does not read, a current source that
 * could not be read, and a report found but never read are counted and named beside the lines.
 */
import type { Body } from '../crawl/registry.ts';
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../report/model.ts';
import type { BodyYearState, ListOptions, ReportStore, StateStore, StoredReport } from '../store/ports.ts';
import { currentOfListing } from './report-rows.ts';

/** The columns of a line, in order. */
export const FINDINGS_HEADER = [
  'body',
  'name',
  'region',
  'level',
  'year',
  'status',
  'report_url',
  'report_published',
  'source_sha256',
  'parser_version',
  'rule',
  'severity',
  'zh',
  'en',
  'cells',
  'expected',
  'actual',
  'quote',
] as const;
export type FindingLine = Record<(typeof FINDINGS_HEADER)[number], string | number | null>;

/** A stored finding as the rules write it (report/model.ts Finding); anything else is not one. */
export interface StoredFinding {
  rule: string;
  severity: string;
  zh?: string;
  en?: string;
  message?: string;
  cells?: string[];
  expected?: number | string;
  actual?: number | string;
  quote?: string;
}

const isFinding = (f: unknown): f is StoredFinding =>
  typeof f === 'object' && f !== null && typeof (f as StoredFinding).rule === 'string' && typeof (f as StoredFinding).severity === 'string';

/** Which findings to list: these rules only (all when absent), of `severity` and the graver ones. */
export interface FindingsFilter {
  rules?: readonly string[] | undefined;
  severity?: Severity | undefined;
}

/** The test a finding must pass to be listed. */
export function findingFilter(filter: FindingsFilter): (f: StoredFinding) => boolean {
  const graver = filter.severity ? SEVERITIES.filter((s) => SEVERITY_RANK[s] <= SEVERITY_RANK[filter.severity!]) : SEVERITIES;
  return (f) => (!filter.rules || filter.rules.includes(f.rule)) && (graver as readonly string[]).includes(f.severity);
}

/** The lines of one body-year: its current source's findings that pass the filter. */
export function findingLines(
  state: BodyYearState,
  current: StoredReport,
  body: Body | undefined,
  keep: (f: StoredFinding) => boolean,
): { lines: FindingLine[]; malformed: number } {
  const lines: FindingLine[] = [];
  let malformed = 0;
  for (const f of current.findings) {
    if (!isFinding(f)) {
      malformed++;
      continue;
    }
    if (!keep(f)) continue;
    lines.push({
      body: state.bodyId,
      name: body?.name ?? null,
      region: body?.region ?? null,
      level: body?.level ?? null,
      year: state.year,
      status: state.removedAt ? 'removed' : state.status,
      report_url: current.url,
      // The date the deadline was judged by (the column's or the page's 发布时间), as `export` gives it.
      report_published: state.pageDate ?? current.published ?? null,
      source_sha256: current.sha256,
      parser_version: current.parserVersion,
      rule: f.rule,
      severity: f.severity,
      zh: f.zh ?? f.message ?? null,
      en: f.en ?? null,
      cells: f.cells?.join(' ') ?? null,
      expected: f.expected ?? null,
      actual: f.actual ?? null,
      quote: f.quote ?? null,
    });
  }
  return { lines, malformed };
}

/**
 * What became of one body-year: `read` (its lines, perhaps none), `lost` (its current source could not be read from
 * the store), `not-read` (a report was found but never read: over a limit, corrupt, every source failing), or `none`
 * (no report found: nothing to list, and nothing left out).
 */
export type BodyYearFindings =
  | { bodyId: string; outcome: 'read'; lines: FindingLine[]; malformed: number }
  | { bodyId: string; outcome: 'lost' | 'not-read' | 'none' };

/** The stores a listing reads: the year's states, and each body-year's sources. */
export interface FindingsStores {
  state: Pick<StateStore, 'states'>;
  reports: Pick<ReportStore, 'reports'>;
}

/**
 * Each body-year of `year` in the order of the body's id, from the first after `after` (a page's cursor), with the
 * findings its current source lists. Damaged records are handed to `options.onDamaged` (ListOptions) and left out;
 * a body-year whose current source is among them is `lost`, never shown as clean.
 */
export async function* yearFindings(
  stores: FindingsStores,
  year: number,
  options: { keep: (f: StoredFinding) => boolean; bodies: ReadonlyMap<string, Body>; after?: string | undefined; list?: ListOptions },
): AsyncGenerator<BodyYearFindings> {
  // Sources left out as damaged are told apart per body-year by counting the ones handed over while it was read.
  let damaged = 0;
  const onDamaged: ListOptions['onDamaged'] = (error) => {
    damaged++;
    options.list?.onDamaged?.(error);
  };
  const list: ListOptions = { onDamaged };
  const states = (await stores.state.states(year, list))
    .filter((s) => options.after === undefined || s.bodyId > options.after)
    .sort((a, b) => (a.bodyId < b.bodyId ? -1 : a.bodyId > b.bodyId ? 1 : 0));
  for (const s of states) {
    const before = damaged;
    const sources = await stores.reports.reports(s.bodyId, year, list);
    const listing = currentOfListing(sources, s, damaged > before);
    if (listing.lost) {
      yield { bodyId: s.bodyId, outcome: 'lost' };
      continue;
    }
    const current = listing.current;
    if (!current) {
      // A report seen but never read has no findings to list: said, never left out quietly.
      yield { bodyId: s.bodyId, outcome: s.reportUrl !== undefined || s.unreadable !== undefined ? 'not-read' : 'none' };
      continue;
    }
    const got = findingLines(s, current, options.bodies.get(s.bodyId), options.keep);
    yield { bodyId: s.bodyId, outcome: 'read', ...got };
  }
}
