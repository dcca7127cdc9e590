/**
 * HTML → the report's text (one block or table cell per line) and its tables as grids with rowspan/colspan
 * resolved. Handles TRS/Hanweb article containers, Word-pasted HTML (mso styles, <o:p>, nested
 * <p>/<span>/<font> in cells) and layout tables (a table that holds other tables is not a data table).
 */
import { parseDocument } from 'htmlparser2';
import { Document, Element, Text, type ChildNode } from 'domhandler';
import { norm } from './normalize.ts';

export interface GridCell {
  text: string;
  /** First grid column and one past the last. */
  col: number;
  colEnd: number;
  /** Grid row where the cell starts (rowspan copies it into the rows below). */
  row: number;
}

/** One <table>: `rows[r]` lists the distinct cells covering row r, in column order. */
export interface Grid {
  rows: GridCell[][];
  width: number;
}

export interface HtmlDocument {
  /** Text of the report body (the article container, else <body>). */
  text: string;
  /**
   * The 发布时间 the page shows outside the article (TRS/Hanweb <meta name="PubDate">, or a
   * "发布时间：…" label in the page chrome), YYYY-MM-DD.
   */
  pageDate: string | null;
  titles: string[];
  grids: Grid[];
  images: number;
}

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'select', 'option', 'button', 'svg', 'head', 'object']);
const BLOCK = new Set([
  'p', 'div', 'br', 'tr', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'tbody', 'thead', 'tfoot',
  'section', 'article', 'header', 'footer', 'blockquote', 'pre', 'hr', 'dd', 'dt', 'dl', 'td', 'th', 'caption', 'form', 'center',
]);
/** Article containers of the common CMS families (PORTALS.md): TRS, Hanweb, generic. */
const CONTAINERS: ((e: Element) => boolean)[] = [
  (e) => /\bTRS_(?:Editor|UEDITOR)\b/i.test(e.attribs.class ?? ''),
  (e) => /^(?:zoom|UCAP-CONTENT|barrierfree_container|xxgk_content|article-content|art_con|content_body)$/i.test(e.attribs.id ?? ''),
  (e) => /(?:^|\s)(?:zoom|article-content|article_content|art_con|wzcon|pages_content|news_content|detail-content|TRS_Editor)(?:\s|$)/i.test(e.attribs.class ?? ''),
  (e) => e.name === 'article',
];

function children(node: ChildNode | Document): ChildNode[] {
  return node instanceof Element || node instanceof Document ? node.children : [];
}

/** Text of a subtree, blocks and cells on their own lines. */
function textOf(node: ChildNode | Document, out: string[], inCell = false): void {
  if (node instanceof Document) {
    for (const c of node.children) textOf(c, out, inCell);
    return;
  }
  if (node instanceof Text) {
    out.push(norm(node.data).replace(/[\r\n\t]+/g, ' '));
    return;
  }
  if (!(node instanceof Element) || SKIP.has(node.name)) return;
  if (node.name === 'img' && !inCell) {
    const alt = node.attribs.alt;
    if (alt) out.push(norm(alt));
    return;
  }
  const block = BLOCK.has(node.name);
  const cell = node.name === 'td' || node.name === 'th';
  if (block && !(inCell && !cell)) out.push('\n');
  else if (block) out.push(' ');
  for (const c of node.children) textOf(c, out, inCell || cell);
  if (block && !(inCell && !cell)) out.push('\n');
  else if (block) out.push(' ');
}

function collectText(node: ChildNode | Document): string {
  const out: string[] = [];
  textOf(node, out);
  return out.join('').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n');
}

function cellText(node: Element): string {
  const out: string[] = [];
  textOf(node, out, true);
  return out.join('').replace(/\s+/g, ' ').trim();
}

/** The rows of `table` that belong to it (not to a nested table). */
function ownRows(table: Element): Element[] {
  const rows: Element[] = [];
  const walk = (e: Element) => {
    for (const c of e.children) {
      if (!(c instanceof Element)) continue;
      if (c.name === 'tr') rows.push(c);
      else if (c.name !== 'table') walk(c);
    }
  };
  walk(table);
  return rows;
}

const span = (v: string | undefined, max: number) => Math.min(Math.max(Number.parseInt(v ?? '1', 10) || 1, 1), max);

