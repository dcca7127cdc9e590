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

/** Reads table 三 from `text` (the table's region); null when fewer than half its rows are found. */
export function table3FromText(text: string): Table3Reading | null {
  const { format, rows: found } = matchTable(text);
  const expected = table3Rows(format).length;
  if (found.length < expected / 2) return null;
  const evidence = new Evidence();
  const rows = withMisprintedRows(found, table3Rows(format), evidence);
  const fixed = new Map<Table3RowKey, Values>();
  const open = new Map<Table3RowKey, Values[]>();
  const tokensOf = new Map<Table3RowKey, Token[]>();
  for (const row of rows) {
    const tokens = segmentTokens(valuesPart(row.segment));
    tokensOf.set(row.key, tokens);
    const source = tokens.map((t) => t.text.trim()).join(' ');
    if (tokens.length === WIDTH) {
      fixed.set(
        row.key,
        tokens.map((t) => ('atom' in t.piece ? t.piece.atom : Number(t.piece.digits))),
      );
      tokens.forEach((t, c) => (evidence.sources[cellName(row.key, c)] = t.text.trim()));
      continue;
    }
    const candidates =
      tokens.length > 0 && tokens.length < WIDTH
        ? splitRuns(
            tokens.map((t) => t.piece),
            { count: WIDTH, accept: rowTotalHolds, limit: 64 },
          )
        : [];
    if (candidates.length === 1 && !('exhausted' in candidates && candidates.exhausted)) {
      fixed.set(row.key, candidates[0]!);
      markInferred(evidence, row.key, source);
    } else if ('exhausted' in candidates && candidates.exhausted) {
      const cells = TABLE3_COLUMNS.map((_, c) => cellName(row.key, c));
      evidence.unread(cells, SEARCH_ABANDONED, source);
      evidence.ambiguous.push({ cells, source, candidates: [...candidates], truncated: true, reason: SEARCH_ABANDONED });
    } else if (candidates.length > 1) {
      open.set(row.key, candidates);
    } else {
      const cells = TABLE3_COLUMNS.map((_, c) => cellName(row.key, c));
      const reason =
        tokens.length === 0
          ? UNREAD.noValues
          : tokens.length > WIDTH
            ? UNREAD.tooMany(tokens.length, WIDTH)
            : 'no split of the digits satisfies the row total / 没有满足行合计的拆分';
      evidence.unread(cells, reason, tokens.length ? source : row.segment.trim());
      if (tokens.length > 0) evidence.ambiguous.push({ cells, source, candidates: [], reason });
    }
  }
  const { chosen, open: stillOpen } = resolveTable3(fixed, open);
  for (const [key, values] of chosen) {
    fixed.set(key, values);
    markInferred(
      evidence,
      key,
      tokensOf
        .get(key)!
        .map((t) => t.text.trim())
        .join(' '),
    );
  }
  for (const [key, candidates] of stillOpen) {
    const cells = TABLE3_COLUMNS.map((_, c) => cellName(key, c));
    const source = tokensOf
      .get(key)!
      .map((t) => t.text.trim())
      .join(' ');
    const reason = 'several splits satisfy the table arithmetic / 多种拆分均符合表内勾稽关系';
    evidence.unread(cells, reason, source);
    evidence.ambiguous.push({ cells, source, candidates, reason });
  }
  const table: Table3 = { columns: [...TABLE3_COLUMNS], rows: {} };
  for (const def of table3Rows(format)) {
    const values = fixed.get(def.key);
    table.rows[def.key] = values ? [...values] : Array<null>(WIDTH).fill(null);
    if (!values && !tokensOf.has(def.key))
      evidence.unread(
        TABLE3_COLUMNS.map((_, c) => cellName(def.key, c)),
        UNREAD.labelNotFound,
      );
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
