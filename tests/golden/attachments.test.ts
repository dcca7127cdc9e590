/**
 * Reports that are not HTML (issue: PDF, DOCX, DOC/WPS, scans). The derived fixtures were made once from
 * HTML fixtures (recipe: tests/fixtures/derived/make.sh): every figure must come out as in the HTML.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UnreadableInputError } from '../../shared/report/errors.ts';
import type { ParsedReport } from '../../shared/report/model.ts';
import { parseReport, parseReportBytes } from '../../shared/check.ts';
import { pdfText } from '../../shared/report/pdf.ts';
import { FIXTURES, fixture, loadExpected } from '../helpers/fixtures.ts';
import { minimalPdf } from '../../shared/demo/pdf.ts';

const derived = (f: string) => readFileSync(join(FIXTURES, 'derived', f));
const model = JSON.parse(derived('report-2021.expected.json').toString());
const findingKeys = (r: ParsedReport) => r.findings.map((f) => `${f.rule} ${f.cells?.[0] ?? ''} ${f.actual ?? ''}`).sort();

describe.each([
  ['report-2021.pdf', 'pdf'],
  ['report-2021.docx', 'docx'],
  ['report-2021.doc', 'doc'],
  ['report-2021-docx-named.pdf', 'docx'],
] as const)('generated 2021 report as %s', (file, type) => {
  let r: ParsedReport;
  beforeAll(async () => {
    r = await parseReport(derived(file), { name: file });
  });
  it(`is recognised by content as ${type}`, () => expect(r.source.type).toBe(type));
  it('reads every figure of tables 二, 三 and 四 exactly', () => {
    expect(r.year).toBe(model.year);
    expect(r.table2).toEqual(model.table2);
    expect(r.table3!.rows).toEqual(model.table3.rows);
    expect(r.table4).toEqual(model.table4);
  });
  it('finds nothing wrong in a consistent report', () => {
    expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(r.unreadable).toEqual([]);
  });
});

describe.each(['shanghai-2019.pdf', 'shanghai-2019.docx', 'shanghai-2019.doc'])('上海 2019 as %s', (file) => {
  const expected = loadExpected('01-shanghai-szfbgt-2019.expected.json');
  let r: ParsedReport;
  let html: ParsedReport;
  beforeAll(async () => {
    r = await parseReport(derived(file), { name: file });
    html = parseReportBytes(fixture('01-shanghai-szfbgt-2019.html'));
  });
  it('keeps blank cells blank (null) in every column, as the HTML has them', () => {
    for (const [key, values] of expected.table3) expect(r.table3!.rows[key], key).toEqual(values);
    expect(r.table4).toEqual(expected.table4);
  });
  it('raises the same findings as the HTML page', () => {
    expect(findingKeys(r)).toEqual(findingKeys(html));
  });
});

describe('洪泽区 2023 layout as a PDF (table over page breaks, running header and footer, misprinted label, Kangxi radicals)', () => {
  const expected = JSON.parse(derived('hongze-2023-layout.expected.json').toString());
  let r: ParsedReport;
  beforeAll(async () => {
    r = await parseReport(derived('hongze-2023-layout.pdf'), { name: 'hongze-2023-layout.pdf' });
  });
  it('reads every figure exactly: a row split over the page break, table 四 whose header ends the page before its figures', () => {
    expect(r.year).toBe(expected.year);
    expect(r.table_formats).toEqual({ table2: expected.format, table3: expected.table3_format });
    expect(r.table2).toEqual(expected.table2);
    expect(r.table3!.rows).toEqual(expected.table3.rows);
    expect(r.table4).toEqual(expected.table4);
    expect(r.unread).toEqual([]);
  });
  it('places the misprinted row (2.其他法律行政止公开) by its position between known rows, and says so', () => {
    expect(r.placed_by_position).toEqual(expected.placed_by_position);
  });
  it('finds the real report’s defects (table 四 totals printed 0, the 2019 （六） row in a 2023 report) and nothing else', () => {
    expect(
      r.findings
        .filter((f) => f.severity !== 'info')
        .map((f) => `${f.rule} ${f.cells?.[0]}`)
        .sort(),
    ).toEqual([...expected.findings].sort());
  });
  it('drops the page furniture between the pages: the printer’s date, the running title, the URL and "n/4"', async () => {
    const { text } = await pdfText(derived('hongze-2023-layout.pdf'));
    expect(text).not.toMatch(/file:\/\/|\d\/4\b/);
    expect(text.match(/洪泽区人民政府2023年政府信息公开工作年度报告/g)).toBeNull();
  });
});

describe('淮安市人民政府 2024 (the real PDF)', () => {
  it('rebuilds rows from positions: spaced digits ("1 1") are one number, page numbers are dropped', async () => {
    const t = await pdfText(fixture('02-huaian-szf-2024.pdf'));
    expect(t.pages).toBe(6);
    expect(t.text).toMatch(/规章\s+1\s+0\s+11/);
    expect(t.text).not.toMatch(/-\s*4\s*-/);
    expect(t.imageOnly).toBe(false);
  });
});

describe('PDFs that cannot be read', () => {
  it('a scan (an image in a PDF) is image_only with IMAGE-ONLY and nothing else', async () => {
    const r = await parseReport(derived('scanned.pdf'), { name: 'scanned.pdf' });
    expect(r.image_only).toBe(true);
    expect(r.findings.map((f) => f.rule)).toEqual(['IMAGE-ONLY']);
    expect(r.source.method).toMatch(/scanned/);
  });

  it('a truncated or corrupt PDF is refused with the file name and the problem', async () => {
    const pdf = fixture('02-huaian-szf-2024.pdf');
    await expect(parseReport(pdf.subarray(0, pdf.length / 2), { name: 'half.pdf' })).rejects.toThrow(/half\.pdf: not a readable PDF/);
    await expect(parseReport(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4000, 0x41)]), { name: 'junk.pdf' })).rejects.toThrow(UnreadableInputError);
  });

  it('guards against PDF bombs: page count and size limits', async () => {
    await expect(pdfText(minimalPdf(2), { maxBytes: 1e6, maxPages: 5, maxItems: 100 })).resolves.toMatchObject({ pages: 2 });
    await expect(pdfText(minimalPdf(400))).rejects.toThrow(/400 pages is over the 300-page limit/);
    await expect(pdfText(minimalPdf(8), { maxBytes: 1e6, maxPages: 5, maxItems: 100 })).rejects.toThrow(/8 pages/);
    await expect(pdfText(minimalPdf(2), { maxBytes: 100, maxPages: 5, maxItems: 100 })).rejects.toThrow(/byte PDF limit/);
    await expect(pdfText(minimalPdf(4), { maxBytes: 1e6, maxPages: 5, maxItems: 3 })).rejects.toThrow(/text items/);
  });

  it('an XLS (OLE2 without a Word stream) or a zip that is not a DOCX is not read', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.from('Workbook', 'utf16le'), Buffer.alloc(600)]);
    await expect(parseReport(ole, { name: 'a.xls' })).rejects.toThrow(/a\.xls: unsupported input type: XLS \(/);
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]);
    await expect(parseReport(zip, { name: 'a.zip' })).rejects.toThrow(/unsupported input type: ZIP/);
  });
});
