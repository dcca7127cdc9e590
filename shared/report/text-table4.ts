/**
 * Table 四 from flattened text: the 15 numbers follow all the header words (seed file, PDF text layers)
 * and are read in template column order (FORMAT.md §5); run together ("10203120001200000", 平潭) they are
 * split with the three group totals (维持+纠正+其他+尚未审结 = 总计).
 */
import { Evidence } from './evidence.ts';
import { TABLE4_KEYS, type Table4Key } from './format.ts';
import type { Table4 } from './model.ts';
import { n0, splitRuns } from './split.ts';
import { valuesPart } from './text-rows.ts';
import { segmentTokens } from './tokens.ts';

const HEADER = /结\s*果\s*维\s*持|尚\s*未\s*审\s*结/;

function groupsHold(v: (number | null)[]): boolean {
  for (let g = 0; g + 5 <= v.length; g += 5) {
    if (n0(v[g]) + n0(v[g + 1]) + n0(v[g + 2]) + n0(v[g + 3]) !== n0(v[g + 4])) return false;
  }
  return true;
}

/** Reads table 四 from its section's text; null when the header words are not there. */
export function table4FromText(text: string): { table: Table4; evidence: Evidence } | null {
  const header = HEADER.exec(text);
  if (!header) return null;
  const tokens = segmentTokens(valuesPart(text.slice(header.index)));
  const evidence = new Evidence();
  const table = Object.fromEntries(TABLE4_KEYS.map((k) => [k, null])) as Table4;
  const names = TABLE4_KEYS.map((k) => `table4.${k}`);
  const source = tokens.map((t) => t.text.trim()).join(' ');
  let values: (number | null)[] | null = null;
  if (tokens.length === TABLE4_KEYS.length) {
    values = tokens.map((t) => ('atom' in t.piece ? t.piece.atom : Number(t.piece.digits)));
    tokens.forEach((t, i) => (evidence.sources[names[i]!] = t.text.trim()));
  } else if (tokens.length > 0 && tokens.length < TABLE4_KEYS.length) {
    const candidates = splitRuns(
      tokens.map((t) => t.piece),
      { count: 15, accept: groupsHold, prune: (p) => p.length % 5 !== 0 || groupsHold(p), limit: 8, maxDigits: 7 },
    );
    if (candidates.length === 1) {
      values = candidates[0]!;
      evidence.inferred.push(...names);
      names.forEach((n) => (evidence.sources[n] = source));
    } else {
      evidence.ambiguous.push({
        cells: names,
        source,
        candidates,
        reason:
          candidates.length === 0
            ? 'no split satisfies the group totals / 没有满足合计的拆分'
            : 'several splits satisfy the group totals / 多种拆分均符合合计',
      });
    }
  } else if (tokens.length > TABLE4_KEYS.length) {
    evidence.ambiguous.push({ cells: names, source, candidates: [], reason: `${tokens.length} values where 15 belong` });
  }
  if (!values) {
    evidence.unreadable.push(...names);
    return { table, evidence };
  }
  values.forEach((v, i) => {
    table[TABLE4_KEYS[i] as Table4Key] = v;
    if (v === null) evidence.blank.push(names[i]!);
  });
  return { table, evidence };
}
