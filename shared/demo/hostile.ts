/**
 * Hostile inputs, generated when needed (nothing large is committed): what a portal may serve by accident or on
 * purpose. Used by the tests (tests/unit/hostile.test.ts), the replica's hostile portal and `npm run bench`.
 */
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import yazl from 'yazl';
import { ofdDocumentXml, ofdRootXml } from './ofd.ts';
import { minimalPdf } from './pdf.ts';

/** A stream of `n` bytes of one value, made as it is read (a bomb is never held in memory). */
function repeated(n: number, byte = 0x20): Readable {
  const chunk = Buffer.alloc(1024 * 1024, byte);
  let left = n;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const k = Math.min(left, chunk.length);
      left -= k;
      this.push(k === chunk.length ? chunk : chunk.subarray(0, k));
    },
  });
}

/**
 * A DOCX zip bomb: `word/document.xml` inflates to `inflated` bytes of spaces (a 1 GiB one is a ~1 MB file).
 * With `declare`, the central directory claims that many bytes instead (a dishonest zip).
 */
export async function docxBomb(inflated: number, declare?: number): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'), '[Content_Types].xml');
  zip.addReadStream(repeated(inflated), 'word/document.xml', { compress: true });
  zip.end();
  const bytes = await buffer(zip.outputStream);
  if (declare !== undefined) {
    // Central directory file headers (PK\x01\x02): uncompressed size at offset 24. yazl writes 0xffffffff and a
    // ZIP64 extra field for large entries; a small-declaring bomb is built small enough not to need one.
    for (let at = bytes.indexOf('PK\x01\x02', 0, 'latin1'); at >= 0; at = bytes.indexOf('PK\x01\x02', at + 4, 'latin1')) {
      const nameLength = bytes.readUInt16LE(at + 28);
      if (bytes.toString('latin1', at + 46, at + 46 + nameLength) === 'word/document.xml') bytes.writeUInt32LE(declare, at + 24);
    }
  }
  return bytes;
}

/** An OFD package (ofd.ts) whose first page's Content.xml is `page` (a stream: a bomb is made as it is zipped). */
async function ofdPackage(page: string | Readable, pages = 1): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(ofdRootXml()), 'OFD.xml');
  zip.addBuffer(Buffer.from(ofdDocumentXml(Array.from({ length: pages }, (_, n) => `Pages/Page_${n}/Content.xml`))), 'Doc_0/Document.xml');
  if (typeof page === 'string') zip.addBuffer(Buffer.from(page), 'Doc_0/Pages/Page_0/Content.xml');
  else zip.addReadStream(page, 'Doc_0/Pages/Page_0/Content.xml', { compress: true });
  zip.end();
  return buffer(zip.outputStream);
}

/**
 * An OFD page of one TextCode of `glyphs` glyphs, all placed by one `g` run of DeltaX (a billion of them). The glyphs
 * vary (CJK ideographs stepped by a prime), so the page compresses as text does, not as a bomb.
 */
const ofdGlyphs = (glyphs: number) => {
  const text = Array.from({ length: glyphs }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20_000))).join('');
  return `<?xml version="1.0"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="1"><ofd:TextObject ID="2" Boundary="0 0 210 297" Size="3"><ofd:TextCode X="0" Y="3" DeltaX="g 1000000000 0.001">${text}</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>`;
};

/** `n` `<div>`s inside one another (tree-building goes quadratic on these). */
export const nestedDivs = (n: number) => `<html><body>${'<div>'.repeat(n)}二、主动公开政府信息情况${'</div>'.repeat(n)}</body></html>`;

/** `n` tables inside one another. */
export const nestedTables = (n: number) => `<html><body>${'<table><tr><td>'.repeat(n)}1${'</td></tr></table>'.repeat(n)}</body></html>`;

/** One table of `n` cells. */
export const manyCells = (n: number) => `<html><body><table><tr>${'<td>1</td>'.repeat(n)}</tr></table></body></html>`;

/** An HTML page of about `bytes` bytes of ordinary paragraphs. */
export function largeHtml(bytes: number): string {
  const p = '<p>本机关认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息。</p>\n';
  return `<html><body>${p.repeat(Math.ceil(bytes / Buffer.byteLength(p)))}</body></html>`;
}

/** A PDF of `pages` pages. */
export const manyPagesPdf = (pages: number) => minimalPdf(pages);

/** Every hostile case by name (the rows of issue 17's table), made on demand. */
export const HOSTILE_CASES = {
  'docx-bomb-1gib': () => docxBomb(1024 ** 3),
  'docx-bomb-4gib': () => docxBomb(4 * 1024 ** 3),
  'docx-dishonest': () => docxBomb(200 * 1024 * 1024, 1000),
  // An OFD is a zip too, and a page of it can hold any number of glyphs or list any number of pages.
  'ofd-bomb-1gib': () => ofdPackage(repeated(1024 ** 3)),
  'ofd-glyphs-6e5': () => ofdPackage(ofdGlyphs(600_000)),
  'ofd-pages-1e5': () => ofdPackage(ofdGlyphs(10), 100_000),
  'nested-divs-1e6': async () => Buffer.from(nestedDivs(1_000_000)),
  'nested-divs-1e5': async () => Buffer.from(nestedDivs(100_000)),
  'nested-tables-1e5': async () => Buffer.from(nestedTables(100_000)),
  'cells-2e5': async () => Buffer.from(manyCells(200_000)),
  'html-30mb': async () => Buffer.from(largeHtml(30 * 1024 * 1024)),
  'html-100mb': async () => Buffer.from(largeHtml(100 * 1024 * 1024)),
  'pdf-5000-pages': async () => manyPagesPdf(5000),
  // Not refused: the largest page the limits let through is read, in bounded memory.
  'html-at-the-limit': async () => Buffer.from(largeHtml(20_000_000)),
} as const satisfies Record<string, () => Promise<Uint8Array>>;
export type HostileCase = keyof typeof HOSTILE_CASES;
