/**
 * Table 三 from flattened text (one cell per line, pipe rows, PDF text, cells run together).
 * Rows are found by label in template order (never by position); run-together digits are split with the
 * row total and then the column identities (resolve.ts).
 */
import { Evidence, UNREAD } from './evidence.ts';
import { TABLE3_COLUMNS, table3Rows, type Table3RowDef, type Table3RowKey, table3CellName } from './format.ts';
import type { Table3 } from './model.ts';
import { resolveTable3, type Values } from './resolve.ts';
import { n0, splitRuns } from './split.ts';
import { matchRows, valuesPart, type RowMatch } from './text-rows.ts';
import { SEARCH_ABANDONED } from './read-tokens.ts';
import { segmentTokens, type Token } from './tokens.ts';

const WIDTH = TABLE3_COLUMNS.length;
const cellName = (key: string, c: number) => table3CellName(key, TABLE3_COLUMNS[c]!);

export interface Table3Reading {
  table: Table3;
  format: '2021' | '2019';
  evidence: Evidence;
}

function rowTotalHolds(v: Values): boolean {
  return v.slice(0, 6).reduce((s: number, x) => s + n0(x), 0) === n0(v[6]);
}

/** The template of table 三 in `text`: 2021 if the （六） sub-rows are there, else 2019. */
export function table3FormatOf(text: string): '2021' | '2019' {
  return matchTable(text).format;
}

/** Chooses the row set: the 2021 rows if the three （六） sub-rows are there, else the 2019 single row. */
function matchTable(text: string): { format: '2021' | '2019'; rows: RowMatch<Table3RowKey>[] } {
  const rows2021 = matchRows(text, table3Rows('2021'));
  const subRows = rows2021.filter((r) => r.key.startsWith('other_')).length;
  if (subRows >= 2) return { format: '2021', rows: rows2021 };
  return { format: '2019', rows: matchRows(text, table3Rows('2019')) };
}

/** What reading the rows builds up: rows read for certain, rows with several splits left, each row's tokens. */
interface Readings {
  evidence: Evidence;
  fixed: Map<Table3RowKey, Values>;
  open: Map<Table3RowKey, Values[]>;
  tokensOf: Map<Table3RowKey, Token[]>;
}

const rowCells = (key: string) => TABLE3_COLUMNS.map((_, c) => cellName(key, c));
const sourceOf = (tokens: Token[]) => tokens.map((t) => t.text.trim()).join(' ');

/**
 * One row's figures: seven tokens are read as they are; fewer are run-together digits split so the row total holds
 * (one split: inferred; several: left open for the table's arithmetic; none or a search abandoned: unread, with why).
 */
function readRow(row: RowMatch<Table3RowKey>, r: Readings): void {
  const tokens = segmentTokens(valuesPart(row.segment));
  r.tokensOf.set(row.key, tokens);
  const source = sourceOf(tokens);
  if (tokens.length === WIDTH) {
    r.fixed.set(
      row.key,
      tokens.map((t) => ('atom' in t.piece ? t.piece.atom : Number(t.piece.digits))),
    );
    tokens.forEach((t, c) => (r.evidence.sources[cellName(row.key, c)] = t.text.trim()));
    return;
  }
  const candidates =
    tokens.length > 0 && tokens.length < WIDTH
      ? splitRuns(
          tokens.map((t) => t.piece),
          { count: WIDTH, accept: rowTotalHolds, limit: 64 },
        )
      : [];
  const exhausted = 'exhausted' in candidates && candidates.exhausted;
  if (candidates.length === 1 && !exhausted) {
    r.fixed.set(row.key, candidates[0]!);
    markInferred(r.evidence, row.key, source);
  } else if (exhausted) {
    const cells = rowCells(row.key);
    r.evidence.unread(cells, SEARCH_ABANDONED, source);
    r.evidence.ambiguous.push({ cells, source, candidates: [...candidates], truncated: true, reason: SEARCH_ABANDONED });
  } else if (candidates.length > 1) {
    r.open.set(row.key, candidates);
  } else {
    const reason =
      tokens.length === 0
        ? UNREAD.noValues
        : tokens.length > WIDTH
          ? UNREAD.tooMany(tokens.length, WIDTH)
          : 'no split of the digits satisfies the row total / 没有满足行合计的拆分';
    r.evidence.unread(rowCells(row.key), reason, tokens.length ? source : row.segment.trim());
    if (tokens.length > 0) r.evidence.ambiguous.push({ cells: rowCells(row.key), source, candidates: [], reason });
  }
}

