import { describe, expect, it } from 'vitest';
import { changesOf } from '../../shared/cli/report.ts';
import { foundState } from '../helpers/records.ts';

describe('nianbao report: the changes after publication', () => {
  it('a report that moved says from where, and its date old → new, beside the figures', () => {
    const lines = changesOf(
      foundState('m', {
        changes: [
          {
            id: 'content:m1',
            url: 'https://www.example.gov.cn/new.html',
            movedFrom: 'https://www.example.gov.cn/old.html',
            fromSha256: 'a'.repeat(64),
            toSha256: 'b'.repeat(64),
            at: '2025-06-10T02:00:00.000Z',
            figures: [{ cell: 'table3.granted.total', old: 10, new: 13 }],
            added: [],
            removed: [],
            published: { old: '2025-01-24', new: '2025-06-10' },
          },
        ],
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
