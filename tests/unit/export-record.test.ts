/** `nianbao export`'s columns: one name for one thing, and the report's own fields beside every figure. */
import { describe, expect, it } from 'vitest';
import { csvLines, EXPORT_COLUMNS, EXPORT_HEADER, exportRecord } from '../../shared/cli/export.ts';
import type { Body } from '../../shared/crawl/registry.ts';
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

  it("dates the report by the 发布时间 its column or page shows (the deadline's date), not by the date a document is signed with", () => {
    const sha = 'e'.repeat(64);
    // An attachment signed in January, put up on the portal in June: a `late` report must not export as published in January.
    const report = { bodyId: 'b', year: 2024, sha256: sha, url: 'https://www.example.gov.cn/P0.doc', published: '2025-01-20' } as StoredReport;
    const row = { bodyId: 'b', year: 2024, sha256: sha, row: 'table3.received', values: { total: 5 } };
    const ctx = { bodies: new Map(), reports: new Map([[`b#${sha}`, report]]), published: new Map([['b', '2025-06-02']]) };
    expect(exportRecord(row, ctx).report_published).toBe('2025-06-02');
    expect(csvLines(ctx)(row).split(',')[EXPORT_HEADER.indexOf('report_published')]).toBe('2025-06-02');
    // No date known from the column or page: the document's own.
    const unknown = { ...ctx, published: new Map([['b', undefined]]) };
    expect(exportRecord(row, unknown).report_published).toBe('2025-01-20');
    expect(csvLines(unknown)(row).split(',')[EXPORT_HEADER.indexOf('report_published')]).toBe('2025-01-20');
  });

  it('names the figures its source could not be read for (CELL-UNREAD): an empty cell is a blank only where `unread` does not name it', () => {
    const sha = 'f'.repeat(64);
    const findings = [
      { rule: 'T3-RESULTS', cells: ['table3.granted.total'] },
      { rule: 'CELL-UNREAD', cells: ['table3.granted.natural_person', 'table3.granted.commercial', 'table4.review_total'] },
      { rule: 'CELL-UNREAD', cells: ['table2.regulations.issued', 'table2.licensing'] },
    ];
    const report = {
      bodyId: 'b',
      year: 2024,
      sha256: sha,
      url: 'https://www.example.gov.cn/r.html',
      published: '2025-01-20',
      findings,
    } as unknown as StoredReport;
    const ctx = { bodies: new Map(), reports: new Map([[`b#${sha}`, report]]) };
    const row = (name: string, values: Record<string, number | null>) => ({ bodyId: 'b', year: 2024, sha256: sha, row: name, values });
    const cases: [ReturnType<typeof row>, string[]][] = [
      [row('table3.granted', { natural_person: null, commercial: null, research: null, total: 3 }), ['natural_person', 'commercial']],
      [row('table3.received', { natural_person: null, total: 3 }), []], // a blank: nothing named
      [row('table4', { review_total: null }), ['review_total']],
      [row('table2.regulations', { issued: null, repealed: 0 }), ['issued']],
      [row('table2.licensing', { value: null }), ['value']],
    ];
    const unread = EXPORT_HEADER.indexOf('unread');
    expect(unread).toBe(EXPORT_HEADER.length - 1); // the last column: the others keep their places
    for (const [r, columns] of cases) {
      expect(exportRecord(r, ctx).unread).toEqual(columns);
      expect(csvLines(ctx)(r).trimEnd().split(',')[unread] ?? '').toBe(columns.join(' '));
    }
  });

  it('writes each CSV line with the cells of its record (RFC 4180 quoting), without building the record', () => {
    const sha = 'c'.repeat(64);
    const report = { bodyId: 'b-1', year: 2024, sha256: sha, url: 'https://www.example.gov.cn/a,"b".html', published: '2025-01-20' } as StoredReport;
    const bodies = new Map<string, Body>([['b-1', { id: 'b-1', name: '甲, "区"\n政府', level: 'government', region: '110101', lists: [] }]]);
    const ctx = { bodies, reports: new Map([[`b-1#${sha}`, report]]) };
    const quote = (v: unknown) =>
      v === null ? '' : Array.isArray(v) ? v.join(' ') : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
    const line = csvLines(ctx);
    for (const r of [
      { bodyId: 'b-1', year: 2024, sha256: sha, row: 'table3.received', values: { natural_person: 135, total: null, commercial: 0 } },
      { bodyId: 'b-1', year: 2024, sha256: sha, row: 'table2.fees', values: { amount: 5381.97 } },
      { bodyId: 'nobody', year: 2024, sha256: 'd'.repeat(64), row: 'table4', values: {} }, // no body, no report: empty cells
    ]) {
      const record = exportRecord(r, ctx);
      expect(line(r)).toBe(`${EXPORT_HEADER.map((h) => quote(record[h])).join(',')}\n`);
    }
  });
});
