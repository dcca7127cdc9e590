/** Writing tables out: CSV cells (archive/csv.ts) and whole buffers to a file descriptor. */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

export { csvCell, csvHead } from '../archive/csv.ts';

/** Writes all of `text` to the file descriptor (writeSync may write part of it). */
export function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
}

/**
 * A file written under a name of its own (`FILE.part`) and given its name only when complete (`done`): a listing cut
 * short (the API unreachable on page 30, the store failing) leaves no file that looks like the whole year — `abort`
 * removes what was written.
 */
export class OutputFile {
  readonly fd: number;
  private readonly partial: string;

  constructor(readonly path: string) {
    this.partial = `${path}.part`;
    this.fd = openSync(this.partial, 'w');
  }

  write(text: string): void {
    writeAll(this.fd, text);
  }

  done(): void {
    closeSync(this.fd);
    renameSync(this.partial, this.path);
  }

  abort(): void {
    closeSync(this.fd);
    rmSync(this.partial, { force: true });
  }
}
