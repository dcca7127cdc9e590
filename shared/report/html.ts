/**
 * HTML → the report's text (one block or table cell per line) and its tables as grids with rowspan/colspan
 * resolved. Handles TRS/Hanweb article containers, Word-pasted HTML (mso styles, <o:p>, nested
 * <p>/<span>/<font> in cells) and layout tables (a table that holds other tables is not a data table).
 *
 * One streaming pass with htmlparser2's tokenizer (no DOM): the text, the article containers' spans, the
 * tables' cells and the headings are collected as the tags go by (docs/architecture.md speed target, `npm run bench`).
 */
import { decodeHTML } from 'entities';
import { Parser } from 'htmlparser2';
import { UnreadableInputError } from './errors.ts';
import { DEFAULT_LIMITS, type ReadLimits } from './limits.ts';
import { norm } from './normalize.ts';
import { findSections } from './sections.ts';

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
  /** Text of the report body (the article container, else the whole body). */
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

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'select', 'option', 'button', 'svg', 'head', 'object', 'title']);
/** A `style` attribute inside a start tag (the tag's name and earlier attributes kept in group 1). */
const STYLE_ATTRIBUTE = /(<[a-zA-Z][\w:-]*(?:\s+[^\s<>=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=]+))?)*?)\s+style\s*=\s*(?:"[^"]*"|'[^']*')/gi;
const BLOCK = new Set([
  'p',
  'div',
  'br',
  'tr',
  'li',
  'ul',
  'ol',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'section',
  'article',
  'header',
  'footer',
  'blockquote',
  'pre',
  'hr',
  'dd',
  'dt',
  'dl',
  'td',
  'th',
  'caption',
  'form',
  'center',
]);
/** Article containers of the common CMS families (docs/portals.md), in order of preference: TRS, ids, classes, <article>. */
const CONTAINERS: ((name: string, a: Record<string, string>) => boolean)[] = [
  (_, a) => /\bTRS_(?:Editor|UEDITOR)\b/i.test(a.class ?? ''),
  (_, a) => /^(?:zoom|UCAP-CONTENT|barrierfree_container|xxgk_content|article-content|art_con|content_body)$/i.test(a.id ?? ''),
  (_, a) => /(?:^|\s)(?:zoom|article-content|article_content|art_con|wzcon|pages_content|news_content|detail-content|TRS_Editor)(?:\s|$)/i.test(a.class ?? ''),
  (name) => name === 'article',
];

/**
 * Every word a CONTAINERS test looks for, in one pass: Word-pasted pages give a class to every <p> and <span>
 * (`MsoNormal`), and most tags need no closer look. Keep it in step with CONTAINERS (tests/unit/parse-variants.test.ts
 * names every container).
 */
const MAY_BE_CONTAINER = /TRS_|zoom|UCAP|barrierfree|xxgk_content|art(?:icle|_con)|content_body|wzcon|pages_content|news_content|detail-content/i;

/** Elements that may hold an article on a page of no known CMS family. */
const ARTICLE_BLOCKS = new Set(['div', 'section', 'main', 'td', 'article']);

/**
 * The article of a page whose container is of no known family: the smallest block holding the report's first
 * and last section headings (docs/format.md §2). Without it the whole body is the text, and page chrome (visit
 * counters, clocks, "latest news" lists) would be read as report text and look like edits of the report.
 */
function articleByContent(full: string, blocks: [number, number][]): [number, number] | null {
  const { hits } = findSections(full);
  if (hits.length < 2) return null;
  const first = hits[0]!.start;
  const last = hits.at(-1)!.end;
  let best: [number, number] | null = null;
  for (const b of blocks) if (b[0] <= first && b[1] >= last && (!best || b[1] - b[0] < best[1] - best[0])) best = b;
  return best;
}

const META_DATE =
  /<meta[^>]+name\s*=\s*["']?(?:PubDate|publishdate|pubdate|firstpublishedtime)["']?[^>]+content\s*=\s*["']?\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})/i;
/** TRS and ucap pages carry their publication time in a tag of its own: `<publishtime>2025-01-22 10:00:00</publishtime>`. */
const PUBLISHTIME_TAG = /<publish_?time>\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})/i;
const labelled = (words: string) =>
  new RegExp(`(?:${words})(?:时间|日期)\\s*(?:[:：]|&nbsp;|\\s|<[^>]{0,200}>){0,6}(\\d{4})\\s*[-/.年]\\s*(\\d{1,2})\\s*[-/.月]\\s*(\\d{1,2})`);
/** 发布日期/公开日期 (ucap's info table) before 成文日期 (when the document was written, often days earlier). */
const LABELLED_DATES = [labelled('发布|发表|公开'), labelled('成文')];

/** The page's own date from its markup (a regex over the raw HTML). */
export function pageDate(html: string): string | null {
  for (const re of [META_DATE, PUBLISHTIME_TAG, ...LABELLED_DATES]) {
    const m = re.exec(html);
    if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  }
  return null;
}

