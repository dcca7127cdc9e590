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

  it.each(['', '\u00a0', '&nbsp;'.replace('&nbsp;', '\u00a0\u00a0'), '/', '／', '—', '——', '-', '无', '\u3000'])('keeps placeholder %j null, never 0', (raw) => {
    expect(readCell(raw)).toEqual({ value: null, kind: 'blank' });
  });

  it('reads a unit written in the cell', () => {
    expect(readCell('251000元')).toEqual({ value: 251000, kind: 'number', unit: '元' });
  });

  it('does not turn words into numbers', () => {
    expect(readCell('自然人')).toEqual({ value: null, kind: 'text' });
    expect(readCell('约12')).toEqual({ value: null, kind: 'text' });
  });
});