/** Rows with several splits: the table's arithmetic chooses (resolve.ts); rows it cannot decide stay unread. */
function settleOpenRows(r: Readings): void {
  const { chosen, open: stillOpen } = resolveTable3(r.fixed, r.open);
  for (const [key, values] of chosen) {
    r.fixed.set(key, values);
    markInferred(r.evidence, key, sourceOf(r.tokensOf.get(key)!));
  }
  for (const [key, candidates] of stillOpen) {
    const source = sourceOf(r.tokensOf.get(key)!);
    const reason = 'several splits satisfy the table arithmetic / 多种拆分均符合表内勾稽关系';
    r.evidence.unread(rowCells(key), reason, source);
    r.evidence.ambiguous.push({ cells: rowCells(key), source, candidates, reason });
  }
}

/** Reads table 三 from `text` (the table's region); null when fewer than half its rows are found. */
export function table3FromText(text: string): Table3Reading | null {
  const { format, rows: found } = matchTable(text);
  if (found.length < table3Rows(format).length / 2) return null;
  const evidence = new Evidence();
  const r: Readings = { evidence, fixed: new Map(), open: new Map(), tokensOf: new Map() };
  for (const row of withMisprintedRows(found, table3Rows(format), evidence)) readRow(row, r);
  settleOpenRows(r);
  const table: Table3 = { columns: [...TABLE3_COLUMNS], rows: {} };
  for (const def of table3Rows(format)) {
    const values = r.fixed.get(def.key);
    table.rows[def.key] = values ? [...values] : Array<null>(WIDTH).fill(null);
    if (!values && !r.tokensOf.has(def.key)) evidence.unread(rowCells(def.key), UNREAD.labelNotFound);
    values?.forEach((v, c) => {
      if (v === null && !evidence.unreadable.includes(cellName(def.key, c))) evidence.blank.push(cellName(def.key, c));
    });
  }
  return { table, format, evidence };
}

function markInferred(evidence: Evidence, key: string, source: string): void {
  TABLE3_COLUMNS.forEach((_, c) => {
    evidence.inferred.push(cellName(key, c));
    evidence.sources[cellName(key, c)] = source;
  });
}

/**
 * A leaf row whose label is misprinted beyond recognition (洪泽区 2023/2024: "2.其他法律行政止公开") sits inside the
 * segment of the row before it, after that row's values. It is taken there when it starts with the leaf number the
 * template expects at that place and holds exactly one row of values; the row is then placed by position.
 */
function withMisprintedRows(rows: RowMatch<Table3RowKey>[], defs: Table3RowDef[], evidence: Evidence): RowMatch<Table3RowKey>[] {
  const found = new Set(rows.map((r) => r.key));
  const out = [...rows];
  defs.forEach((def, i) => {
    if (found.has(def.key) || def.number === undefined) return;
    const prev = rows.find((r) => r.key === defs[i - 1]?.key);
    const next = defs[i + 1];
    if (!prev || !next || !found.has(next.key)) return;
    const rest = prev.segment.slice(valuesPart(prev.segment).length);
    const m = new RegExp(`(?:^|\\n)\\s*${def.number}\\s*[.、．]\\s*[^\\d\\n]{2,40}?((?:[ \\t]+[\\d/—-]+){${WIDTH}})[ \\t]*(?:\\n|$)`).exec(rest);
    if (!m) return;
    const at = prev.end + valuesPart(prev.segment).length + m.index;
    prev.segment = prev.segment.slice(0, valuesPart(prev.segment).length + m.index);
    out.push({ key: def.key, start: at, end: at, segment: m[1]! });
    evidence.placed.push(`table3.${def.key}`);
  });
  return out.sort((a, b) => a.start - b.start);
}
