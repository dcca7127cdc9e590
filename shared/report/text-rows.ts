/**
 * Aligning flattened text to a sequence of row labels: each label is searched after the previous one, and
 * the text between a label and the next is that row's segment (its values).
 */
import { rowLabelPattern } from './normalize.ts';

export interface RowLabel<K extends string> {
  key: K;
  core: string;
  number?: number;
  numberRequired?: boolean;
}

export interface RowMatch<K extends string> {
  key: K;
  start: number;
  end: number;
  segment: string;
}

/**
 * A leaf number may stand up to a few characters before the core ("1 、申请人无正当理由逾期不补正"): the gap
 * (no digits) is consumed with the label so the number is not read as a figure.
 */
function labelRegex(l: RowLabel<string>): RegExp {
  if (l.number === undefined) return new RegExp(rowLabelPattern(l.core), 'g');
  const core = rowLabelPattern(l.core);
  const prefix = `${l.number}\\s*[.、,，:]\\s*[^\\d\\n]{0,24}?`;
  return new RegExp(l.numberRequired ? `${prefix}${core}` : `(?:${prefix})?${core}`, 'g');
}

// A unit right after a number ("251000元") belongs to the value, not to the words that follow.
const CJK_AFTER_VALUE = /[\d/—][^\u4e00-\u9fff]*?(?:(?<=\d)(?:万元|亿元|元))?[^\u4e00-\u9fff]*?(?=[\u4e00-\u9fff])(?!(?<=\d)(?:万元|亿元|元))/;
const STANDALONE_PLACEHOLDER = /(?<=^|[\s|])[无空](?=$|[\s|])/g;
const TRAILING_LEAF_NUMBER = /\d+[ \t]*[.、,，:]\s*$/; // "2、" of the next row, never "1\n、" (a vertical 三、 beside the figures)

/**
 * The values part of a segment: words after the values (the next group heading "（四）无法提供", a label
 * continued on the next line) are cut off, and so is a dangling leaf number of the next row.
 */
export function valuesPart(segment: string): string {
  const s = segment.replace(STANDALONE_PLACEHOLDER, '/');
  const m = CJK_AFTER_VALUE.exec(s);
  const cut = m ? s.slice(0, m.index + m[0].length) : s;
  return cut.replace(TRAILING_LEAF_NUMBER, '');
}

/** Finds `labels` in order inside `text` (labels not found are skipped) and returns their segments. */
export function matchRows<K extends string>(text: string, labels: readonly RowLabel<K>[]): RowMatch<K>[] {
  const hits: Omit<RowMatch<K>, 'segment'>[] = [];
  let pos = 0;
  for (const l of labels) {
    const re = labelRegex(l);
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) continue;
    hits.push({ key: l.key, start: m.index, end: m.index + m[0].length });
    pos = m.index + m[0].length;
  }
  return hits.map((h, i) => ({ ...h, segment: text.slice(h.end, hits[i + 1]?.start ?? text.length) }));
}

/**
 * Finds each of `labels` wherever it stands (table 二's rows are named uniquely, and converters move its blocks:
 * 行政许可 … before 规章): for each label the occurrence whose values score best, its segment reaching to the next
 * label found.
 */
export function matchRowsAnyOrder<K extends string>(text: string, labels: readonly RowLabel<K>[], score: (key: K, segment: string) => number): RowMatch<K>[] {
  const all = labels.map((l) => ({ l, hits: [...text.matchAll(labelRegex(l))].map((m) => ({ start: m.index, end: m.index + m[0].length })) }));
  const starts = all.flatMap((a) => a.hits.map((h) => h.start)).sort((a, b) => a - b);
  const segmentOf = (h: { start: number; end: number }) => text.slice(h.end, starts.find((s) => s >= h.end) ?? text.length);
  const out: RowMatch<K>[] = [];
  for (const { l, hits } of all) {
    // The occurrence whose values fit the row best (the earliest of equals): a sentence of the text that names
    // the row ("行政规范性文件13件") loses to the table row itself.
    let hit = hits[0];
    let best = -1;
    for (const h of hits) {
      const sc = score(l.key, segmentOf(h));
      if (sc > best) [hit, best] = [h, sc];
    }
    if (hit) out.push({ key: l.key, ...hit, segment: segmentOf(hit) });
  }
  return out.sort((a, b) => a.start - b.start);
}
