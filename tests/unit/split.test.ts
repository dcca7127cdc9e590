import { describe, expect, it } from 'vitest';
import { n0, onlySplit, splitRuns } from '../../shared/report/split.ts';

const rowTotal = (v: (number | null)[]) => v.slice(0, 6).reduce((s: number, x) => s + n0(x), 0) === n0(v[6]);

describe('splitRuns', () => {
  it('splits 21710000218 into 217,1,0,0,0,0,218 — the only split with a matching row total', () => {
    expect(splitRuns([{ digits: '21710000218' }], { count: 7, accept: rowTotal, limit: 10 })).toEqual([[217, 1, 0, 0, 0, 0, 218]]);
  });

  it('finds both arithmetic splits of 270020130 (平潭 2021 予以公开)', () => {
    const all = splitRuns([{ digits: '270020130' }], { count: 7, accept: rowTotal, limit: 10 });
    expect(all).toContainEqual([27, 0, 0, 2, 0, 1, 30]);
    expect(all).toContainEqual([2, 7, 0, 0, 20, 1, 30]);
    expect(all).toHaveLength(2);
  });

  it('never produces a leading zero and keeps separate runs separate', () => {
    expect(splitRuns([{ digits: '0000000' }], { count: 7, accept: rowTotal })).toEqual([[0, 0, 0, 0, 0, 0, 0]]);
    expect(splitRuns([{ digits: '500000' }, { digits: '5' }], { count: 7, accept: rowTotal, limit: 10 })).toEqual([[5, 0, 0, 0, 0, 0, 5]]);
  });

  it('treats atoms (blanks, decimals) as one value each', () => {
    expect(splitRuns([{ digits: '11' }, { atom: null }, { digits: '1' }], { count: 4, accept: () => true, limit: 10 })).toEqual([[1, 1, null, 1]]);
  });

  it('returns nothing when no split fits the count', () => {
    expect(splitRuns([{ digits: '12' }], { count: 7, accept: () => true })).toEqual([]);
  });

  it('prunes with a partial test and stays within its budget on long runs', () => {
    const groups = (v: (number | null)[]) => {
      for (let g = 0; g + 5 <= v.length; g += 5) if (n0(v[g]) + n0(v[g + 1]) + n0(v[g + 2]) + n0(v[g + 3]) !== n0(v[g + 4])) return false;
      return true;
    };
    const r = splitRuns([{ digits: '10203120001200000' }], { count: 15, accept: groups, prune: (p) => p.length % 5 !== 0 || groups(p), limit: 5 });
    expect(r).toEqual([[1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0]]);
    const long = '9'.repeat(60);
    expect(() => splitRuns([{ digits: long }], { count: 15, accept: groups, budget: 10_000 })).not.toThrow();
  });

  it('a search that runs out of budget is not a unique split (true 45917 once came out as 4591)', () => {
    const loose = () => true;
    const cut = splitRuns([{ digits: '459171234567891234' }], { count: 7, accept: loose, budget: 50, limit: 100_000 });
    expect(cut.exhausted).toBe(true);
    expect(onlySplit(cut)).toBeNull();
    const whole = splitRuns([{ digits: '21710000218' }], { count: 7, accept: rowTotal, limit: 10 });
    expect(whole.exhausted).toBe(false);
    expect(onlySplit(whole)).toEqual([217, 1, 0, 0, 0, 0, 218]);
  });
});
