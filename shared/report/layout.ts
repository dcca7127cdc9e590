/**
 * Positioned text → the layout text the flattened-text parser reads, for the fixed-layout formats (PDF: pdf.ts, OFD:
 * ofd.ts). Their reading order is not trusted: items are placed by their coordinates, a line is the items at one
 * height, and inside a line a gap wider than a character separates cells ("3001   53   0") while items that touch
 * are one word or number ("1" "1" → "11"). Labels broken over lines stay as they are (the parser joins them). Page
 * numbers ("- 4 -") and running headers/footers repeated on most pages are dropped; the numbers of tables 三/四 are
 * placed under their header columns (pdf-columns.ts).
 */
import { placeColumns, type Run } from './pdf-columns.ts';

/** One piece of text where a page prints it: `y` grows upwards (PDF user space), `size` is its font size. */
export interface TextItem {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

export interface LayoutText {
  /** Layout text: one line per text line, cells separated by three spaces. */
  text: string;
  pages: number;
  /** Non-space characters in the text layer. */
  characters: number;
  /** True when the pages carry (almost) no text: a scan. */
  imageOnly: boolean;
}

/** Groups items into lines (same height within half a font size), top to bottom, left to right. */
function lines(items: TextItem[]): TextItem[][] {
  const sorted = [...items].sort((p, q) => q.y - p.y || p.x - q.x);
  const out: TextItem[][] = [];
  for (const it of sorted) {
    const line = out.at(-1);
    if (line && Math.abs(line[0]!.y - it.y) <= Math.min(line[0]!.size, it.size) * 0.5) line.push(it);
    else out.push([it]);
  }
  return out.map((l) => l.sort((p, q) => p.x - q.x));
}

/** Merges touching items of a line into runs (one word or number: "1" "1" → "11"). */
function toRuns(line: TextItem[]): Run[] {
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

/** The layout text of a document's pages, each a list of its text items. */
export function layoutText(pages: TextItem[][]): LayoutText {
  const lined = pages.map((items) => lines(items).map(toRuns));
  // Page furniture first (page numbers, running titles, a printer's URL and date): between the header of a table at
  // the foot of one page and its figures at the top of the next it would be read as figures.
  const raw = lined.map((p) => p.map(runsText));
  const running = runningLines(raw);
  const kept = lined.map((p, n) => p.filter((_, i) => !isPageFurniture(raw[n]![i]!, i, p.length) && !running.has(furnitureKey(raw[n]![i]!))));
  // Blank cells print nothing: place the numbers of tables 三/四 under their header columns.
  const text = placeColumns(kept.flat(), runsText).join('\n');
  const characters = text.replace(/\s/g, '').length;
  return { text, pages: pages.length, characters, imageOnly: characters < 20 * pages.length };
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
