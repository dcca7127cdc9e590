/** Writing tables out: CSV cells (archive/csv.ts) and whole buffers to a file descriptor. */
import { writeSync } from 'node:fs';

export { csvCell, csvHead } from '../archive/csv.ts';

/** Writes all of `text` to the file descriptor (writeSync may write part of it). */
export function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
}