const span = (v: string | undefined, max: number) => Math.min(Math.max(Number.parseInt(v ?? '1', 10) || 1, 1), max);

interface RawCell {
  text: string[];
  colspan: number;
  rowspan: number;
}

interface TableBuilder {
  rows: RawCell[][];
  hasNested: boolean;
  /** Text offset where the table started (to tell which container holds it). */
  at: number;
}

/** Builds the grid of one table (HTML table model: cells skip columns occupied by rowspans from above). */
function buildGrid(raw: RawCell[][]): Grid {
  const rows: GridCell[][] = raw.map(() => []);
  const occupied: (GridCell | undefined)[][] = raw.map(() => []);
  let width = 0;
  raw.forEach((tr, r) => {
    let col = 0;
    for (const td of tr) {
      while (occupied[r]![col]) col++;
      const rowspan = Math.min(td.rowspan, raw.length - r);
      // The cell's text was normalised chunk by chunk as it was read (ontext).
      const cell: GridCell = { text: td.text.join('').replace(/\s+/g, ' ').trim(), col, colEnd: col + td.colspan, row: r };
      for (let dr = 0; dr < rowspan; dr++) {
        for (let dc = 0; dc < td.colspan; dc++) occupied[r + dr]![col + dc] = cell;
        rows[r + dr]!.push(cell);
      }
      col += td.colspan;
      width = Math.max(width, col);
    }
  });
  for (const row of rows) row.sort((a, b) => a.col - b.col);
  return { rows, width };
}

interface Open {
  name: string;
  container: number;
  title: boolean;
  start: number;
}

/**
 * The page walked tag by tag (htmlparser2's callbacks): its visible text, the grids of its tables (nested tables
 * left out), the spans of candidate article containers and title elements, and where images are. Nesting depth and
 * table cells are counted as the tags go by (limits.ts).
 */
class HtmlWalker {
  /** The text so far: appended to (V8 builds a rope and flattens it once), cheaper than an array joined at the end. */
  private out = '';
  length = 0;
  private readonly stack: Open[] = [];
  private skip = 0;
  private cellDepth = 0;
  private cells = 0;
  private readonly tables: TableBuilder[] = [];
  private cell: RawCell | null = null;
  readonly done: { grid: Grid; at: number }[] = [];
  readonly spans: { family: number; start: number; end: number }[] = [];
  /** Spans of the generic blocks an article may sit in, for pages whose container is of no known family. */
  readonly blocks: [number, number][] = [];
  readonly titleSpans: [number, number][] = [];
  readonly images: number[] = [];

  constructor(
    private readonly name: string,
    private readonly maxDepth: number,
    private readonly maxCells: number,
  ) {}

  text(): string {
    return this.out;
  }

  private push(s: string): void {
    this.out += s;
    this.length += s.length;
  }

  private blockBreak(name: string): void {
    if (BLOCK.has(name)) this.push(this.cellDepth > 0 && name !== 'td' && name !== 'th' ? ' ' : '\n');
  }

  onopentag(name: string, attribs: Record<string, string>): void {
    // htmlparser2 reports implied closes (a <p> or <td> followed by its sibling) in order: this stack is the real nesting.
    if (this.stack.length >= this.maxDepth)
      throw new UnreadableInputError(this.name, { en: `elements nested more than ${this.maxDepth} deep`, zh: '标签嵌套过深' });
    if ((name === 'td' || name === 'th') && ++this.cells > this.maxCells)
      throw new UnreadableInputError(this.name, { en: `more than ${this.maxCells} table cells`, zh: '表格单元格过多' });
    if (this.skip > 0 || SKIP.has(name)) {
      if (SKIP.has(name)) this.skip++;
      this.stack.push({ name, container: -1, title: false, start: this.length });
      return;
    }
    const { class: cls, id } = attribs;
    // Class and id tested apart (no word of the pre-check spans the two): no string built for every tag.
    const mayBe = name === 'article' || (cls !== undefined && MAY_BE_CONTAINER.test(cls)) || (id !== undefined && MAY_BE_CONTAINER.test(id));
    const container = mayBe ? CONTAINERS.findIndex((t) => t(name, attribs)) : -1;
    const title = name === 'h1' || name === 'h2' || name === 'h3' || (cls !== undefined && /title/i.test(cls));
    this.openTableParts(name, attribs);
    this.blockBreak(name);
    this.stack.push({ name, container, title, start: this.length });
  }

