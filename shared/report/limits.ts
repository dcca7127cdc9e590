/**
 * Limits on what one report may cost to read, for every way bytes reach the parser (a file, standard input, a
 * fetched page, an attachment): a portal can serve anything, and one bad document must not take down a run or a
 * 1 GB Lambda. Each limit is checked before the work it bounds, and a document over one is unreadable input — an
 * `UnreadableInputError` naming the limit — never a stuck run or an out-of-memory crash.
 *
 * The sizes are far above real reports (a report page is ~100 KB, its Word-pasted HTML a few MB, a report DOCX
 * inflates to a few MB, its deepest nesting ~30) and low enough that the worst input of each kind is read in a
 * few hundred MB (`npm run bench`, hostile cases).
 */
import { UnreadableInputError } from './errors.ts';

export interface ReadLimits {
  /** Bytes of any input, before anything else. */
  bytes: number;
  /** Characters of decoded HTML or text (a DOCX's converted HTML included). */
  chars: number;
  /** Open elements inside one another (HTML). */
  depth: number;
  /** Table cells in one page (HTML). */
  cells: number;
  /** Bytes a DOCX may inflate to, all entries together (checked as it inflates, not from what it declares). */
  inflated: number;
  /** Entries in a DOCX zip. */
  entries: number;
  /** Largest compression ratio of a DOCX entry above 1 MB (XML compresses ~10:1; zip bombs 1000:1). */
  ratio: number;
  /** Wall time for one document (checked between stages and PDF pages). */
  timeMs: number;
}

export const DEFAULT_LIMITS: ReadLimits = {
  bytes: 64 * 1024 * 1024,
  chars: 8 * 1024 * 1024,
  depth: 512,
  cells: 100_000,
  inflated: 32 * 1024 * 1024,
  entries: 5_000,
  ratio: 200,
  timeMs: 60_000,
};

const mb = (n: number) => `${(n / 1048576).toFixed(n % 1048576 ? 1 : 0)} MB`;

/** Throws when `bytes` is over the input limit. */
export function checkBytes(name: string, size: number, limits: ReadLimits = DEFAULT_LIMITS): void {
  if (size > limits.bytes) throw new UnreadableInputError(name, `${size} bytes is over the ${mb(limits.bytes)} input limit / 文件过大`);
}

/** Throws when decoded markup or text is over the character limit. */
export function checkChars(name: string, length: number, limits: ReadLimits = DEFAULT_LIMITS): void {
  if (length > limits.chars) throw new UnreadableInputError(name, `${length} characters is over the ${limits.chars}-character limit for one report / 内容过长`);
}

// Elements closed implicitly by the next sibling (HTML §13.1.2.4): a page of unclosed <p> or <td> is not deep.
const IMPLIED_END = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'tbody', 'thead', 'tfoot', 'option', 'optgroup', 'rb', 'rt', 'rp', 'rtc', 'colgroup', 'caption']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'frame', 'keygen', 'basefont', 'isindex', 'o:p']);
// `[^<>]` keeps every attempt within one tag: linear even for a page of `<a<a<a…` with no `>`.
const TAG = /<(\/?)([a-zA-Z][\w:-]*)[^<>]*?(\/?)>/g;

/**
 * One linear pass over the tags of `html` before it is parsed: nesting depth and table cells. Deeply nested
 * markup (a million `<div>`s) makes tree-building quadratic; a page of a million cells has no report in it.
 */
export function checkMarkup(name: string, html: string, limits: ReadLimits = DEFAULT_LIMITS): void {
  let depth = 0;
  let deepest = 0;
  let cells = 0;
  const open: string[] = [];
  for (const m of html.matchAll(TAG)) {
    const [, close, rawName, selfClosing] = m;
    const tag = rawName!.toLowerCase();
    if (tag === 'td' || tag === 'th') {
      if (!close && ++cells > limits.cells) throw new UnreadableInputError(name, `more than ${limits.cells} table cells / 表格单元格过多`);
      continue;
    }
    if (VOID.has(tag) || IMPLIED_END.has(tag) || selfClosing) continue;
    if (close) {
      // Close up to the matching element when it is open (stray end tags close nothing).
      const at = open.lastIndexOf(tag);
      if (at >= 0) {
        open.length = at;
        depth = at;
      }
      continue;
    }
    open.push(tag);
    depth++;
    if (depth > deepest) deepest = depth;
    if (deepest > limits.depth) throw new UnreadableInputError(name, `elements nested more than ${limits.depth} deep / 标签嵌套过深`);
  }
}

/**
 * The wall-time budget of one document: `check` between stages (and PDF pages) throws once it is spent, so a
 * document that takes too long is unreadable input, not a stuck run.
 */
export class DocumentBudget {
  private readonly until: number;

  constructor(
    private readonly name: string,
    private readonly limits: ReadLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.until = now() + limits.timeMs;
  }

  check(stage: string): void {
    if (this.now() > this.until) throw new UnreadableInputError(this.name, `reading took longer than ${this.limits.timeMs / 1000} s (stopped at ${stage}) / 解析超时`);
  }
}
