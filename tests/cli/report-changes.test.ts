import { describe, expect, it } from 'vitest';
import { changesOf } from '../../shared/cli/report.ts';
import { foundState, movedChange } from '../helpers/records.ts';

describe('nianbao report: the changes after publication', () => {
  it('a report that moved says from where, and its date old → new, beside the figures', () => {
    const lines = changesOf(
      foundState('m', {
        changes: [movedChange()],
      }),
    ).map((l) => l.replace(/\u001b\[\d+m/g, ''));
    expect(lines).toEqual([
      `changed 2025-06-10 (${'a'.repeat(12)} → ${'b'.repeat(12)}) / 发布后被修改`,
      '  moved from / 原地址 https://www.example.gov.cn/old.html → https://www.example.gov.cn/new.html',
      '  发布时间 published: 2025-01-24 → 2025-06-10',
      '  table3.granted.total: 10 → 13',
    ]);
  });
});
