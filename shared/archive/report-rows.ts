/**
 * A parsed report as stored: one report item (title, year, format, findings, parser version, the sha256 it
 * was parsed from) and one item per table row with the public keys of docs/format.md §11 (`table3.received` →
 * natural_person … total; `table4` → review_upheld …; `table2.regulations` → issued …).
 */
import { PARSER_VERSION, TABLE3_COLUMNS } from '../report/format.ts';
import type { ParsedReport } from '../report/model.ts';
import type { BodyYearState, StoredReport, StoredRow } from '../store/ports.ts';

export interface Provenance {
  bodyId: string;
  sha256: string;
  url: string;
  captureId?: string | undefined;
  /** Report year when the page does not say it. */
  year?: number | undefined;
  /** When it was parsed (from the caller's clock). */
  parsedAt: string;
}

export function toStored(report: ParsedReport, p: Provenance): { report: StoredReport; rows: StoredRow[] } {
  const year = report.year ?? p.year;
  if (!year) throw new Error(`${p.url}: the report year is unknown; give it explicitly`);
  const rows: StoredRow[] = [];
  const row = (name: string, values: Record<string, number | null>) => rows.push({ bodyId: p.bodyId, year, sha256: p.sha256, row: name, values });
  for (const [key, cells] of Object.entries(report.table3?.rows ?? {})) {
    row(`table3.${key}`, Object.fromEntries(TABLE3_COLUMNS.map((c, i) => [c, cells![i] ?? null])));
  }
  if (report.table4) row('table4', { ...report.table4 });
  for (const [key, v] of Object.entries(report.table2 ?? {})) {
    row(`table2.${key}`, v !== null && typeof v === 'object' ? { ...v } : { value: v });
  }
  return {
    report: {
      bodyId: p.bodyId,
      year,
      sha256: p.sha256,
      url: p.url,
      ...(p.captureId ? { captureId: p.captureId } : {}),
      title: report.title,
      format: report.format,
      published: report.published,
      findings: report.findings,
      parserVersion: PARSER_VERSION,
      parsedAt: p.parsedAt,
    },
    rows,
  };
}

/**
 * The source that stands for a body-year's report now: the one the crawl assessed it by (the state's `mainSha256`),
 * else — a state written before nianbao kept that — the report page as last captured (`reportSha256`), else the
 * source parsed last. A page and its attachment read in the same crawl are parsed at the same moment, so "parsed
 * last" alone could name either.
 */
export function currentSource(sources: readonly StoredReport[], state: CurrentOfState | null | undefined): StoredReport | undefined {
  const named = (sha256: string | undefined) => (sha256 ? sources.find((s) => s.sha256 === sha256) : undefined);
  return named(state?.mainSha256) ?? named(state?.reportSha256) ?? sources.at(-1);
}

/** What of a body-year's state names its current source. */
export type CurrentOfState = Pick<BodyYearState, 'reportSha256' | 'mainSha256'>;

/**
 * `currentSource` of a listing that left damaged sources out (ListOptions): when the source the state names is
 * missing and some source was left out, that one may be it, and no other source stands in for it (`lost`: say so
 * instead).
 */
export function currentOfListing(
  sources: readonly StoredReport[],
  state: CurrentOfState | null | undefined,
  sourcesLeftOut: boolean,
): { current: StoredReport | undefined; lost: boolean } {
  const named = state?.mainSha256 ?? state?.reportSha256;
  const lost = sourcesLeftOut && !!named && !sources.some((s) => s.sha256 === named);
  return { current: lost ? undefined : currentSource(sources, state), lost };
}

/**
 * The figures of a stored row its source could not be read for (CELL-UNREAD, rules/unread.ts), by column key. They
 * are stored as `null`, as a blank is: this is what tells them apart — never a gap read as "not reported" (nor as 0).
 * Cells are named `table3.granted.natural_person`, `table4.review_total`, `table2.regulations.issued`, or
 * `table2.licensing` for a table 二 row of one figure (stored as `value`).
 */
export function unreadColumns(report: StoredReport | undefined, row: string): string[] {
  if (!report) return [];
  let byRow = UNREAD.get(report);
  if (!byRow) {
    byRow = new Map();
    for (const f of (report.findings ?? []) as { rule?: unknown; cells?: unknown }[]) {
      if (f?.rule !== 'CELL-UNREAD' || !Array.isArray(f.cells)) continue;
      for (const cell of f.cells) {
        if (typeof cell !== 'string') continue;
        const [at, column] = cellPlace(cell);
        const list = byRow.get(at) ?? [];
        if (!list.includes(column)) list.push(column);
        byRow.set(at, list);
      }
    }
    UNREAD.set(report, byRow);
  }
  return byRow.get(row) ?? [];
}

/** Each source's unread columns by row, worked out once for its ~30 rows. */
const UNREAD = new WeakMap<StoredReport, Map<string, string[]>>();

/** The export row and column of a cell name. */
function cellPlace(cell: string): [row: string, column: string] {
  const parts = cell.split('.');
  if (parts[0] === 'table4') return ['table4', parts.slice(1).join('.')];
  if (parts.length === 2) return [cell, 'value'];
  return [parts.slice(0, 2).join('.'), parts.slice(2).join('.')];
}
