/**
 * The values of one row (or of table 四) from its tokens: taken as they are when there is one token per
 * cell; split with the caller's arithmetic when digits ran together and exactly one split fits; otherwise
 * the cells stay null and the ambiguity is recorded with its candidates (docs/format.md §11).
 */
import { UNREAD, type Evidence } from './evidence.ts';
import { onlySplit, splitRuns, type SplitOptions } from './split.ts';

/** Why a run whose split search ran out of budget stays unread. */
export const SEARCH_ABANDONED = 'too many ways to split the digits: the search was abandoned, not decided / 拆分方式过多，未能确定';
import type { Token } from './tokens.ts';

export interface ReadOptions extends Pick<SplitOptions, 'accept' | 'prune' | 'maxDigits'> {
  /** Why a run that several splits fit stays null (the table's arithmetic cannot decide). */
  several: string;
  /** Why a run that no split fits stays null. */
  none: string;
}

const CANDIDATE_LIMIT = 256;

const tokenValue = (t: Token) => ('atom' in t.piece ? t.piece.atom : Number(t.piece.digits));

/** Reads `names.length` values from `tokens` into `evidence`; null when they cannot be read for sure. */
export function readTokens(tokens: Token[], names: string[], evidence: Evidence, opts: ReadOptions): (number | null)[] | null {
  const count = names.length;
  const source = tokens.map((t) => t.text.trim()).join(' ');
  let values: (number | null)[] | null = null;
  if (tokens.length === count) {
    values = tokens.map(tokenValue);
    tokens.forEach((t, i) => {
      evidence.sources[names[i]!] = t.text.trim();
      if (t.unit) evidence.units[names[i]!] = t.unit;
    });
  } else if (tokens.length > 0 && tokens.length < count) {
    const candidates = splitRuns(
      tokens.map((t) => t.piece),
      { count, accept: opts.accept, prune: opts.prune, maxDigits: opts.maxDigits, limit: CANDIDATE_LIMIT },
    );
    const only = onlySplit(candidates);
    if (only) {
      values = only;
      evidence.inferred.push(...names);
      names.forEach((n) => (evidence.sources[n] = source));
    } else {
      evidence.ambiguous.push({
        cells: names,
        source,
        candidates,
        ...(candidates.length >= CANDIDATE_LIMIT || candidates.exhausted ? { truncated: true } : {}),
        reason: candidates.exhausted ? SEARCH_ABANDONED : candidates.length === 0 ? opts.none : opts.several,
      });
    }
  } else if (tokens.length > count) {
    evidence.ambiguous.push({ cells: names, source, candidates: [], reason: UNREAD.tooMany(tokens.length, count) });
  }
  if (!values) {
    evidence.unread(names, evidence.ambiguous.find((a) => a.cells[0] === names[0])?.reason ?? UNREAD.noValues, source);
    return null;
  }
  values.forEach((v, i) => v === null && evidence.blank.push(names[i]!));
  return values;
}
