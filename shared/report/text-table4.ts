/**
 * Table 四 from flattened text: the 15 numbers follow all the header words (seed file, PDF text layers)
 * and are read in template column order (FORMAT.md §5); run together ("10203120001200000", 平潭) they are
 * split with the three group totals (维持+纠正+其他+尚未审结 = 总计).
 */
import { Evidence } from './evidence.ts';
import { TABLE4_KEYS, type Table4Key } from './format.ts';
import type { Table4 } from './model.ts';
import { readTokens } from './read-tokens.ts';
import { n0 } from './split.ts';
import { valuesPart } from './text-rows.ts';
import { segmentTokens } from './tokens.ts';

/** Header words of table 四; in PDF text they break anywhere ("结 果" / "维持" on the next line). */
const HEADER = /维\s*持|纠\s*正|审\s*结|直\s*接\s*起\s*诉|复\s*议\s*后\s*起\s*诉/g;

function groupsHold(v: (number | null)[]): boolean {
  for (let g = 0; g + 5 <= v.length; g += 5) {
    if (n0(v[g]) + n0(v[g + 1]) + n0(v[g + 2]) + n0(v[g + 3]) !== n0(v[g + 4])) return false;
  }
  return true;
}

/** Reads table 四 from its section's text; null when the header words are not there. */
export function table4FromText(text: string): { table: Table4; evidence: Evidence } | null {
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