  private openTableParts(name: string, attribs: Record<string, string>): void {
    const tables = this.tables;
    if (name === 'table') {
      if (tables.length) tables.at(-1)!.hasNested = true;
      tables.push({ rows: [], hasNested: false, at: this.length });
    } else if (name === 'tr' && tables.length) {
      tables.at(-1)!.rows.push([]);
    } else if ((name === 'td' || name === 'th') && tables.length) {
      const t = tables.at(-1)!;
      if (t.rows.length === 0) t.rows.push([]);
      this.cell = { text: [], colspan: span(attribs.colspan, 64), rowspan: span(attribs.rowspan, 512) };
      t.rows.at(-1)!.push(this.cell);
      this.cellDepth++;
    } else if (name === 'img') {
      this.images.push(this.length);
      if (attribs.alt && this.cellDepth === 0) this.push(norm(attribs.alt));
    }
  }

  ontext(text: string): void {
    if (this.skip > 0) return;
    const t = norm(text).replace(/[\r\n\t]+/g, ' ');
    this.push(t);
    if (this.cell) this.cell.text.push(t);
  }

  onclosetag(name: string): void {
    // Pop to the matching open element (htmlparser2 reports implied closes in order).
    let open: Open | undefined;
    while (this.stack.length) {
      const top = this.stack.pop()!;
      if (top.name === name) {
        open = top;
        break;
      }
    }
    if (!open) return;
    if (SKIP.has(name)) {
      this.skip = Math.max(0, this.skip - 1);
      return;
    }
    if (this.skip > 0) return;
    this.blockBreak(name);
    if ((name === 'td' || name === 'th') && this.cellDepth > 0) {
      this.cellDepth--;
      this.cell = null;
    } else if (name === 'table' && this.tables.length) {
      const t = this.tables.pop()!;
      if (!t.hasNested && t.rows.length) this.done.push({ grid: buildGrid(t.rows), at: t.at });
    }
    if (open.container >= 0) this.spans.push({ family: open.container, start: open.start, end: this.length });
    else if (ARTICLE_BLOCKS.has(name)) this.blocks.push([open.start, this.length]);
    if (open.title) this.titleSpans.push([open.start, this.length]);
  }
}

/** JavaScript's `\s`: WhiteSpace and LineTerminator (ECMA-262 §12.2, §12.3). */
const isSpace = (c: number) =>
  (c >= 0x09 && c <= 0x0d) ||
  c === 0x20 ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;

/**
 * Whether `text[from, to)` has more than `min` characters that are not `\s`. Counted until the answer is known: a
 * page's containers span most of its text, and this is asked of each.
 */
export function visibleMoreThan(text: string, from: number, to: number, min: number): boolean {
  let seen = 0;
  for (let i = from; i < to && seen <= min; i++) if (!isSpace(text.charCodeAt(i))) seen++;
  return seen > min;
}

/** The article's span: the largest container of the first known CMS family with text, else the block that looks like one. */
function articleRoot(full: string, w: HtmlWalker): [number, number] {
  for (let family = 0; family < CONTAINERS.length; family++) {
    const hits = w.spans.filter((s) => s.family === family && visibleMoreThan(full, s.start, s.end, 200));
    if (hits.length > 0) {
      const best = hits.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
      return [best.start, best.end];
    }
  }
  return articleByContent(full, w.blocks) ?? [0, full.length];
}

/**
 * Reads a page into its report text and table grids. Nesting depth and table cells are bounded as the tags go by
 * (limits.ts): a page nested deeper than the limit (a million `<div>`s make tree-building quadratic) or with more
 * cells is refused at once.
 */
export function parseHtml(html: string, guard: { name?: string; limits?: ReadLimits } = {}): HtmlDocument {
  const { depth, cells } = guard.limits ?? DEFAULT_LIMITS;
  const walker = new HtmlWalker(guard.name ?? 'input', depth, cells);
  const parser = new Parser(
    { onopentag: (n, a) => walker.onopentag(n, a), ontext: (t) => walker.ontext(t), onclosetag: (n) => walker.onclosetag(n) },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  // Inline styles are never read, and Word-pasted pages carry hundreds of bytes of them on every cell and
  // span; cutting them out in one native regex pass spares the tokenizer walking them character by character.
  parser.write(html.replace(STYLE_ATTRIBUTE, '$1'));
  parser.end();
  const full = walker.text();
  const root = articleRoot(full, walker);
  const inRoot = (at: number) => at >= root[0] && at <= root[1];
  // Read by a regex (the walker skips <head>): its character references decoded as the tokenizer would (RCDATA, legacy).
  const tagTitle = decodeHTML(/<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? '');
  const titles = walker.titleSpans.map(([a, b]) => full.slice(a, b).replace(/\s+/g, ' ').trim()).concat(norm(tagTitle).trim());
  return {
    text: full
      .slice(root[0], root[1])
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n'),
    pageDate: pageDate(html),
    titles: titles.filter(Boolean),
    grids: walker.done
      .filter((t) => inRoot(t.at))
      .map((t) => t.grid)
      .filter((g) => g.rows.length > 0),
    images: walker.images.filter(inRoot).length,
  };
}
