/**
 * PDF → positioned text lines (pdfjs-dist 5.6.205, legacy build: runs on Node 20 and 22).
 *
 * The text layer's reading order is not trusted: items are placed by their coordinates, a line is the
 * items at one height, and inside a line a gap wider than a character separates cells ("3001   53   0")
 * while items that touch are one word or number ("1" "1" → "11"). The result is the layout text the
 * flattened-text parser reads (labels broken over lines included). Page numbers ("- 4 -") and running
 * headers/footers repeated on most pages are dropped.
 */
import { type Bilingual, GiveUpError } from '../errors.ts';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { norm } from './normalize.ts';
import { placeColumns, type Run } from './pdf-columns.ts';

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<Pdfjs> | null = null;

/**
 * pdfjs is loaded on first use. Its legacy build (needed on Node 20) installs core-js polyfills; one of them
 * replaces Array.prototype.push with a JS function (a Safari workaround V8 does not need) that slows every
 * array push in the process — the native one is put back.
 *
 * pdfjs's display module builds a `DOMMatrix` when it loads (`SCALE_MATRIX`, used only to render on a
 * canvas). On Node it borrows one from `@napi-rs/canvas`, an optional native package built per CPU
 * architecture that the Lambda layers do not carry: without it the import throws "DOMMatrix is not
 * defined". Text extraction draws nothing, so a pure-JS DOMMatrix (@thednp/dommatrix) is installed first
 * when the runtime has none — the same code then reads PDFs on arm64 and x86_64 with no native canvas.
 */
function loadPdfjs(): Promise<Pdfjs> {
  pdfjs ??= (async () => {
    if (!(globalThis as { DOMMatrix?: unknown }).DOMMatrix) {
      const { default: DOMMatrix } = await import('@thednp/dommatrix');
      (globalThis as { DOMMatrix?: unknown }).DOMMatrix = DOMMatrix;
    }
    const push = Array.prototype.push;
    const mod = await import('pdfjs-dist/legacy/build/pdf.mjs');
    if (Array.prototype.push !== push) Object.defineProperty(Array.prototype, 'push', { value: push, writable: true, configurable: true, enumerable: false });
    return mod;
  })();
  return pdfjs;
}

/** Guards against PDF bombs and runaway files. */
export interface PdfLimits {
  maxBytes: number;
  maxPages: number;
  /** Text items over all pages. */
  maxItems: number;
}

export const DEFAULT_PDF_LIMITS: PdfLimits = { maxBytes: 50 * 1024 * 1024, maxPages: 300, maxItems: 500_000 };

/** Why a PDF could not be read at all (corrupt, encrypted, over a limit). */
export class PdfError extends GiveUpError {
  constructor(message: string | Bilingual) {
    super(message);
  }
}

