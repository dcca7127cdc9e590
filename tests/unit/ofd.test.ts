/**
 * OFD (GB/T 33190-2016) reports. The real 淮安市人民政府 2024 report is laid out into OFD packages glyph by glyph
 * where its PDF prints them (shared/demo/ofd.ts), in the shapes producers write: read as an OFD it must give the
 * very figures its PDF gives.
 */
import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseReport } from '../../shared/check.ts';
import { UnreadableInputError } from '../../shared/report/errors.ts';
import { layoutText, type TextItem } from '../../shared/report/layout.ts';
import type { ParsedReport } from '../../shared/report/model.ts';
import { expandDeltas, ofdText } from '../../shared/report/ofd.ts';
import { pdfItems } from '../../shared/report/pdf.ts';
import { sniffInput } from '../../shared/report/input.ts';
import { FIXTURES, fixture } from '../helpers/fixtures.ts';
import { type OfdWriteOptions, ofdDocumentXml, ofdRootXml, writeOfd } from '../../shared/demo/ofd.ts';
import { seededRandom } from '../helpers/random.ts';

/** A zip of these files (JSZip: a writer apart from the one under test's yazl). */
async function zipOf(files: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, data] of Object.entries(files)) zip.file(name, data);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** An OFD of one page whose Content.xml is `page`. */
const onePage = (page: string | Buffer) =>
  zipOf({ 'OFD.xml': ofdRootXml(), 'Doc_0/Document.xml': ofdDocumentXml(['Pages/Page_0/Content.xml']), 'Doc_0/Pages/Page_0/Content.xml': page });

const figures = (r: ParsedReport) => ({ year: r.year, table2: r.table2, table3: r.table3, table4: r.table4, unread: r.unread });

