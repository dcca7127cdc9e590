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
import type { BodyYearState, StoredReport } from '../store/ports.ts';
import { csvCell } from './csv.ts';
import { reportColumns, type YearSource, type YearSourceOptions, type YearSourceStores, yearSources } from './year-sources.ts';

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

/** A finding line as a line of CSV (`FINDINGS_HEADER`). */
export const findingCsvLine = (l: FindingLine): string => `${FINDINGS_HEADER.map((h) => csvCell(l[h])).join(',')}\n`;

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
      ...reportColumns(state, current, body),
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
 * Each body-year of `year` (year-sources.ts: in the order of the body's id, from the first after `after`) with the
 * findings its current source lists that `keep` passes.
 */
export async function* yearFindings(
  stores: YearSourceStores,
  year: number,
  options: YearSourceOptions & { keep: (f: StoredFinding) => boolean; bodies: ReadonlyMap<string, Body> },
): AsyncGenerator<{ bodyId: string; outcome: YearSource['outcome']; lines: FindingLine[]; malformed: number }> {
  for await (const s of yearSources(stores, year, options)) {
    const got = s.outcome === 'read' ? findingLines(s.state, s.current, options.bodies.get(s.state.bodyId), options.keep) : { lines: [], malformed: 0 };
    yield { bodyId: s.state.bodyId, outcome: s.outcome, ...got };
  }
}