interface Item {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

export interface PdfText {
  /** Layout text: one line per text line, cells separated by three spaces. */
  text: string;
  pages: number;
  /** Non-space characters in the text layer. */
  characters: number;
  /** True when the pages carry (almost) no text: a scan. */
  imageOnly: boolean;
}

/** Items of one page, with their position (PDF user space: y grows upwards). */
async function pageItems(doc: PDFDocumentProxy, n: number): Promise<Item[]> {
  const page = await doc.getPage(n);
  const content = await page.getTextContent();
  const items: Item[] = [];
  for (const it of content.items) {
    if (!('str' in it) || it.str.trim() === '') continue;
    const [a, b, , d, x, y] = it.transform as number[];
    items.push({ str: norm(it.str), x: x!, y: y!, width: it.width, size: Math.max(Math.hypot(a!, b!), Math.abs(d!), 1) });
  }
  page.cleanup();
  return items;
}

/** Groups items into lines (same height within half a font size), top to bottom, left to right. */
function lines(items: Item[]): Item[][] {
  const sorted = [...items].sort((p, q) => q.y - p.y || p.x - q.x);
  const out: Item[][] = [];
  for (const it of sorted) {
    const line = out.at(-1);
    if (line && Math.abs(line[0]!.y - it.y) <= Math.min(line[0]!.size, it.size) * 0.5) line.push(it);
    else out.push([it]);
  }
  return out.map((l) => l.sort((p, q) => p.x - q.x));
}

/** Merges touching items of a line into runs (one word or number: "1" "1" → "11"). */
function toRuns(line: Item[]): Run[] {
  const runs: Run[] = [];
  for (const it of line) {
    const last = runs.at(-1);
    const text = it.str.trim();
    if (last && it.x - last.x1 <= it.size * 0.25) {
      last.text += text;
      last.x1 = Math.max(last.x1, it.x + it.width);
    } else {
      runs.push({ text, x0: it.x, x1: it.x + it.width, size: it.size });
    }
  }
  return runs;
}

/** A line's text: a gap wider than one character separates cells ("3001   53   0"). */
function runsText(runs: Run[]): string {
  let text = '';
  let end = -Infinity;
  for (const r of runs) {
    const gap = r.x0 - end;
    if (text && gap > r.size * 0.9) text += '   ';
    else if (text && /[A-Za-z]$/.test(text) && /^[A-Za-z]/.test(r.text)) text += ' ';
    text += r.text;
    end = Math.max(end, r.x1);
  }
  return text;
}

const PAGE_NUMBER = /^(?:[—-]\s*\d+\s*[—-]|第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+)$/;
/** A bare number is a page number only as the first or last line of a page (elsewhere it is a cell). */
const BARE_NUMBER = /^\d{1,3}$/;

function isPageFurniture(line: string, index: number, count: number): boolean {
  const l = line.replace(/\s+/g, '');
  return PAGE_NUMBER.test(l) || (BARE_NUMBER.test(l) && (index === 0 || index === count - 1));
}

/** The exception classes with which pdfjs says a file cannot be read. */
const PDFJS_FILE_ERRORS = new Set([
  'InvalidPDFException',
  'MissingPDFException',
  'UnexpectedResponseException',
  'UnknownErrorException',
  'FormatError',
  'AbortException',
  'ResponseException',
]);

/** Extracts the layout text of a PDF. Throws PdfError for corrupt, encrypted or oversized files. */
export async function pdfText(bytes: Uint8Array, limits: PdfLimits = DEFAULT_PDF_LIMITS, onPage?: () => void): Promise<PdfText> {
  if (bytes.length > limits.maxBytes) throw new PdfError({ en: `${bytes.length} bytes is over the ${limits.maxBytes}-byte PDF limit`, zh: 'PDF 文件过大' });
  // Outside the try: pdfjs failing to load (a missing package, no DOMMatrix, no worker) is the machine's
  // fault, not the file's — it must surface as an internal error, never as "damaged PDF".
  const { getDocument } = await loadPdfjs();
  let doc: PDFDocumentProxy;
  try {
    // A copy: pdfjs transfers (detaches) the buffer it is given.
    doc = await getDocument({
      data: new Uint8Array(bytes),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      stopAtErrors: false,
      verbosity: 0,
    }).promise;
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'PasswordException') throw new PdfError({ en: 'the PDF is encrypted (password required)', zh: 'PDF 已加密' });
    // pdfjs reports a file's faults as its own exception classes (errors inside its worker arrive wrapped as
    // UnknownErrorException); anything else — "Setting up fake worker failed", a ReferenceError — is ours.
    if (!PDFJS_FILE_ERRORS.has(name)) throw e;
    throw new PdfError({ en: `not a readable PDF (${(e as Error).message})`, zh: '无法读取的 PDF' });
  }
  try {
    if (doc.numPages > limits.maxPages) throw new PdfError({ en: `${doc.numPages} pages is over the ${limits.maxPages}-page limit`, zh: '页数过多' });
    const pages: Run[][][] = [];
    let count = 0;
    for (let n = 1; n <= doc.numPages; n++) {
      onPage?.(); // the document's time budget (limits.ts): a throw here ends the reading
      const items = await pageItems(doc, n);
      count += items.length;
      if (count > limits.maxItems) throw new PdfError({ en: `more than ${limits.maxItems} text items`, zh: '文本对象过多' });
      pages.push(lines(items).map(toRuns));
    }
    // Page furniture first (page numbers, running titles, a printer's URL and date): between the header of a table at
    // the foot of one page and its figures at the top of the next it would be read as figures.
    const raw = pages.map((p) => p.map(runsText));
    const running = runningLines(raw);
    const kept = pages.map((p, n) => p.filter((_, i) => !isPageFurniture(raw[n]![i]!, i, p.length) && !running.has(furnitureKey(raw[n]![i]!))));
    // Blank cells print nothing: place the numbers of tables 三/四 under their header columns.
    const text = placeColumns(kept.flat(), runsText).join('\n');
    const characters = text.replace(/\s/g, '').length;
    return { text, pages: doc.numPages, characters, imageOnly: characters < 20 * doc.numPages };
  } catch (e) {
    if (e instanceof PdfError || !PDFJS_FILE_ERRORS.has((e as Error).name)) throw e;
    throw new PdfError({ en: `the PDF is damaged (${(e as Error).message})`, zh: 'PDF 已损坏' });
  } finally {
    await doc.destroy();
  }
}

/** A line with its digits folded (a running footer differs from page to page only by its page number). */
const furnitureKey = (line: string) => line.replace(/\d+/g, '#').replace(/\s+/g, '');

/** A line of figures (three numbers or more): never furniture, even when the same row starts two pages. */
const FIGURES = /(?:^|\s)[\d/—-]+(?:\s+[\d/—-]+){2,}(?:\s|$)/;

/**
 * Header/footer lines: the same text (up to its numbers) among the first or last two lines of at least two pages
 * and of most pages — a running title, "XX市人民政府办公室", a printer's "file:///…  3/5". Lines of figures are not.
 */
function runningLines(pages: string[][]): Set<string> {
  if (pages.length < 2) return new Set();
  const counts = new Map<string, number>();
  for (const p of pages) {
    const edges = [...p.slice(0, 2), ...p.slice(-2)].filter((l) => !FIGURES.test(l) && /[\p{L}]{4}/u.test(l.replace(/\s+/g, '')));
    for (const key of new Set(edges.map(furnitureKey))) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => n >= Math.max(2, Math.ceil(pages.length * 0.6))).map(([k]) => k));
}
