/**
 * Splitting digit runs whose cells ran together ("21710000218" = 217,1,0,0,0,0,218 — text renderings of
 * TRS pages drop the separators between cells, see ../shared/reports/06-pingtan-2021.txt).
 *
 * A run is only ever cut, never merged with its neighbours; a piece never has a leading zero ("05"), as no
 * report prints one. The caller supplies the table's arithmetic as `accept` (final) and `prune` (partial):
 * docs/format.md §11 — a split is used only when exactly one satisfies it.
 */

/** One token of a row: a run of digits that may need cutting, or an atomic value (null, decimal, negative). */
export type Piece = { digits: string } | { atom: number | null };

export interface SplitOptions {
  /** Number of values the row must yield. */
  count: number;
  /** Test of a complete assignment. */
  accept: (values: (number | null)[]) => boolean;
  /** Optional test of a prefix (return false to abandon it). */
  prune?: ((prefix: (number | null)[]) => boolean) | undefined;
  /** Longest piece in digits (no count in these tables has more than 9). */
  maxDigits?: number | undefined;
  /** Stop after this many accepted splits (2 is enough to know it is not unique). */
  limit?: number | undefined;
  /** Work budget in visited states, so a pathological row cannot hang the parser. */
  budget?: number | undefined;
}

/**
 * The splits found; `exhausted` when the work budget ran out before the search was complete — then the list may
 * miss splits, so it can never stand for "exactly one split" (a true 45917 once came out as 4591 that way).
 */
export type Splits = (number | null)[][] & { exhausted: boolean };

/** Every way to cut the pieces into `count` values that `accept` allows (up to `limit`). */
export function splitRuns(pieces: Piece[], opts: SplitOptions): Splits {
  const { count, accept, prune } = opts;
  const maxDigits = opts.maxDigits ?? 9;
  const limit = opts.limit ?? 2;
  let budget = opts.budget ?? 200_000;
  const found: (number | null)[][] = [];
  const values: (number | null)[] = [];
  // Minimum number of values the remaining pieces yield (one each) — used to prune early.
  const minRest = pieces.map((_, i) => pieces.length - i);
  const maxRest = pieces.map((_, i) => pieces.slice(i).reduce((n, p) => n + ('digits' in p ? p.digits.length : 1), 0));

  const visit = (pi: number, offset: number): void => {
    if (found.length >= limit || --budget < 0) return;
    if (pi === pieces.length) {
      if (values.length === count && accept(values)) found.push([...values]);
      return;
    }
    const piece = pieces[pi]!;
    if ('atom' in piece) {
      values.push(piece.atom);
      if (values.length <= count && (!prune || prune(values))) visit(pi + 1, 0);
      values.pop();
      return;
    }
    const rest = piece.digits.slice(offset);
    for (let len = 1; len <= Math.min(rest.length, maxDigits); len++) {
      const text = rest.slice(0, len);
      if (len > 1 && text.startsWith('0')) break; // no leading zeros
      values.push(Number(text));
      const done = len === rest.length;
      // Values still to come: the rest of this run (if any) plus the pieces after it.
      const minLeft = (done ? 0 : 1) + (minRest[pi + 1] ?? 0);
      const maxLeft = rest.length - len + (maxRest[pi + 1] ?? 0);
      const fits = values.length + minLeft <= count && values.length + maxLeft >= count;
      if (fits && (!prune || prune(values))) {
        if (done) visit(pi + 1, 0);
        else visit(pi, offset + len);
      }
      values.pop();
      if (found.length >= limit) return;
    }
  };
  visit(0, 0);
  return Object.defineProperty(found, 'exhausted', { value: budget < 0, enumerable: false }) as Splits;
}

/** The one split, or null: none, several, or a search that ran out of budget (not known to be the only one). */
export function onlySplit(splits: Splits): (number | null)[] | null {
  return splits.length === 1 && !splits.exhausted ? splits[0]! : null;
}

/** Treats null as 0 for arithmetic (blank cells usually mean none). */
export const n0 = (v: number | null | undefined): number => v ?? 0;
