/**
 * FEE-REPORT: a report of 2021 or later says what information-processing fees were collected (section 六 of the 2021
 * format). The real reports' own sentences are in tests/golden (淮安 2024, 平潭 2021–2023, 上海 2025 say it; 工农区
 * 2024's section 六 is "无。").
 */
import { describe, expect, it } from 'vitest';
import { parseReportBytes } from '../../shared/check.ts';
import { randomModel } from '../../shared/demo/generate.ts';
import { render, type Layout } from '../../shared/demo/render.ts';
import type { Model } from '../../shared/demo/generate.ts';

const FEES = '本年度未收取信息处理费。';
const parse = (m: Model, layout: Layout, other: string) => {
  const bytes = Buffer.from(Buffer.from(render(m, layout)).toString().replace(FEES, other));
  return parseReportBytes(bytes, { year: m.year });
};
const fee = (m: Model, layout: Layout, other: string) => parse(m, layout, other).findings.filter((f) => f.rule === 'FEE-REPORT');

describe('FEE-REPORT', () => {
  const m = { ...randomModel(7), year: 2024 };

  it.each([
    FEES,
    '2024年，本机关未收取信息公开处理费。',
    '本年度依申请公开未收取任何费用。',
    '本年度未发生政府信息公开收费事项。',
    '全年收取政府信息公开信息处理费3940元。',
  ])('a section 六 that says "%s" is enough', (other) => {
    for (const layout of ['html', 'lines'] as const) expect(fee(m, layout, other), layout).toEqual([]);
  });

  it('a section 六 silent on fees is a warning, in every layout — the tables’ fee labels are not a sentence about fees', () => {
    const quiet = structuredClone(m);
    quiet.table3.rows.other_no_fee = [0, 0, 0, 0, 0, 0, 0];
    for (const layout of ['html', 'lines'] as const) {
      const found = fee(quiet, layout, '无。');
      expect(found, layout).toMatchObject([{ severity: 'warning', zh: '报告未说明收取信息处理费的情况' }]);
    }
  });

  it('applications closed over an unpaid fee notice, and not a word on fees: the table cell is named', () => {
    const charged = structuredClone(m);
    charged.table3.rows.other_no_fee = [2, 0, 0, 0, 0, 0, 2];
    expect(fee(charged, 'html', '无。')).toMatchObject([{ cells: ['table3.other_no_fee.total'], actual: 2 }]);
  });

  it('not before the 2021 reports, and not where section 六 was not found (SECTIONS says so)', () => {
    const old = { ...randomModel(7, '2019'), year: 2020 };
    expect(fee(old, 'html', '无。')).toEqual([]);
    const noSix = parseReportBytes(Buffer.from(Buffer.from(render(m, 'html')).toString().replace(FEES, '无。').replace('六、其他需要报告的事项', '')), {
      year: 2024,
    });
    expect(noSix.sections).not.toContain('other');
    expect(noSix.findings.filter((f) => f.rule === 'FEE-REPORT')).toEqual([]);
  });
});
