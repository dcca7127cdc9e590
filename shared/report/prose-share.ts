/**
 * Shares the prose states of an outcome (docs/format.md §9): "予以公开及部分公开258件，占33.9%；不予公开35件，占4.34%"
 * (上海 2019), "办结依申请公开81件，其中：予以公开及部分公开42件，占51.85%" (平潭 2023). The rule PROSE-SHARE holds each
 * to its figure and the applications it is a share of.
 */
import type { ProseKey } from './model.ts';
import { extractProseClaims, proseSentences } from './prose.ts';

/** Outcomes of table 三 whose share of the applications handled reports state. */
export const SHARE_KEYS: ReadonlySet<ProseKey> = new Set<ProseKey>([
  'granted',
  'partially_granted',
  'granted_or_partial',
  'denied',
  'unavailable',
  'rejected',
  'other_handled',
]);

/** "占33.9%" of the figure stated just before it. */
export interface ProseShare {
  key: ProseKey;
  /** The figure the share is of, as stated. */
  value: number;
  /** The share in per cent, and the decimals it was written with (its rounding). */
  percent: { value: number; decimals: number };
  quote: string;
}

const SHARE = /^占(?:比|比例)?(?:为)?(\d+(?:\.\d+)?)[%％]/;
const ANY_SHARE = /占\s*(?:比|比例)?\s*(?:为)?\s*\d/;

/** Extracts the stated shares of outcomes in `prose` (normalised text). */
export function extractShares(prose: string): ProseShare[] {
  // Most reports state no share: one native scan spares them the sentence split (a parse's every ~0.07 ms counts, #14).
  if (!ANY_SHARE.test(prose)) return [];
  const out: ProseShare[] = [];
  for (const sentence of proseSentences(prose)) {
    if (!sentence.includes('占')) continue;
    const clauses = sentence.split(/[,，]/);
    clauses.forEach((clause, i) => {
      const m = SHARE.exec(clause);
      if (!m || i === 0) return;
      const claims = extractProseClaims(clauses[i - 1]!).filter((c) => SHARE_KEYS.has(c.key));
      // One outcome before it, or the share is not ours to tell ("予以公开及部分公开" is one figure).
      if (new Set(claims.map((c) => c.key)).size !== 1) return;
      out.push({
        key: claims[0]!.key,
        value: claims[0]!.value,
        percent: { value: Number(m[1]), decimals: m[1]!.split('.')[1]?.length ?? 0 },
        quote: sentence.trim(),
      });
    });
  }
  return out;
}
