/**
 * OFD (开放版式文档, GB/T 33190-2016, China's fixed-layout format beside PDF) → positioned text items → layout text
 * (layout.ts, as for a PDF).
 *
 * An OFD is a zip of XML (§6): OFD.xml names each document's Document.xml (DocBody/DocRoot), which lists its pages
 * (Pages/Page/@BaseLoc); a page's Content.xml holds layers of TextObjects. A TextObject has a Boundary (x y w h, in
 * mm from the page's top left), an optional CTM (a b c d e f) mapping its own coordinates into the boundary, and a
 * Size; each TextCode inside places its first glyph at (X, Y) and the next ones DeltaX/DeltaY further (§11.3; `g n v`
 * repeats v n times). Every glyph is placed where the page prints it, so a row written as one TextCode with wide
 * gaps between its cells reads as cells. Template pages (letterheads, running headers) and annotations (seals) are
 * not report text and are not read. The zip is checked against the input limits first (zip-guard.ts).
 */
import { Parser } from 'htmlparser2';
import { type Bilingual, GiveUpError } from '../errors.ts';
import { decodeBytes, UnsupportedEncodingError } from './decode.ts';
import { type LayoutText, layoutText, type TextItem } from './layout.ts';
import { DEFAULT_LIMITS, type ReadLimits } from './limits.ts';
import { norm } from './normalize.ts';
import { readZip, ZipLimitError } from './zip-guard.ts';

/** Thrown when an OFD cannot be read (not a zip, no document, over a limit). */
export class OfdError extends GiveUpError {
  constructor(message: string | Bilingual) {
    super(message);
  }
}

/** Pages and glyphs one OFD may hold (as for a PDF: pdf.ts DEFAULT_PDF_LIMITS). */
const MAX_PAGES = 300;
const MAX_GLYPHS = 500_000;

/** An entry's name as a key: `/`-separated, no leading slash (producers write `Doc_0\Pages\…` and `/Doc_0/…`). */
const entryKey = (name: string) => name.replace(/\\/g, '/').replace(/^\/+/, '');

/** The XML entries of the package, by key; a name is looked up exactly, then ignoring case. */
class Package {
  private readonly lower = new Map<string, string>();

  constructor(private readonly entries: Map<string, Buffer>) {
    for (const key of entries.keys()) this.lower.set(key.toLowerCase(), key);
  }

  xml(key: string): string | undefined {
    const k = entryKey(key);
    const bytes = this.entries.get(k) ?? this.entries.get(this.lower.get(k.toLowerCase()) ?? '');
    if (!bytes) return undefined;
    // The standard says UTF-8 (§7.1); a part that declares another encoding (`<?xml … encoding="GB2312"?>`) is read in it.
    const declared = /^(?:\u00ef\u00bb\u00bf)?<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(bytes.subarray(0, 200).toString('latin1'))?.[1];
    try {
      return decodeBytes(bytes, `text/xml; charset=${declared ?? 'utf-8'}`).text;
    } catch (e) {
      if (e instanceof UnsupportedEncodingError) throw new OfdError({ en: `${k}: ${e.message}`, zh: `${k}：不支持的字符编码` });
      throw e;
    }
  }
}

/** `loc` resolved as §7.3 says: from the package root when it starts with `/`, else from `base`'s folder. */
function resolve(base: string, loc: string): string {
  const l = loc.trim().replace(/\\/g, '/');
  const parts = l.startsWith('/') ? [] : entryKey(base).split('/').slice(0, -1);
  for (const p of l.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}

interface XmlElement {
  name: string;
  attribs: Record<string, string>;
  text: string;
}

/** Walks an XML part with local names (the `ofd:` prefix, or none, or another, as producers write it). */
function walkXml(xml: string, on: { open?(e: XmlElement, path: string[]): void; close?(e: XmlElement, path: string[]): void }): void {
  const stack: XmlElement[] = [];
  const path: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const e = { name: name.slice(name.indexOf(':') + 1), attribs, text: '' };
        stack.push(e);
        path.push(e.name);
        on.open?.(e, path);
      },
      ontext(text) {
        const top = stack.at(-1);
        if (top) top.text += text;
      },
      onclosetag() {
        const e = stack.pop();
        if (e) on.close?.(e, path);
        path.pop();
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
}

/** A number of the markup; one that is not (a damaged or hostile part) counts as 0, so positions stay comparable. */
const num = (s: string | undefined) => {
  const v = Number(s);
  return Number.isFinite(v) ? v : 0;
};

/** The words of an attribute holding numbers (`"25 30 160 8"`, `"g 3 5.6"`). */
const words = (value: string | undefined) =>
  (value ?? '')
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);

/** An attribute's list of numbers (Boundary, CTM). */
const numbers = (value: string | undefined) => words(value).map(num);

/** A list of numbers with §11.3's `g n v` (v repeated n times) expanded, at most `limit` of them (one per glyph). */
export function expandDeltas(value: string | undefined, limit: number): number[] {
  const out: number[] = [];
  const tokens = words(value);
  for (let i = 0; i < tokens.length; i++) {
    if (out.length >= limit) break;
    if (tokens[i] === 'g') {
      const n = num(tokens[i + 1]);
      const v = num(tokens[i + 2]);
      for (let k = 0; k < n && out.length < limit; k++) out.push(v);
      i += 2;
    } else out.push(num(tokens[i]));
  }
  return out;
}

