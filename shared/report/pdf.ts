/**
 * PDF → positioned text items (pdfjs-dist 5.6.205, legacy build: runs on Node 20 and 22) → layout text (layout.ts:
 * the text layer's reading order is not trusted, items are placed by their coordinates).
 */
import { type Bilingual, GiveUpError } from '../errors.ts';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { norm } from './normalize.ts';
import { type LayoutText, layoutText, type TextItem } from './layout.ts';

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

/** Items of one page, with their position (PDF user space: y grows upwards). */
async function pageItems(doc: PDFDocumentProxy, n: number): Promise<TextItem[]> {
  const page = await doc.getPage(n);
  const content = await page.getTextContent();
  const items: TextItem[] = [];
  for (const it of content.items) {
    if (!('str' in it) || it.str.trim() === '') continue;
    const [a, b, , d, x, y] = it.transform as number[];
    items.push({ str: norm(it.str), x: x!, y: y!, width: it.width, size: Math.max(Math.hypot(a!, b!), Math.abs(d!), 1) });
  }
  page.cleanup();
  return items;
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
export async function pdfText(bytes: Uint8Array, limits: PdfLimits = DEFAULT_PDF_LIMITS, onPage?: () => void): Promise<LayoutText> {
  return layoutText(await pdfItems(bytes, limits, onPage));
}

/** The text items of each page of a PDF, where the page prints them. Throws PdfError as pdfText does. */
export async function pdfItems(bytes: Uint8Array, limits: PdfLimits = DEFAULT_PDF_LIMITS, onPage?: () => void): Promise<TextItem[][]> {
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
    const pages: TextItem[][] = [];
    let count = 0;
    for (let n = 1; n <= doc.numPages; n++) {
      onPage?.(); // the document's time budget (limits.ts): a throw here ends the reading
      const items = await pageItems(doc, n);
      count += items.length;
      if (count > limits.maxItems) throw new PdfError({ en: `more than ${limits.maxItems} text items`, zh: '文本对象过多' });
      pages.push(items);
    }
    return pages;
  } catch (e) {
    if (e instanceof PdfError || !PDFJS_FILE_ERRORS.has((e as Error).name)) throw e;
    throw new PdfError({ en: `the PDF is damaged (${(e as Error).message})`, zh: 'PDF 已损坏' });
  } finally {
    await doc.destroy();
  }
}
