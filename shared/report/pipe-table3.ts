/**
 * Table 三 from pipe rows (Markdown, PDF-to-text converters). Rows with a recognisable label are placed by their
 * label; rows of values only — a converter that moved the label onto a text line of its own, or a label misprinted
 * beyond recognition — are placed by position: between two placed rows, the rows without label fill, in order,
 * the template rows still empty there, and only when their numbers match exactly. Anything else stays unread.
 */
import { readCell } from './cells.ts';
import { Evidence, UNREAD } from './evidence.ts';
import { labelMatcher } from './grid-util.ts';
import { TABLE3_COLUMNS, table3CellName, table3Rows, type Table3RowDef, type Table3RowKey } from './format.ts';
import type { Table3 } from './model.ts';
import { pipeRows, rowValues, type PipeRow } from './pipe-rows.ts';

const WIDTH = TABLE3_COLUMNS.length;

/** Rows needed before pipe rows are taken for table 三 at all. */
const MIN_ROWS = 8;

interface Placed {
  def: Table3RowDef;
  row: PipeRow;
  byPosition: boolean;
}

/** Which template row each pipe row is (by label, then by position); the rows that could not be placed. */
function place(rows: PipeRow[], defs: Table3RowDef[]): { placed: Placed[]; unplaced: { defs: Table3RowDef[]; rows: PipeRow[] }[] } {
  const matchers = defs.map((def) => labelMatcher(def.core, def.number, def.numberRequired));
  let last = -1;
  const labelled = rows.map((row) => {
    if (!row.label) return null;
    const i = matchers.findIndex((m, k) => k > last && m(row.label));
    if (i < 0) return null;
    last = i;
    return i;
  });
  const placed: Placed[] = [];
  const unplaced: { defs: Table3RowDef[]; rows: PipeRow[] }[] = [];
  const taken = new Set(labelled.filter((i): i is number => i !== null));
  let prev = -1;
  let run: PipeRow[] = [];
  const flush = (next: number) => {
    const gaps = defs.map((_, i) => i).filter((i) => i > prev && i < next && !taken.has(i));
    if (run.length > 0 && run.length === gaps.length) run.forEach((row, k) => placed.push({ def: defs[gaps[k]!]!, row, byPosition: true }));
    else if (run.length > 0 || gaps.length > 0) unplaced.push({ defs: gaps.map((i) => defs[i]!), rows: run });
    run = [];
  };
  rows.forEach((row, r) => {
    const i = labelled[r];
    if (i === null || i === undefined) {
      run.push(row);
      return;
    }
    flush(i);
    placed.push({ def: defs[i]!, row, byPosition: false });
    prev = i;
  });
  flush(defs.length);
  return { placed, unplaced };
}

export interface PipeTable3 {
  table: Table3;
  format: '2021' | '2019';
  evidence: Evidence;
  /** Rows placed by their position between recognised rows. */
  byPosition: Table3RowKey[];
}

/** Reads table 三 from the pipe rows of `text` in the given template; null when there are too few. */
export function table3FromPipes(text: string, format: '2021' | '2019'): PipeTable3 | null {
  const rows = pipeRows(text).filter((r) => r.values.length >= WIDTH - 1);
  if (rows.length < MIN_ROWS) return null;
  const defs = table3Rows(format);
  const { placed, unplaced } = place(rows, defs);
  const evidence = new Evidence();
  const table: Table3 = { columns: [...TABLE3_COLUMNS], rows: {} };
  const byPosition: Table3RowKey[] = [];
  for (const def of defs) table.rows[def.key] = Array<null>(WIDTH).fill(null);
  for (const p of placed) {
    const names = TABLE3_COLUMNS.map((c) => table3CellName(p.def.key, c));
    const values = rowValues(p.row, WIDTH);
    if (!values) {
      evidence.unread(names, UNREAD.tooMany(p.row.values.length, WIDTH), p.row.line);
      continue;
    }
    if (p.byPosition) byPosition.push(p.def.key);
    table.rows[p.def.key] = values.map((text, c) => {
      const cell = readCell(text);
      evidence.sources[names[c]!] = text;
      if (cell.kind === 'blank') evidence.blank.push(names[c]!);
      return cell.value;
    });
  }
  for (const u of unplaced) {
    const reason = u.rows.length
      ? `${u.rows.length} rows without a label where ${u.defs.length} template rows are missing: they cannot be placed / ${u.rows.length}行无标签数据无法对应${u.defs.length}个缺失行`
      : UNREAD.labelNotFound;
    for (const def of u.defs)
      evidence.unread(
        TABLE3_COLUMNS.map((c) => table3CellName(def.key, c)),
        reason,
        u.rows.map((r) => r.line).join(' '),
      );
  }
  return { table, format, evidence, byPosition };
}