describe('OFD reports', () => {
  let pages: TextItem[][];
  let fromPdf: ParsedReport;
  beforeAll(async () => {
    const pdf = fixture('02-huaian-szf-2024.pdf');
    pages = await pdfItems(pdf);
    fromPdf = await parseReport(pdf, { name: 'huaian.pdf' });
  });

  it.each<[string, OfdWriteOptions]>([
    ['plain', {}],
    ['scaled by a CTM, a template page, BaseLocs from the root', { scaled: true, template: '淮安市人民政府办公室 抄送', absolute: true }],
    ['without a namespace prefix', { prefix: '' }],
  ])('reads 淮安 2024 laid out as an OFD (%s) to the figures of its PDF', async (_, options) => {
    const ofd = await writeOfd(pages, options);
    expect(sniffInput(ofd, { fileName: 'report.zip' })).toBe('ofd');
    const r = await parseReport(ofd, { name: 'huaian.ofd' });
    expect(r.source.type).toBe('ofd');
    expect(r.table3).not.toBeNull();
    expect(figures(r)).toEqual(figures(fromPdf));
    expect(r.findings.map((f) => f.rule)).toEqual(fromPdf.findings.map((f) => f.rule));
    // A template page's letterhead is not report text.
    if (options.template) expect((await ofdText(ofd)).text).not.toContain('抄送');
  });

  // The derived PDFs' layouts (tests/fixtures/derived/make.sh) as OFDs: blank cells that print nothing (上海 2019), a
  // table over page breaks with a running header and footer, a misprinted label and Kangxi radicals (洪泽 2023).
  it.each(['report-2021.pdf', 'shanghai-2019.pdf', 'hongze-2023-layout.pdf'])('reads %s laid out as an OFD to the figures of the PDF', async (file) => {
    const pdf = readFileSync(join(FIXTURES, 'derived', file));
    const [fromItsPdf, ofd] = await Promise.all([parseReport(pdf, { name: file }), pdfItems(pdf).then((p) => writeOfd(p, { scaled: true }))]);
    const r = await parseReport(ofd, { name: file.replace('.pdf', '.ofd') });
    expect(r.table3).not.toBeNull();
    expect(figures(r)).toEqual(figures(fromItsPdf));
    expect(r.findings.map((f) => `${f.rule} ${f.cells?.[0] ?? ''}`)).toEqual(fromItsPdf.findings.map((f) => `${f.rule} ${f.cells?.[0] ?? ''}`));
  });

  it('a damaged OFD (cut short, bytes changed) is read or refused as unreadable, never an internal error', async () => {
    const ofd = await writeOfd(pages);
    const next = seededRandom(20261202);
    const outcomes = { read: 0, refused: 0 };
    for (let n = 0; n < 200; n++) {
      let damaged: Buffer;
      if (n % 2 === 0) damaged = ofd.subarray(0, next(ofd.length));
      else {
        damaged = Buffer.from(ofd);
        for (let k = 1 + next(8); k > 0; k--) damaged[next(damaged.length)] = next(256);
      }
      const e = await parseReport(damaged, { name: 'damaged.ofd' }).then(
        () => null,
        (x: unknown) => x,
      );
      if (e === null) outcomes.read++;
      else {
        expect(e, String(e)).toBeInstanceOf(UnreadableInputError);
        outcomes.refused++;
      }
    }
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('places each glyph of a TextCode: a row written as one run with wide gaps reads as cells', async () => {
    const row = '一、本年新收政府信息公开申请数量1203';
    // The label's 16 glyphs 10 apart, then 30 to the first figure and 40 between the figures.
    const deltas = `g 15 10 30 40 40 40`;
    const xml = `<?xml version="1.0"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="1"><ofd:TextObject ID="2" Boundary="10 20 400 12" Size="10"><ofd:TextCode X="0" Y="10" DeltaX="${deltas}">${row}</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>`;
    const { text } = await ofdText(await onePage(xml));
    expect(text).toBe('一、本年新收政府信息公开申请数量   1   2   0   3');
  });

  it('reads a part in the encoding its XML declaration names (GB2312), and refuses one it cannot decode', async () => {
    const page = (encoding: string) =>
      `<?xml version="1.0" encoding="${encoding}"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="1"><ofd:TextObject ID="2" Boundary="10 20 100 12" Size="10"><ofd:TextCode X="0" Y="10" DeltaX="g 5 10">政府信息公开</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>`;
    expect((await ofdText(await onePage(iconv.encode(page('GB2312'), 'gb18030')))).text).toBe('政府信息公开');
    await expect(ofdText(await onePage(page('klingon')))).rejects.toThrow(/Content\.xml: unsupported character encoding "klingon"/);
  });

  it('expands `g n v` and never more values than there are glyphs', () => {
    expect(expandDeltas('g 3 2 1.5', 10)).toEqual([2, 2, 2, 1.5]);
    expect(expandDeltas('1 g 2 3', 10)).toEqual([1, 3, 3]);
    expect(expandDeltas('g 1000000000 1', 3)).toEqual([1, 1, 1]);
    expect(expandDeltas(undefined, 3)).toEqual([]);
    // A number that is not one (a damaged part) counts as 0: positions stay comparable.
    expect(expandDeltas('g x 2 abc 1e999 4', 10)).toEqual([0, 0, 4]);
  });

  it('names what is wrong with a package it cannot read', async () => {
    const problem = async (bytes: Buffer) => {
      const e = await parseReport(bytes, { name: 'x.ofd' }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UnreadableInputError);
      return String((e as UnreadableInputError).message);
    };
    expect(await problem(await zipOf({ 'OFD.xml': '<ofd:OFD xmlns:ofd="x"><ofd:DocBody/></ofd:OFD>' }))).toMatch(/names no document/);
    expect(await problem(await zipOf({ 'OFD.xml': '<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>' }))).toMatch(
      /Doc_0\/Document\.xml .*missing/,
    );
    expect(
      await problem(
        await zipOf({
          'OFD.xml': '<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>',
          'Doc_0/Document.xml': '<Document><Pages><Page ID="1" BaseLoc="Pages/Page_9/Content.xml"/></Pages></Document>',
        }),
      ),
    ).toMatch(/Doc_0\/Pages\/Page_9\/Content\.xml .*missing/);
    // A bomb in an entry that is not even XML is refused before anything is read.
    expect(await problem(await zipOf({ 'OFD.xml': '<OFD/>', 'Doc_0/Res/font.ttf': Buffer.alloc(20 * 1024 * 1024) }))).toMatch(/zip bomb|limit/);
  });

  it('names a spreadsheet it refuses, and a zip that is neither a DOCX nor an OFD', async () => {
    const xlsx = new JSZip();
    xlsx.file('[Content_Types].xml', '<Types/>');
    xlsx.file('xl/workbook.xml', '<workbook/>');
    const other = new JSZip();
    other.file('readme.txt', 'OFD.xmlish');
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const xls = Buffer.concat([ole, Buffer.alloc(504), Buffer.from('Workbook', 'utf16le')]);
    for (const [bytes, kind] of [
      [await xlsx.generateAsync({ type: 'nodebuffer' }), 'XLSX'],
      [xls, 'XLS'],
      [await other.generateAsync({ type: 'nodebuffer' }), 'ZIP'],
    ] as const) {
      const e = await parseReport(bytes, { name: 'table.bin' }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UnreadableInputError);
      expect((e as UnreadableInputError).message).toContain(`unsupported input type: ${kind} (`);
    }
  });

  it('lays out the glyphs it is given (the layout shared with PDF)', () => {
    const item = (str: string, x: number, y: number): TextItem => ({ str, x, y, width: 10, size: 10 });
    expect(layoutText([[item('甲', 0, 100), item('乙', 10, 100), item('3', 60, 100), item('丙', 0, 80)]]).text).toBe('甲乙   3\n丙');
  });
});
