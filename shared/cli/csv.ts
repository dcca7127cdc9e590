/** Writing tables out: CSV cells (RFC 4180 quoting) and whole buffers to a file descriptor. */
import { writeSync } from 'node:fs';

/** One CSV cell: empty for null, quoted when it holds a quote, a comma or a line break (RFC 4180 §2.6). */
export const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Writes all of `text` to the file descriptor (writeSync may write part of it). */
export function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
}
