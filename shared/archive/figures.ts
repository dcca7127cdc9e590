/**
 * A year's figures, body by body: the rows of the source each report was assessed by, as the API's `GET /figures`
 * answers them (the same rows `nianbao export` writes, with their values as stored: only the cells the row has).
 * Each row names its figures that could not be read (`unread`, CELL-UNREAD): they are `null`, as a blank is, and told
 * apart only there — never a gap read as "not reported" or as 0.
 */
import type { Body } from '../crawl/registry.ts';
import { TABLE2_ROWS_2019, TABLE2_ROWS_2021, TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_KEYS } from '../report/format.ts';
import { csvCell } from './csv.ts';
import type { BodyYearState, ReportStore, StoredReport, StoredRow } from '../store/ports.ts';
import { unreadColumns } from './report-rows.ts';
import { reportColumns, type YearSource, type YearSourceOptions, type YearSourceStores, yearSources } from './year-sources.ts';

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
  options: YearSourceOptions & { bodies: ReadonlyMap<string, Body>; keepRow?: ((row: string) => boolean) | undefined },
): AsyncGenerator<{ bodyId: string; outcome: YearSource['outcome']; lines: FigureLine[] }> {
  for await (const s of yearSources(stores, year, { ...options, rows: true })) {
    const lines = s.outcome === 'read' ? figureLines(s.state, s.current, s.rows ?? [], options.bodies.get(s.state.bodyId), options.keepRow) : [];
    yield { bodyId: s.state.bodyId, outcome: s.outcome, lines };
  }
}

const TABLE2_COLUMNS = [...new Set([...TABLE2_ROWS_2021, ...TABLE2_ROWS_2019].flatMap((r) => r.columns.map((c) => c.key)))];
/** Every value column, in a stable order: table 三's, then table 四's, then table 二's. */
export const EXPORT_COLUMNS = [...TABLE3_COLUMNS, ...TABLE4_KEYS, ...TABLE2_COLUMNS];

/**
 * What a row of the export carries: who, which report, which row (key and label), and the figures. The report's own
 * fields are named `report_…`: a figure column may have the same key (table 二's 2019 `published`, 本年新公开数量),
 * and one name for two things lost one of them.
 */
export const EXPORT_HEADER = [
  'body',
  'name',
  'region',
  'level',
  'year',
  'report_url',
  'report_published',
  'source_sha256',
  'row',
  'row_label',
  ...EXPORT_COLUMNS,
  // The row's figures that could not be read (`unreadColumns`): empty cells, as blanks are, told apart only here.
  'unread',
] as const;

/** An export record (`exportRecord`'s columns) of a row the deployed API gave (`GET /figures`). */
export function figureRecord(l: FigureLine) {
  const record = {
    body: l.body,
    name: l.name,
    region: l.region,
    level: l.level,
    year: l.year,
    report_url: l.report_url,
    report_published: l.report_published,
    source_sha256: l.source_sha256,
    row: l.row,
    row_label: l.row_label,
  } as Record<(typeof EXPORT_HEADER)[number], string | number | null | string[]>;
  for (const c of EXPORT_COLUMNS) record[c] = l.values[c] ?? null;
  record.unread = l.unread;
  return record;
}

/** A figure line as a line of the export's CSV (`EXPORT_HEADER`: the figures as columns, `unread` named by key). */
export function figureCsvLine(l: FigureLine): string {
  const r = figureRecord(l);
  return `${EXPORT_HEADER.map((h) => csvCell(h === 'unread' ? l.unread.join(' ') : r[h])).join(',')}\n`;
}
