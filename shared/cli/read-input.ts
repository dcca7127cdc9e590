/** Reading a command's input file ("-" = standard input) with errors that name the file. */
import { readFileSync, readSync, statSync } from 'node:fs';
import { DEFAULT_LIMITS } from '../report/limits.ts';
import { CliError } from './exit.ts';

/** Largest report file read, from a file or standard input (the parser's input limit, limits.ts). */
export const MAX_INPUT_BYTES = DEFAULT_LIMITS.bytes;

/** Standard input up to the limit: a larger input is refused as soon as it passes the limit, not after reading it all. */
function readStdin(limit: number): Uint8Array {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.alloc(1024 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, chunk, 0, chunk.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue; // a non-blocking pipe with nothing yet
      if (code === 'EOF') break;
      throw new CliError(`-: cannot read standard input (${code}) / 无法读取标准输入`);
    }
    if (n === 0) break;
    total += n;
    if (total > limit) throw new CliError(`-: standard input is over the ${limit}-byte limit / 输入过大`);
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

export function readInput(file: string, limit = MAX_INPUT_BYTES): Uint8Array {
  if (file === '-') return readStdin(limit);
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new CliError(`${file}: is a directory, not a report file / 是目录而不是文件`);
    size = st.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`${file}: ${code === 'ENOENT' ? 'no such file / 文件不存在' : `cannot read (${code}) / 无法读取`}`);
  }
  if (size > limit) throw new CliError(`${file}: ${size} bytes is over the ${limit}-byte limit / 文件过大`);
  return readFileSync(file);
}