/** A full-width glyph (CJK, full-width forms) is as wide as its size; others about half. */
const isWide = (ch: string) => /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch);

/** The glyphs of one page's TextObjects as layout items (y negated: OFD's y grows downwards, the layout's upwards). */
function pageItems(xml: string, count: { glyphs: number }): TextItem[] {
  const items: TextItem[] = [];
  let object: { box: number[]; ctm: number[] | null; size: number } | null = null;
  let next = { x: 0, y: 0 };
  walkXml(xml, {
    open(e) {
      // Text sits in the page's Content/Layer, PageBlocks within (a page's Template is another part, not read).
      if (e.name === 'TextObject') {
        const ctm = numbers(e.attribs.CTM);
        object = { box: numbers(e.attribs.Boundary), ctm: ctm.length === 6 ? ctm : null, size: Math.abs(num(e.attribs.Size)) || 3.5 };
        next = { x: 0, y: 0 };
      }
    },
    close(e) {
      if (e.name === 'TextObject') object = null;
      if (e.name !== 'TextCode' || !object) return;
      const { box, ctm, size } = object;
      const [bx = 0, by = 0] = box;
      // A TextCode without X or Y goes on from where the last one ended (§11.3).
      let x = e.attribs.X !== undefined ? num(e.attribs.X) : next.x;
      let y = e.attribs.Y !== undefined ? num(e.attribs.Y) : next.y;
      const glyphs = [...e.text];
      count.glyphs += glyphs.length;
      if (count.glyphs > MAX_GLYPHS) throw new OfdError({ en: `more than ${MAX_GLYPHS} glyphs`, zh: '文本对象过多' });
      const dx = expandDeltas(e.attribs.DeltaX, glyphs.length);
      const dy = expandDeltas(e.attribs.DeltaY, glyphs.length);
      const [a, b, c, d, tx, ty] = ctm ?? [1, 0, 0, 1, 0, 0];
      const scale = Math.sqrt(Math.abs(a! * d! - b! * c!)) || 1;
      glyphs.forEach((ch, i) => {
        const wide = isWide(ch);
        const advance = dx[i] ?? (wide ? size : size / 2);
        if (ch.trim() !== '') {
          const px = bx + a! * x + c! * y + tx!;
          const py = by + b! * x + d! * y + ty!;
          const width = Math.min(advance > 0 ? advance : size, wide ? size : size / 2) * scale;
          items.push({ str: norm(ch), x: px, y: -py, width, size: size * scale });
        }
        x += advance;
        y += dy[i] ?? 0;
      });
      next = { x, y };
    },
  });
  return items;
}

/** The page locations of the first document, in order. */
function pageLocations(pkg: Package): string[] {
  let root: string | undefined;
  const ofd = pkg.xml('OFD.xml');
  if (!ofd) throw new OfdError({ en: 'no OFD.xml: not an OFD package', zh: '缺少 OFD.xml，不是 OFD 文件' });
  walkXml(ofd, {
    close(e, path) {
      if (e.name === 'DocRoot' && path.includes('DocBody') && root === undefined) root = e.text.trim();
    },
  });
  if (!root) throw new OfdError({ en: 'OFD.xml names no document (DocBody/DocRoot)', zh: 'OFD.xml 未指明文档' });
  const documentKey = resolve('', root);
  const document = pkg.xml(documentKey);
  if (!document) throw new OfdError({ en: `the document ${root} named by OFD.xml is missing`, zh: '文档缺失' });
  const pages: string[] = [];
  walkXml(document, {
    open(e, path) {
      if (e.name === 'Page' && path.at(-2) === 'Pages' && e.attribs.BaseLoc) pages.push(resolve(documentKey, e.attribs.BaseLoc));
    },
  });
  return pages;
}

/** Extracts the layout text of an OFD. Throws OfdError for a package that is damaged, incomplete or over a limit. */
export async function ofdText(bytes: Uint8Array, limits: ReadLimits = DEFAULT_LIMITS, onPage?: () => void): Promise<LayoutText> {
  let entries: Map<string, Buffer>;
  try {
    entries = await readZip(bytes, limits, (name) => /\.xml$/i.test(name));
  } catch (e) {
    if (e instanceof ZipLimitError) throw new OfdError({ en: `OFD refused: ${e.text?.en ?? e.message}`, zh: `拒绝读取 OFD：${e.text?.zh ?? e.message}` });
    throw e;
  }
  const pkg = new Package(new Map([...entries].map(([name, data]) => [entryKey(name), data])));
  const locations = pageLocations(pkg);
  if (locations.length > MAX_PAGES) throw new OfdError({ en: `${locations.length} pages is over the ${MAX_PAGES}-page limit`, zh: '页数过多' });
  const count = { glyphs: 0 };
  const pages: TextItem[][] = [];
  for (const loc of locations) {
    onPage?.(); // the document's time budget (limits.ts)
    const xml = pkg.xml(loc);
    if (xml === undefined) throw new OfdError({ en: `page ${loc} listed by the document is missing`, zh: '页面缺失' });
    pages.push(pageItems(xml, count));
  }
  return layoutText(pages);
}
