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

import { norm, normFull } from '../../shared/report/normalize.ts';
import { seededRandom } from '../helpers/random.ts';

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

  it('is normFull on every UTF-16 code unit, alone and between others (its per-character table agrees everywhere)', () => {
    const mismatches: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [ch, `本年${ch}，１２`, `a${ch}\u0301`, `${ch}${ch}`])
        if (norm(s) !== normFull(s)) mismatches.push(`U+${c.toString(16)} in ${JSON.stringify(s)}`);
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  it('is normFull on long mixed text (folded characters between kept ones, and one that needs the full path)', () => {
    const parts = ['本年新收', '１２３', '，', '“', '”', '—', '\u3000', 'abc', '\n', '（一）', "'"];
    const next = seededRandom(7);
    const pick = () => parts[next(parts.length)]!;
    for (let n = 0; n < 200; n++) {
      const s = Array.from({ length: 1 + (n % 60) }, pick).join('');
      expect(norm(s)).toBe(normFull(s));
      expect(norm(`${s}…${s}`)).toBe(normFull(`${s}…${s}`)); // … needs the full path (NFKC makes it three dots)
    }
  });
});
