/** Reading a command's input file ("-" = standard input) with errors that name the file. */
import { readFileSync, statSync } from 'node:fs';
import { CliError } from './exit.ts';

/** Largest report file read (a 100 KB page is typical; scans and bombs are refused). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export function readInput(file: string): Uint8Array {
  if (file === '-') return readFileSync(0);
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
  if (size > MAX_INPUT_BYTES) throw new CliError(`${file}: ${size} bytes is over the ${MAX_INPUT_BYTES}-byte limit / 文件过大`);
  return readFileSync(file);
}
