/** T3-RESULT-LE (docs/format.md §7): with row 四 unread, 三(七) ≤ 一 + 二 still holds, and is checked. */
import { describe, expect, it } from 'vitest';
import { parseReportBytes } from '../../shared/check.ts';
import { randomModel, type Model } from '../../shared/demo/generate.ts';
import { render } from '../../shared/demo/render.ts';

/** The model as a page whose row 四 (结转下年度继续办理) is written in words: read as unknown, not as 0. */
function withRowFourUnread(m: Model) {
  const html = Buffer.from(render(m, 'html')).toString();
  const row = /<tr>(?:(?!<\/tr>)[\s\S])*?结转下年度继续办理[\s\S]*?<\/tr>/.exec(html)![0];
  const words = row.replace(/<td>\d+<\/td>/g, '<td>详见说明</td>');
  expect(words).not.toBe(row);
  return parseReportBytes(Buffer.from(html.replace(row, words)));
}

const balance = (r: ReturnType<typeof parseReportBytes>) => r.findings.filter((f) => f.rule === 'T3-BALANCE');

describe('T3-BALANCE when row 四 was not read', () => {
  const m = randomModel(7, '2021', 50);
  const handled = m.table3.rows.total_handled!;

  it('is silent while the answers do not outnumber the applications, and names the column where they do', () => {
    const fine = withRowFourUnread(m);
    expect(fine.unreadable.filter((c) => c.startsWith('table3.carried_forward.')).length).toBeGreaterThan(0);
    expect(balance(fine)).toEqual([]);
    const more = structuredClone(m);
    const rows = more.table3.rows;
    const available = rows.received![0]! + rows.carried_over![0]!;
    rows.total_handled![0] = available + 5;
    rows.total_handled![6] = rows.total_handled!.slice(0, 6).reduce((a, b) => a! + b!, 0);
    const found = balance(withRowFourUnread(more));
    expect(found.map((f) => f.cells![2])).toEqual(expect.arrayContaining(['table3.total_handled.natural_person']));
    expect(found.find((f) => f.cells![2] === 'table3.total_handled.natural_person')).toMatchObject({
      severity: 'error',
      expected: `≤${available}`,
      actual: available + 5,
      zh: expect.stringContaining('（四未能读取）'),
    });
  });

  it('with row 四 read, the balance itself is checked (no second finding)', () => {
    const more = structuredClone(m);
    more.table3.rows.total_handled![0] = handled[0]! + 3;
    const found = balance(parseReportBytes(render(more, 'html')));
    expect(found.filter((f) => f.zh.includes('四未能读取'))).toEqual([]);
    expect(found.length).toBeGreaterThan(0);
  });
});
