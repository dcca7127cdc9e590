/** `nianbao export`'s columns: one name for one thing, and the report's own fields beside every figure. */
import { describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS, EXPORT_HEADER, exportRecord } from '../../shared/cli/export.ts';
import type { StoredReport } from '../../shared/store/ports.ts';

describe('the export', () => {
  it('has no column name twice, so neither a spreadsheet nor a JSON object loses one', () => {
    expect(new Set(EXPORT_HEADER).size).toBe(EXPORT_HEADER.length);
  });

  it("keeps the report's date beside a table 二 row whose own figure is `published` (2019: 本年新公开数量)", () => {
    expect(EXPORT_COLUMNS).toContain('published'); // the figure: why the report's date cannot be called that
    const report = { bodyId: 'b', year: 2019, sha256: 'a'.repeat(64), url: 'https://www.example.gov.cn/r.html', published: '2020-01-20' } as StoredReport;
    const record = exportRecord(
      { bodyId: 'b', year: 2019, sha256: report.sha256, row: 'table2.regulations', values: { made: 3, published: 7, previous_items: 12 } },
      { bodies: new Map(), reports: new Map([[`b#${report.sha256}`, report]]) },
    );
    expect(record).toMatchObject({ report_published: '2020-01-20', published: 7, made: 3, report_url: report.url });
    expect(Object.keys(record)).toEqual([...EXPORT_HEADER]);
  });
});
