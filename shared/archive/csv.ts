/** CSV cells (RFC 4180 quoting), for every table nianbao writes: the command line's, the dashboard's downloads. */

/** One CSV cell: empty for null, quoted when it holds a quote, a comma or a line break (RFC 4180 §2.6). */
export const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** A CSV file's first line: a byte-order mark (spreadsheets then read the Chinese as UTF-8) and the header. */
export const csvHead = (header: readonly string[]): string => `\ufeff${header.join(',')}\n`;
