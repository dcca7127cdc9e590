import { describe, expect, it } from 'vitest';
import { parseReportBytes } from '../../shared/check.ts';
import { randomModel } from '../../shared/demo/generate.ts';
import { render } from '../../shared/demo/render.ts';
import type { ParsedReport } from '../../shared/report/model.ts';

/** A generated report at city magnitude with `sentence` added to its prose. */
function withProse(sentence: string): ParsedReport {
  const html = Buffer.from(render({ ...randomModel(41, '2021', 300), year: 2024 }, 'html')).toString();
  const anchor = '依法依规办理政府信息公开申请。';
  return parseReportBytes(Buffer.from(html.replace(anchor, `${anchor}${sentence}`)));
}

const shares = (r: ParsedReport) => r.findings.filter((f) => f.rule === 'PROSE-SHARE');

describe('PROSE-SHARE', () => {
  const plain = withProse('');
  const handled = plain.table3!.rows.total_handled![6]!;
  const received = plain.table3!.rows.received![6]!;
  const unavailable = ['unavailable_not_held', 'unavailable_needs_creation', 'unavailable_unclear']
    .map((k) => plain.table3!.rows[k as 'unavailable_not_held']![6]!)
    .reduce((a, b) => a + b, 0);

  it('has figures at a real magnitude', () => {
    expect(handled).toBeGreaterThan(1000);
    expect(unavailable).toBeGreaterThan(0);
    expect(received).not.toBe(handled);
  });

  it('accepts a share of the applications handled or received, rounded or cut off, of the stated figure or the table’s', () => {
    const pct = (n: number, d: number, digits: number) => ((n / d) * 100).toFixed(digits);
    const cut = (n: number, d: number) => (Math.trunc((n / d) * 10000) / 100).toFixed(2);
    for (const s of [
      `无法提供${unavailable}件，占${pct(unavailable, handled, 2)}%。`,
      `无法提供${unavailable}件，占${cut(unavailable, handled)}%。`,
      `无法提供${unavailable}件，占${pct(unavailable, received, 1)}%。`,
      `办结申请${handled + 3}件，无法提供${unavailable}件，占${pct(unavailable, handled + 3, 2)}%。`,
    ])
      expect(shares(withProse(s)), s).toEqual([]);
  });

  it('names a share none of them gives, quoting the sentence', () => {
    const wrong = (((unavailable / handled) * 100 + 1.5) % 100).toFixed(1);
    const [f, ...rest] = shares(withProse(`无法提供${unavailable}件，占${wrong}%。`));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'warning',
      actual: `${wrong}%`,
      expected: `${((unavailable / handled) * 100).toFixed(1)}%`,
      quote: `无法提供${unavailable}件,占${wrong}%。`,
    });
  });

  it('leaves a share of something else alone (主动公开 by the government and its townships)', () => {
    expect(shares(withProse('区直各部门主动公开政府信息1592条，占76.9%；各乡镇主动公开政府信息477条，占23.1%。'))).toEqual([]);
    expect(shares(withProse('区直各部门主动公开政府信息1592条，占12.0%。'))).toEqual([]);
  });
});
