/**
 * Table 四 from flattened text: the 15 numbers follow all the header words (seed file, PDF text layers)
 * and are read in template column order (docs/format.md §5); run together ("10203120001200000", 平潭) they are
 * split with the three group totals (维持+纠正+其他+尚未审结 = 总计).
 */
import { Evidence } from './evidence.ts';
import { TABLE4_KEYS, type Table4Key } from './format.ts';
import type { Table4 } from './model.ts';
import { readTokens } from './read-tokens.ts';
import { n0 } from './split.ts';
import { valuesPart } from './text-rows.ts';
import { segmentTokens } from './tokens.ts';
import { pipeRows } from './pipe-rows.ts';

/** Header words of table 四; in PDF text they break anywhere ("结 果" / "维持" on the next line). */
const HEADER = /维\s*持|纠\s*正|审\s*结|直\s*接\s*起\s*诉|复\s*议\s*后\s*起\s*诉/g;

function groupsHold(v: (number | null)[]): boolean {
  for (let g = 0; g + 5 <= v.length; g += 5) {
    if (n0(v[g]) + n0(v[g + 1]) + n0(v[g + 2]) + n0(v[g + 3]) !== n0(v[g + 4])) return false;
  }
  return true;
}

/** The three groups of table 四, as a block or row of its own begins: its label and its keys. */
const GROUPS: [label: RegExp, keys: readonly Table4Key[]][] = (['review', 'suit_direct', 'suit_after_review'] as const).map((g) => [
  g === 'review'
    ? /行\s*政\s*复\s*议(?!\s*后)(?![\s\S]{0,6}?诉\s*讼)/
    : g === 'suit_direct'
      ? /(?:未\s*经\s*复\s*议\s*)?直\s*接\s*起\s*诉/
      : /复\s*议\s*后\s*起\s*诉/,
  TABLE4_KEYS.filter((k) => k.startsWith(`${g}_`)),
]);

/**
 * Table 四 written as three headed blocks (行政复议 / 未经复议直接起诉 / 复议后起诉, each with its own 维持…总计 header and
 * one row of five figures) or three labelled rows: each group's five figures are what follows its label up to the
 * next group's. Null unless every group has exactly five.
 */
function table4FromBlocks(text: string): { table: Table4; evidence: Evidence } | null {
  const at = GROUPS.map(([re]) => {
    const hits = [...text.matchAll(new RegExp(re.source, 'g'))];
    return hits.length === 1 ? hits[0]! : null;
  });
  if (at.some((m) => !m)) return null;
  const starts = at.map((m) => m!.index);
  const evidence = new Evidence();
  const table = Object.fromEntries(TABLE4_KEYS.map((k) => [k, null])) as Table4;
  for (const [g, [, keys]] of GROUPS.entries()) {
    const m = at[g]!;
    const end = Math.min(...starts.filter((s) => s > m.index), text.length);
    // The figures of a block: a pipe row's value cells (its words — 件数, a header's 数据1 — are not figures), or a
    // line without words; lines of words are the block's headers (维持 纠正 …).
    const block = text.slice(m.index + m[0].length, end);
    const figures = block.split('\n').map((l) =>
      l.includes('|')
        ? (pipeRows(l)[0]
            ?.values.map((v) => v || '/')
            .join('   ') ?? '')
        : /[\u4e00-\u9fff]/.test(l)
          ? ''
          : l,
    );
    const tokens = segmentTokens(figures.join('\n'));
    if (tokens.length !== keys.length) return null;
    const values = readTokens(
      tokens,
      keys.map((k) => `table4.${k}`),
      evidence,
      { accept: groupsHold, several: '', none: '' },
    );
    if (!values) return null;
    values.forEach((v, i) => (table[keys[i]!] = v));
  }
  return { table, evidence };
}

/** Reads table 四 from its section's text; null when the header words are not there. */
export function table4FromText(text: string): { table: Table4; evidence: Evidence } | null {
  const blocks = table4FromBlocks(text);
  if (blocks) return blocks;
  // The numbers follow the header words: read from the first header word, and require several of them
  // so a sentence mentioning 维持 is not taken for the table.
  const words = [...text.matchAll(HEADER)];
  if (words.length < 3) return null;
  const tokens = segmentTokens(valuesPart(text.slice(words[0]!.index)));
  const evidence = new Evidence();
  const table = Object.fromEntries(TABLE4_KEYS.map((k) => [k, null])) as Table4;
  const values = readTokens(
    tokens,
    TABLE4_KEYS.map((k) => `table4.${k}`),
    evidence,
    {
      accept: groupsHold,
      prune: (p) => p.length % 5 !== 0 || groupsHold(p),
      maxDigits: 7,
      several: 'several splits satisfy the group totals / 多种拆分均符合合计',
      none: 'no split satisfies the group totals / 没有满足合计的拆分',
    },
  );
  values?.forEach((v, i) => (table[TABLE4_KEYS[i] as Table4Key] = v));
  return { table, evidence };
}
