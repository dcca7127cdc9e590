/**
 * A year's figures, body by body: the rows of the source each report was assessed by, as the API's `GET /figures`
 * answers them (the same rows `nianbao export` writes, with their values as stored: only the cells the row has).
 * Each row names its figures that could not be read (`unread`, CELL-UNREAD): they are `null`, as a blank is, and told
 * apart only there — never a gap read as "not reported" or as 0.
 */
import type { Body } from '../crawl/registry.ts';
import { TABLE2_ROWS_2019, TABLE2_ROWS_2021, TABLE3_ROWS } from '../report/format.ts';
import type { BodyYearState, ListOptions, ReportStore, StoredReport, StoredRow } from '../store/ports.ts';
import { unreadColumns } from './report-rows.ts';
import { reportColumns, type YearSource, type YearSourceStores, yearSources } from './year-sources.ts';

/** Every row key a report's figures are stored under, in the template's order: table 三's, table 四, table 二's. */
export const FIGURE_ROWS = [
  ...TABLE3_ROWS.map((r) => `table3.${r.key}`),
  'table4',
  ...[...new Set([...TABLE2_ROWS_2021, ...TABLE2_ROWS_2019].map((r) => r.key))].map((k) => `table2.${k}`),
];

/** Each row key's place in FIGURE_ROWS (the template's order). */
export const ROW_RANK = new Map(FIGURE_ROWS.map((r, i) => [r, i]));

/** The Chinese label of a row key (the template's wording), beside the key so a spreadsheet reads either. */
export const ROW_LABELS = new Map<string, string>([
  ...TABLE3_ROWS.map((r) => [`table3.${r.key}`, `表三 ${r.group ? `${r.group} ` : ''}${r.label}`] as [string, string]),
  ['table4', '表四 行政复议、行政诉讼'],
  ...[...TABLE2_ROWS_2021, ...TABLE2_ROWS_2019].map((r) => [`table2.${r.key}`, `表二 ${r.label}`] as [string, string]),
]);

/** One row of one body's report: who, which report, which row, its figures and those that could not be read. */
export type FigureLine = ReturnType<typeof reportColumns> & {
  row: string;
  row_label: string | null;
  values: Record<string, number | null>;
  unread: string[];
};

/** The lines of one body-year's current source: its rows of `keepRow`, in the template's order. */
export function figureLines(
  state: BodyYearState,
  current: StoredReport,
  rows: readonly StoredRow[],
  body: Body | undefined,
  keepRow: ((row: string) => boolean) | undefined = undefined,
): FigureLine[] {
  return rows
    .filter((r) => ROW_RANK.has(r.row) && (!keepRow || keepRow(r.row)))
    .sort((a, b) => ROW_RANK.get(a.row)! - ROW_RANK.get(b.row)!)
    .map((r) => ({
      ...reportColumns(state, current, body),
      row: r.row,
      row_label: ROW_LABELS.get(r.row) ?? null,
      values: r.values,
      unread: unreadColumns(current, r.row),
    }));
}

/**
 * Each body-year of `year` (year-sources.ts: in the order of the body's id, from the first after `after`) with the
 * rows of its current source that `keepRow` passes.
 */
export async function* yearFigures(
  stores: YearSourceStores & { reports: Pick<ReportStore, 'reports' | 'rows'> },
  year: number,
  options: { bodies: ReadonlyMap<string, Body>; keepRow?: ((row: string) => boolean) | undefined; after?: string | undefined; list?: ListOptions },
): AsyncGenerator<{ bodyId: string; outcome: YearSource['outcome']; lines: FigureLine[] }> {
  for await (const s of yearSources(stores, year, options)) {
    if (s.outcome !== 'read') {
      yield { bodyId: s.state.bodyId, outcome: s.outcome, lines: [] };
      continue;
    }
    const rows = await stores.reports.rows(s.state.bodyId, year, s.current.sha256, options.list);
    yield { bodyId: s.state.bodyId, outcome: 'read', lines: figureLines(s.state, s.current, rows, options.bodies.get(s.state.bodyId), options.keepRow) };
  }
}
