import { describe, expect, it } from 'vitest';
import { readCell } from '../../shared/report/cells.ts';

describe('readCell', () => {
  it.each([
    ['12', 12],
    ['1,234', 1234],
    ['１２３', 123],
    ['1 0 3', 103],
    ['24252.311082', 24252.311082],
    ['-18', -18],
    ['0', 0],
    [' 7 ', 7],
  ])('reads %j as %j', (raw, value) => {
    expect(readCell(raw)).toMatchObject({ value, kind: 'number' });
  });

  it.each(['', '\u00a0', '&nbsp;'.replace('&nbsp;', '\u00a0\u00a0'), '/', '／', '—', '——', '-', '无', '\u3000'])(
    'keeps placeholder %j null, never 0',
    (raw) => {
      expect(readCell(raw)).toEqual({ value: null, kind: 'blank' });
    },
  );

  it('reads a unit written in the cell', () => {
    expect(readCell('251000元')).toEqual({ value: 251000, kind: 'number', unit: '元' });
  });

  it('does not turn words into numbers', () => {
    expect(readCell('自然人')).toEqual({ value: null, kind: 'text' });
    expect(readCell('约12')).toEqual({ value: null, kind: 'text' });
  });
});

import { norm } from '../../shared/report/normalize.ts';

describe('norm', () => {
  it('folds full-width forms and Kangxi radicals like NFKC, and unifies quotes and dashes', () => {
    expect(norm('（一）１２３，“三安全一稳定”')).toBe('(一)123,"三安全一稳定"');
    expect(norm('⼀、本年新收')).toBe('一、本年新收');
    expect(norm('a\u3000b\u00a0c')).toBe('a b c');
  });

  it('agrees with full NFKC on every character its fast path accepts', () => {
    const ranges = [
      [0x20, 0x7e],
      [0xa0, 0xa0],
      [0x2010, 0x2015],
      [0x2018, 0x201f],
      [0x3000, 0x3035],
      [0x4e00, 0x9fff],
      [0xff01, 0xff5e],
    ] as const;
    const slow = (s: string) =>
      s
        .normalize('NFKC')
        .replace(/[“”„‟"'‘’‚‛「」『』〝〞]/g, '"')
        .replace(/[‐‑‒–—―−－﹣]/g, '—')
        .replace(/[\u00a0\u3000\u2000-\u200b\ufeff]/g, ' ');
    const mismatches: string[] = [];
    for (const [a, b] of ranges) {
      for (let c = a; c <= b; c++) {
        const s = `${String.fromCharCode(c)}，`; // the comma forces the fold path
        if (norm(s) !== slow(s)) mismatches.push(c.toString(16));
      }
    }
    expect(mismatches).toEqual([]);
  });
});
