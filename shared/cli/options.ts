/**
 * Option values checked where they are read: commander calls these parsers, and a bad value is one line on stderr
 * naming the option, the value and what is expected (exit 2) — never a crawl of nothing, never a stack trace.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { LEVELS, type Level } from '../crawl/registry.ts';
import { shanghaiDate } from '../deadlines.ts';

/** A whole number from `min` to `max`. */
export function intIn(min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

/** A UTC time or its prefix in ISO 8601 (`2025`, `2025-06`, `2025-06-01T02:00`): captures are listed by their time's text. */
export function isoTime(value: string): string {
  if (!/^\d{4}(-\d\d(-\d\d(T\d\d(:\d\d(:\d\d(\.\d{1,3})?)?)?Z?)?)?)?$/.test(value.trim()))
    throw new InvalidArgumentError('expected a UTC time in ISO 8601 or its beginning (2025, 2025-06-01, 2025-06-01T02:00)');
  return value.trim().replace(/Z$/, '');
}

/** An http(s) URL (a proxy, a portal). */
export function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected an http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('expected an http:// or https:// URL');
  return value;
}

/** The first report year of the 条例 (2008) to the last one that can have been published (last year, in Shanghai). */
export function reportYear(value: string, now = Date.now()): number {
  const last = Number(shanghaiDate(now).slice(0, 4)) - 1;
  if (!/^\d{4}$/.test(value.trim())) throw new InvalidArgumentError(`expected a report year (2008–${last})`);
  const n = Number(value);
  if (n < 2008 || n > last) throw new InvalidArgumentError(`expected a report year from 2008 to ${last} (a year's report is published the year after)`);
  return n;
}

/** A comma-separated list of report years (`2024,2023`), each checked as `reportYear` checks one. */
export const reportYearList = (value: string): number[] => value.split(',').map((y) => reportYear(y));

/** Repeated `--year` values collected into a list. */
export const reportYears = (value: string, previous: number[] = []): number[] => [...previous, reportYear(value)];

/** One of `choices`. */
export function oneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected ${choices.join(' | ')}`);
    return value as T;
  };
}

/** A file that exists and is a file. */
export function existingFile(value: string): string {
  const path = resolve(value);
  if (!existsSync(path)) throw new InvalidArgumentError('no such file / 文件不存在');
  if (statSync(path).isDirectory()) throw new InvalidArgumentError('is a directory, not a file / 是目录');
  return path;
}

/** A file to write: its folder exists, and it is not a folder itself. */
export function outputFile(value: string): string {
  const path = resolve(value);
  if (existsSync(path) && statSync(path).isDirectory()) throw new InvalidArgumentError('is a directory: give a file name / 是目录');
  if (!existsSync(dirname(path))) throw new InvalidArgumentError(`the folder ${dirname(path)} does not exist / 目录不存在`);
  return path;
}

/** A publisher's level as the registry writes it (government, department, township, other). */
export function level(value: string): Level {
  const v = value.trim() as Level;
  if (!(LEVELS as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${LEVELS.join(', ')}`);
  return v;
}
