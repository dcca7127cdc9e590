import { norm } from './normalize.ts';

/** A figure of a table: `null` means blank, "/", "—", "无" or unreadable, and is never silently 0. */
export type Cell = number | null;

/** How a cell's source text was read. */
export interface CellReading {
  value: Cell;
  /** `blank`: an explicit empty/placeholder cell; `text`: words where a number belongs (unreadable). */
  kind: 'number' | 'blank' | 'text';
  /** A unit written in the cell ("251000元"). */
  unit?: string;
}

/** Placeholders real reports put in empty cells (docs/format.md §3, §7 T3-BLANK). */
const BLANK = /^(?:|[/\\]|—+|-+|无|空|\*+|…+|\.{2,}|null|N\/A)$/i;
const UNIT = /(万元|亿元|元|件|个|项|次|条|份)$/;
const PLAIN = /^\s*\d{1,15}\s*$/;

export interface CellOptions {
  /** Fractional values are expected (收费 in 万元); otherwise they are still read, and NEGATIVE flags them. */
  decimal?: boolean;
}

/**
 * Reads one cell: "1,234", "1 0 3" (digits split by spaces in PDF text), full-width digits, "24252.311082",
 * "-18" (2019 format 本年增/减), "251000元". Returns null for placeholders and for text that is not a number.
 */
export function readCell(raw: string): CellReading {
  if (PLAIN.test(raw)) return { value: Number(raw.trim()), kind: 'number' }; // most cells: just digits
  let s = norm(raw).trim();
  if (BLANK.test(s.replace(/\s+/g, ''))) return { value: null, kind: 'blank' };
  let unit: string | undefined;
  const u = UNIT.exec(s);
  if (u) {
    unit = u[1];
    s = s.slice(0, u.index).trim();
  }
  s = s
    .replace(/(\d)[,，](?=\d{3}(?:\D|$))/g, '$1')
    .replace(/(\d)\s+(?=\d)/g, '$1')
    .replace(/\s+/g, '');
  if (/^[+—-]?\d+(?:\.\d+)?$/.test(s)) {
    const value = Number(s.replace('—', '-').replace('+', ''));
    return unit ? { value, kind: 'number', unit } : { value, kind: 'number' };
  }
  return { value: null, kind: 'text' };
}
