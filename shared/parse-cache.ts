/**
 * Reports already read are not read again. A parse is a function of the bytes, of the options that reach the reader
 * (the name it reports, the Content-Type that decides the decoding, the year the caller knows) and of the parser
 * itself (PARSER_VERSION, bumped whenever parsed output changes, and nianbao's version): the same key gives the
 * same report. A daily crawl finds most pages and attachments byte for byte as the day before (the archive keeps
 * one blob for them), and every crawl also reads last year's report for the cross-year rules: without this, each
 * run read every document of every body-year in its window again — a PDF at ~50 pages/s.
 *
 * The rules are not part of what is kept: they run again on a kept report, so a new rule needs no new parser version.
 *
 * Only reports are kept. Input that cannot be read is read again next time: its reason may be the machine's (the
 * time or memory limit of a parse thread), not the document's, and is said again where it is (ATTACHMENT-BROKEN,
 * REPORT-UNREADABLE). A kept report that cannot be read back is a miss, never an error: the bytes are read again.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { checkReport, type ReportParser } from './check.ts';
import { PARSER_VERSION } from './report/format.ts';
import { validUtf8 } from './report/decode.ts';
import type { ParsedReport } from './report/model.ts';
import type { ParseOptions } from './report/parse.ts';
import { VERSION } from './version.ts';

/** Where read reports are kept, by `parseKey` (a home: store/sqlite-parsed.ts; the archive bucket: store/s3-parsed.ts). */
export interface ParsedCache {
  /**
   * The report kept under `key`, or null when none is. Throws when the store fails, and `DamagedKeptReportError`
   * when what is kept cannot be read back: cachedParser counts either and reads the document again.
   */
  get(key: string): Promise<ParsedReport | null>;
  /** Keeps `report` under `key` (as it is now: later changes to the object are not kept). */
  put(key: string, report: ParsedReport): Promise<void>;
}

/** A kept report that cannot be read back (gzip's CRC-32 or the JSON): read again from its document. */
export class DamagedKeptReportError extends Error {
  constructor(key: string, cause: unknown) {
    super(`the report kept under ${key} is damaged (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
    this.name = 'DamagedKeptReportError';
  }
}

/**
 * A report as every cache keeps it: gzip-compressed JSON (15–35 KB of JSON, 3–7 KB kept; level 1, ~0.1 ms a report).
 * Serialised at the call: a caller that changes the report afterwards does not change what is kept.
 */
export function keptBytes(report: ParsedReport): Buffer {
  return gzipSync(JSON.stringify(report), { level: 1 });
}

/**
 * The report `keptBytes` made, from what a cache gave back under `key`. Gzip's CRC-32 tells damaged bytes from good
 * ones: those throw `DamagedKeptReportError`. The JSON is decoded by ICU's converter (validUtf8: ~40 µs for a
 * 56 KB report, against ~320 µs by Buffer.toString).
 */
export function keptReport(key: string, bytes: Uint8Array): ParsedReport {
  try {
    return JSON.parse(validUtf8(gunzipSync(bytes))) as ParsedReport;
  } catch (e) {
    throw new DamagedKeptReportError(key, e);
  }
}

/**
 * Days a kept report is kept: S3's lifecycle rule on parsed/ (infra/constructs/archive.ts) and a home's prune
 * (store/sqlite-parsed.ts). A document still crawled after that is read once more and kept again.
 */
export const KEPT_REPORT_DAYS = 90;

/** The parser a key belongs to: keys of another parser or nianbao are never read, and can be pruned. */
export const PARSER_TAG = `parser-${PARSER_VERSION}+nianbao-${VERSION}`;

/**
 * The options that reach the reader and decide what it reads from the bytes: the name it reports, the Content-Type
 * that decides the decoding, the year. A reading is the same reading when these and the bytes are (the cache's key
 * here, and a page read ahead: pipeline/read-ahead.ts).
 */
export const readerInputs = (opts: ParseOptions) => [opts.name ?? null, opts.contentType ?? null, opts.year ?? null] as const;

/**
 * The key of a parse: the parser's tag, then the SHA-256 of the options that reach the reader and of the bytes.
 * Null when the caller set its own limits (a one-off read, not the pipeline's). `opts.sha256`, the bytes' own hash
 * as the archive keys them, spares hashing them again.
 */
export function parseKey(bytes: Uint8Array, opts: ParseOptions, tag = PARSER_TAG): string | null {
  if (opts.limits) return null;
  const bytesHash = opts.sha256 ?? createHash('sha256').update(bytes).digest('hex');
  const what = JSON.stringify([bytesHash, bytes.length, ...readerInputs(opts)]);
  return `${tag} ${createHash('sha256').update(what).digest('hex')}`;
}

/** What a cached parser saw: reports taken from the cache, documents read, and the cache's own failures. */
export interface ParseCounts {
  kept: number;
  read: number;
  /**
   * The cache failed (`lastError`: S3 or the disk failing, or a kept report damaged), to keep a report or to give
   * one back: never the document's problem, and never an error of the crawl — each costs one reading.
   */
  cacheErrors: number;
  lastError?: string;
}

/** A parser that keeps what it reads; `settle` waits for the reports still being kept (before the store closes). */
export type CachedParser = ReportParser & { counts: ParseCounts; settle(): Promise<void> };

/** `parser`, with the reports it reads kept in `cache` and taken from there when the same document comes again. */
export function cachedParser(parser: ReportParser, cache: ParsedCache, counts: ParseCounts = { kept: 0, read: 0, cacheErrors: 0 }): CachedParser {
  const keeping = new Map<string, Promise<void>>();
  const failed = (e: unknown) => {
    counts.cacheErrors++;
    counts.lastError ??= e instanceof Error ? e.message : String(e);
  };
  return {
    counts,
    async parse(bytes, opts = {}) {
      const key = parseKey(bytes, opts);
      if (key === null) return parser.parse(bytes, opts);
      await keeping.get(key); // the same document again, its report still being kept: read once it is
      const kept = await cache.get(key).catch((e: unknown) => {
        failed(e);
        return null;
      });
      if (kept) {
        counts.kept++;
        // The reading is kept, the checking is done again (~0.15 ms): a rule added or changed applies to every
        // kept report at once, with no new PARSER_VERSION (rules read only the model: shared/check.ts).
        return checkReport(kept);
      }
      counts.read++;
      // Unreadable input throws here: not kept (see above).
      const report = await parser.parse(bytes, opts);
      // Not waited for: the caller's own writes of this report (its rows) then share a commit with it. A failure
      // costs a reading next time, and is counted, never thrown into the pipeline as the document's problem.
      const put: Promise<void> = cache
        .put(key, report)
        .catch(failed)
        .finally(() => keeping.delete(key));
      keeping.set(key, put);
      return report;
    },
    settle: async () => void (await Promise.all(keeping.values())),
  };
}
