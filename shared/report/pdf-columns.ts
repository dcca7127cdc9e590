/**
 * Columns of tables 三 and 四 in a PDF, from the positions of their header words. A blank cell prints
 * nothing, so a row like "821 35 2 1 859" cannot be read from the text alone; placed under the header
 * columns it reads 821 · 35 · (blank) · (blank) · 2 · 1 · 859. Rows are rewritten only when every number
 * falls clearly under a distinct column; otherwise the line is left as it is (and the text parser decides).
 */
import { TABLE3_COLUMN_LABELS, TABLE3_COLUMNS, TABLE3_ROWS } from './format.ts';
import { rowLabelPattern } from './normalize.ts';

/** Touching text items merged into one run (a word or a number), with its horizontal extent. */
export interface Run {
  text: string;
  x0: number;
  x1: number;
  size: number;
}

export type Line = Run[];

const center = (r: Run) => (r.x0 + r.x1) / 2;
const compactText = (s: string) => s.replace(/\s+/g, '');
const NUMERIC = /^(?:\d[\d,]*(?:\.\d+)?|[/—-])$/;

/** Column centers from header runs: stacked words of one column share their x, so they cluster. */
function clusterCenters(runs: Run[], expected: number): number[] | null {
  const xs = runs.map(center).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const size = Math.min(...runs.map((r) => r.size));
  const clusters: number[][] = [[xs[0]!]];
  for (const x of xs.slice(1)) {
    const last = clusters.at(-1)!;
    if (x - last.at(-1)! <= size * 0.6) last.push(x);
    else clusters.push([x]);
  }
  if (clusters.length !== expected) return null;
  return clusters.map((c) => c.reduce((a, b) => a + b, 0) / c.length);
}

const T3_LABELS = TABLE3_COLUMNS.map((c) => TABLE3_COLUMN_LABELS[c]);
/** A run that is (part of) one column label of table 三: "商 业 企" / "业" when the label wraps. */
function isT3HeaderWord(text: string): boolean {
  const t = compactText(text);
  if (!t || /法人|申请人/.test(t)) return false;
  if (t === '其他' || t === '总计') return true;
  return T3_LABELS.some((l) => l !== '其他' && l !== '总计' && (l.startsWith(t) || l.endsWith(t)) && t.length >= 1 && /^[\u4e00-\u9fff]+$/.test(t));
}

/** Any table 三 row label (to tell a row whose cells are all blank from a group heading). */
const ROW_LABEL = new RegExp(TABLE3_ROWS.map((r) => rowLabelPattern(r.core, r.number, r.numberRequired)).join('|'));

const T4_WORDS = /^(?:结果?|果|维持|纠正|其他|其他结果?|尚未|尚未审?|审结|结|总计|结果维持|结果纠正|其他结果|尚未审结)$/;

/**
 * Rewrites value rows of `lines` so blank cells are explicit ("/"), using header positions.
 * `lineText` turns a line into text (as for any other line).
 */
export function placeColumns(lines: Line[], lineText: (l: Line) => string): string[] {
  const text = lines.map(lineText);
  const out = [...text];
  const find = (re: RegExp, from = 0) => {
    for (let i = from; i < text.length; i++) if (re.test(compactText(text[i]!))) return i;
    return -1;
  };
  // Table 三: header between the 勾稽关系/申请人情况 line and the first row (本年新收).
  const headerStart = find(/勾稽关系|申请人情况/);
  const firstRow = headerStart >= 0 ? find(/本年新收/, headerStart) : -1;
  const t4Start = firstRow >= 0 ? find(/行政复议.*行政诉讼|^行政复议$|政府信息公开行政(?:法)?复议/, firstRow) : -1;
  if (headerStart >= 0 && firstRow > headerStart && firstRow - headerStart <= 12) {
    const header = lines
      .slice(headerStart, firstRow)
      .flat()
      .filter((r) => isT3HeaderWord(r.text));
    const centers = clusterCenters(header, 7);
    const end = t4Start > 0 ? t4Start : lines.length;
    if (centers) {
      for (let i = firstRow; i < end; i++) {
        const set = (t: string) => (out[i] = t);
        if (rewrite(lines[i]!, centers, lineText, set) !== 'no-numbers') continue;
        // A row label with no number at all: every cell blank — unless its numbers are on the next line
        // (a label that wraps around its values, 淮安 2024: "(二)部分公开(…只计这一情" / numbers / "形…)").
        const next = lines[i + 1];
        const valuesNext = next && next.length > 0 && next.every((r) => NUMERIC.test(compactText(r.text)));
        if (ROW_LABEL.test(text[i]!) && !valuesNext) set(`${text[i]}   ${centers.map(() => '/').join('   ')}`);
      }
    }
  }
  // Table 四: header words between its first line and the value line, 15 columns.
  if (t4Start >= 0) {
    const valueLine = lines.findIndex((l, i) => i > t4Start && l.length > 0 && l.every((r) => NUMERIC.test(compactText(r.text))));
    if (valueLine > t4Start && valueLine - t4Start <= 14) {
      const header = lines
        .slice(t4Start, valueLine)
        .flat()
        .filter((r) => T4_WORDS.test(compactText(r.text)));
      const centers = clusterCenters(header, 15);
      if (centers) rewrite(lines[valueLine]!, centers, lineText, (t) => (out[valueLine] = t));
    }
  }
  return out;
}

/** Places a line's numbers under the column centers; calls `set` only when all of them fit. */
function rewrite(line: Line, centers: number[], lineText: (l: Line) => string, set: (text: string) => void): 'no-numbers' | 'done' | 'kept' {
  const spacing = Math.min(...centers.slice(1).map((c, i) => c - centers[i]!));
  const tol = spacing * 0.45;
  const left = centers[0]! - tol;
  const numbers = line.filter((r) => NUMERIC.test(compactText(r.text)) && center(r) >= left);
  if (numbers.length === 0) return 'no-numbers';
  if (numbers.length >= centers.length) return 'kept';
  const cells: (string | null)[] = centers.map(() => null);
  for (const r of numbers) {
    const c = center(r);
    const col = centers.reduce((best, x, i) => (Math.abs(x - c) < Math.abs(centers[best]! - c) ? i : best), 0);
    if (Math.abs(centers[col]! - c) > tol || cells[col] !== null) return 'kept'; // not clearly in one column
    cells[col] = compactText(r.text);
  }
  const label = lineText(line.filter((r) => !numbers.includes(r)));
  set(`${label}   ${cells.map((c) => c ?? '/').join('   ')}`.trim());
  return 'done';
}
