/**
 * Numbers of a flattened table segment (the text between one row label and the next). Handles the
 * layouts of docs/format.md §11: one cell per line, pipe rows (empty pipe cells are blanks), tab-separated Word
 * cells (cells of spaces are blanks), PDF text where cells
 * are separated by runs of spaces and a single space splits a number ("1   0   1 1" = 1, 0, 11), and runs
 * with no separator at all (left to split.ts).
 */
import { readCell } from './cells.ts';
import { norm } from './normalize.ts';
import type { Piece } from './split.ts';

export interface Token {
  piece: Piece;
  /** The text the token was read from. */
  text: string;
  /** A unit written after the number ("251000元"). */
  unit?: string;
}

const SEPARATOR_LINE = /^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$/gm;

function toToken(text: string): Token | null {
  const cell = readCell(text);
  if (cell.kind === 'blank') return { piece: { atom: null }, text };
  if (cell.kind !== 'number' || cell.value === null) return null;
  const unit = cell.unit && !/^[件个项次条份]$/.test(cell.unit) ? { unit: cell.unit } : {};
  const digits = text.replace(/\s+/g, '');
  // Only a plain digit string may later be cut; decimals, signed values and amounts with a unit are atomic.
  return /^\d+$/.test(digits) ? { piece: { digits }, text } : { piece: { atom: cell.value }, text, ...unit };
}

function pipeTokens(s: string): Token[] {
  const tokens: Token[] = [];
  for (const line of s.split('\n')) {
    if (!line.includes('|')) {
      tokens.push(...plainTokens(line));
      continue;
    }
    const parts = line.split('|');
    parts.forEach((part, i) => {
      const edge = i === 0 || i === parts.length - 1;
      if (edge && part.trim() === '') return; // outside the first/last pipe
      if (/[\u4e00-\u9fff]/.test(part) && readCell(part).kind === 'text') return; // a label cell
      const t = toToken(part);
      if (t) tokens.push(t);
    });
  }
  return tokens;
}

// A number not glued to a date or percentage; or a placeholder standing alone between separators.
const NUMBER_OR_BLANK =
  /(?:(?<=\d)-|(?<![\d.])-?)\d+(?:\.\d+)?(?:万元|亿元|元(?![\u4e00-\u9fff]))?(?![\d年月日号%])|(?<=^|[\s|])(?:\/|—+|-|无|空)(?=$|[\s|])/gm;

function plainTokens(s: string): Token[] {
  const tokens: Token[] = [];
  for (const m of s.matchAll(NUMBER_OR_BLANK)) {
    let text = m[0];
    if (text.startsWith('-') && text.length > 1) {
      // A minus sign starts a cell after a separator, and also right after another cell's digits: in the 2019
      // template's 本年增/减 column cells run together as "35-15" (35, then −15). Glued to a word ("第-3") it is a
      // hyphen, not a sign.
      const before = m.index === 0 ? ' ' : s[m.index - 1]!;
      if (!/[\s\d|]/.test(before)) text = text.slice(1);
    }
    const t = toToken(text);
    if (t) tokens.push(t);
  }
  return tokens;
}

/**
 * Word documents read as text (word-extractor) separate cells with tabs: a cell holding only spaces is a
 * blank cell; empty strings between tabs are row and cell boundaries, not cells.
 */
function tabTokens(s: string): Token[] {
  const tokens: Token[] = [];
  for (const part of s.split(/[\t\n]/)) {
    if (part === '') continue;
    if (/[\u4e00-\u9fff]/.test(part) && readCell(part).kind === 'text') continue; // a label cell
    const t = part.trim() === '' ? { piece: { atom: null }, text: part } : toToken(part);
    if (t) tokens.push(t);
  }
  return tokens;
}

/** The values of one segment, in reading order. */
export function segmentTokens(segment: string): Token[] {
  if (segment.includes('\t')) return tabTokens(norm(segment).replace(/(\d)[,，](?=\d{3}(?!\d))/g, '$1'));
  let s = norm(segment).replace(SEPARATOR_LINE, '\n');
  s = s.replace(/(\d)[,，](?=\d{3}(?!\d))/g, '$1'); // thousands separators
  // When cells are separated by runs of spaces or line breaks, a single space inside digits is a PDF
  // artefact ("35 1" = 351); with single spaces only, a space separates cells ("500000 5").
  if (/\d[ \t]{2,}\d/.test(s) || /\d[ \t]*\n\s*\d/.test(s)) s = s.replace(/(\d) (?=\d)/g, '$1');
  return s.includes('|') ? pipeTokens(s) : plainTokens(s);
}
