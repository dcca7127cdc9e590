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
  /** Bytes a DOCX or OFD may inflate to, all entries together (checked as it inflates, not from what it declares). */
  inflated: number;
  /** Entries in a DOCX or OFD zip. */
  entries: number;
  /** Largest compression ratio of a DOCX or OFD entry above 1 MB (XML compresses ~10:1; zip bombs 1000:1). */
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
  if (size > limits.bytes) throw new UnreadableInputError(name, { en: `${size} bytes is over the ${mb(limits.bytes)} input limit`, zh: '文件过大' });
}

/** Throws when decoded markup or text is over the character limit. */
export function checkChars(name: string, length: number, limits: ReadLimits = DEFAULT_LIMITS): void {
  if (length > limits.chars)
    throw new UnreadableInputError(name, { en: `${length} characters is over the ${limits.chars}-character limit for one report`, zh: '内容过长' });
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
    if (this.now() > this.until)
      throw new UnreadableInputError(this.name, { en: `reading took longer than ${this.limits.timeMs / 1000} s (stopped at ${stage})`, zh: '解析超时' });
  }
}