/** Builds the grid of one table (HTML table model: cells skip columns occupied by rowspans from above). */
export function buildGrid(table: Element): Grid {
  const trs = ownRows(table);
  const rows: GridCell[][] = trs.map(() => []);
  const occupied: (GridCell | undefined)[][] = trs.map(() => []);
  let width = 0;
  trs.forEach((tr, r) => {
    let col = 0;
    for (const td of tr.children) {
      if (!(td instanceof Element) || (td.name !== 'td' && td.name !== 'th')) continue;
      while (occupied[r]![col]) col++;
      const colspan = span(td.attribs.colspan, 64);
      const rowspan = Math.min(span(td.attribs.rowspan, 512), trs.length - r);
      const cell: GridCell = { text: cellText(td), col, colEnd: col + colspan, row: r };
      for (let dr = 0; dr < rowspan; dr++) {
        for (let dc = 0; dc < colspan; dc++) occupied[r + dr]![col + dc] = cell;
        rows[r + dr]!.push(cell);
      }
      col += colspan;
      width = Math.max(width, col);
    }
  });
  for (const row of rows) row.sort((a, b) => a.col - b.col);
  return { rows, width };
}

/** Elements the parser needs, collected in one walk of the document. */
interface Collected {
  body?: Element;
  containers: Element[][];
  titles: Element[];
}

function collect(node: ChildNode | Document, out: Collected): void {
  for (const c of children(node)) {
    if (!(c instanceof Element) || SKIP.has(c.name)) continue;
    if (c.name === 'body' && !out.body) out.body = c;
    const { class: cls, id } = c.attribs;
    if (c.name === 'h1' || c.name === 'h2' || c.name === 'h3' || (cls && /title/i.test(cls))) out.titles.push(c);
    if (cls || id || c.name === 'article') {
      const container = CONTAINERS.findIndex((test) => test(c));
      if (container >= 0) out.containers[container]!.push(c);
    }
    collect(c, out);
  }
}

/** Tables without a nested table (a table holding tables is page layout), and images, under `root`. */
function tablesAndImages(root: ChildNode | Document): { tables: Element[]; images: number } {
  const tables: Element[] = [];
  let images = 0;
  const walk = (node: ChildNode | Document): boolean => {
    let hasTable = false;
    for (const c of children(node)) {
      if (!(c instanceof Element) || SKIP.has(c.name)) continue;
      if (c.name === 'img') images++;
      const nested = walk(c);
      if (c.name === 'table') {
        if (!nested) tables.push(c);
        hasTable = true;
      } else hasTable ||= nested;
    }
    return hasTable;
  };
  walk(root);
  return { tables: tables, images };
}

const META_DATE = /<meta[^>]+name\s*=\s*["']?(?:PubDate|publishdate|pubdate|firstpublishedtime)["']?[^>]+content\s*=\s*["']?\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})/i;
const LABELLED_DATE = /(?:发布|发表|公开|成文)(?:时间|日期)\s*(?:[:：]|&nbsp;|\s|<[^>]{0,200}>){0,6}(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/;

/** The page's own date from its markup (no DOM walk: a regex over the raw HTML). */
export function pageDate(html: string): string | null {
  const m = META_DATE.exec(html) ?? LABELLED_DATE.exec(html);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : null;
}

/** Parses an HTML page into its report text and table grids. */
export function parseHtml(html: string): HtmlDocument {
  const doc = parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  const found: Collected = { containers: CONTAINERS.map(() => []), titles: [] };
  collect(doc, found);
  const body: ChildNode | Document = found.body ?? doc;
  let root: ChildNode | Document = body;
  let rootText: string | undefined;
  for (const hits of found.containers) {
    // The outermost matches with real text; of those, the one with the most.
    const texts = hits.map((e) => [e, collectText(e)] as const).filter(([, t]) => t.replace(/\s/g, '').length > 200);
    if (texts.length > 0) {
      [root, rootText] = texts.reduce((a, b) => (a[1].length >= b[1].length ? a : b));
      break;
    }
  }
  const titleTag = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? '';
  const titles = found.titles.map((e) => collectText(e).trim()).concat(norm(titleTag).trim());
  const { tables, images } = tablesAndImages(root);
  return {
    text: rootText ?? collectText(root),
    pageDate: pageDate(html),
    titles: titles.filter(Boolean),
    grids: tables.map(buildGrid).filter((g) => g.rows.length > 0),
    images,
  };
}
