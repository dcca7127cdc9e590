/**
 * Writes OFD packages (GB/T 33190-2016) for tests and the replica portals: OFD.xml → Doc_0/Document.xml → one
 * Content.xml per page, text as TextObjects. Built from positioned items (a real PDF's, read by pdf.ts, or a text's
 * lines), so an OFD with a real report's layout can be made without a binary fixture; the shapes producers write are
 * there to choose: per-glyph DeltaX in the `g n v` form, a CTM that scales a large Size down (as Suwell's converters
 * do), absolute and relative BaseLocs, PageBlocks, a template page holding a running header (not report text).
 */
import { buffer } from 'node:stream/consumers';
import yazl from 'yazl';
import type { TextItem } from '../report/layout.ts';

export interface OfdWriteOptions {
  /** Every other TextObject at ten times its size with a CTM of 0.1 (the glyphs land at the same place). */
  scaled?: boolean;
  /** A template page with this text, referenced by every page (a letterhead: not read). */
  template?: string;
  /** Page BaseLocs written from the package root (`/Doc_0/Pages/…`). */
  absolute?: boolean;
  /** The `ofd:` prefix, or none (producers write both). */
  prefix?: string;
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A TextObject placing `item` (y upwards, as layout.ts has it) on a page `height` high (OFD's y runs downwards). */
function textObject(item: TextItem, id: number, height: number, p: string, scaled: boolean): string {
  const glyphs = [...item.str];
  const advance = glyphs.length > 0 ? item.width / glyphs.length : item.size;
  const top = height - item.y - item.size;
  const k = scaled ? 10 : 1;
  const deltas = glyphs.length > 1 ? ` DeltaX="g ${glyphs.length - 1} ${(advance * k).toFixed(3)}"` : '';
  const ctm = scaled ? ' CTM="0.1 0 0 0.1 0 0"' : '';
  return (
    `<${p}TextObject ID="${id}" Boundary="${item.x.toFixed(3)} ${top.toFixed(3)} ${(item.width + item.size).toFixed(3)} ${(item.size * 1.4).toFixed(3)}" Font="3" Size="${(item.size * k).toFixed(3)}"${ctm}>` +
    `<${p}TextCode X="0" Y="${(item.size * k).toFixed(3)}"${deltas}>${xmlText(item.str)}</${p}TextCode></${p}TextObject>`
  );
}

/** The `xmlns` of prefix `p` (`ofd:`, or `''` for none). */
const namespace = (p: string) => `xmlns${p ? `:${p.slice(0, -1)}` : ''}="http://www.ofdspec.org/2016"`;

/** OFD.xml naming the one document, Doc_0/Document.xml (§7.4). */
export const ofdRootXml = (p = 'ofd:') =>
  `<?xml version="1.0" encoding="UTF-8"?><${p}OFD ${namespace(p)} Version="1.0" DocType="OFD"><${p}DocBody><${p}DocInfo><${p}DocID>nianbao-test</${p}DocID></${p}DocInfo><${p}DocRoot>Doc_0/Document.xml</${p}DocRoot></${p}DocBody></${p}OFD>`;

/** Doc_0/Document.xml listing `pages` BaseLocs in order, after `commonData` (§7.5). */
export const ofdDocumentXml = (pages: string[], p = 'ofd:', commonData = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><${p}Document ${namespace(p)}><${p}CommonData>${commonData}</${p}CommonData><${p}Pages>${pages.map((loc, n) => `<${p}Page ID="${10 + n}" BaseLoc="${loc}"/>`).join('')}</${p}Pages></${p}Document>`;

/** An OFD package of `pages`, each a list of positioned items. */
export async function writeOfd(pages: TextItem[][], o: OfdWriteOptions = {}): Promise<Buffer> {
  const p = o.prefix ?? 'ofd:';
  const ns = namespace(p);
  const zip = new yazl.ZipFile();
  const file = (name: string, xml: string) => zip.addBuffer(Buffer.from(xml), name);
  file('OFD.xml', ofdRootXml(p));
  const height = Math.max(842, ...pages.flat().map((i) => i.y + 2 * i.size));
  const template = o.template ? `<${p}TemplatePage ID="2" BaseLoc="Tpls/Tpl_0/Content.xml"/>` : '';
  file(
    'Doc_0/Document.xml',
    ofdDocumentXml(
      pages.map((_, n) => `${o.absolute ? '/Doc_0/' : ''}Pages/Page_${n}/Content.xml`),
      p,
      `<${p}PageArea><${p}PhysicalBox>0 0 595 ${height}</${p}PhysicalBox></${p}PageArea>${template}`,
    ),
  );
  if (o.template)
    file(
      'Doc_0/Tpls/Tpl_0/Content.xml',
      `<?xml version="1.0" encoding="UTF-8"?><${p}Page ${ns}><${p}Content><${p}Layer ID="3">${textObject({ str: o.template, x: 72, y: height - 40, width: 12 * o.template.length, size: 12 }, 4, height, p, false)}</${p}Layer></${p}Content></${p}Page>`,
    );
  let id = 100;
  pages.forEach((items, n) => {
    // Half the page's text inside a PageBlock (a group: its objects are placed as any other).
    const half = Math.floor(items.length / 2);
    const objects = items.map((item, i) => textObject(item, id++, height, p, !!o.scaled && i % 2 === 1));
    const body = `${objects.slice(0, half).join('')}<${p}PageBlock ID="${id++}">${objects.slice(half).join('')}</${p}PageBlock>`;
    file(
      `Doc_0/Pages/Page_${n}/Content.xml`,
      `<?xml version="1.0" encoding="UTF-8"?><${p}Page ${ns}>${o.template ? `<${p}Template TemplateID="2" ZOrder="Background"/>` : ''}<${p}Content><${p}Layer ID="${id++}">${body}</${p}Layer></${p}Content></${p}Page>`,
    );
  });
  zip.end();
  return buffer(zip.outputStream);
}

/** Text laid out one line under another (a text rendering of a report, `render(m, 'lines')`), as page items. */
export function textItems(text: string, size = 10.5, linesPerPage = 60): TextItem[][] {
  const pages: TextItem[][] = [];
  text.split('\n').forEach((line, i) => {
    if (i % linesPerPage === 0) pages.push([]);
    const str = line.trim();
    if (str) pages.at(-1)!.push({ str, x: 72, y: 800 - (i % linesPerPage) * size * 1.5, width: [...str].length * size, size });
  });
  return pages;
}
