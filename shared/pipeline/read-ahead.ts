/**
 * Reading ahead: a body's report pages handed to the parser as soon as they are archived, all at once, instead of one
 * year at a time as its years are assessed. Where reports are read in parse threads (`nianbao run`: ParsePool), the
 * threads then always have a document queued while the main thread assesses and stores the previous year — before,
 * each of the crawl's bodies waited for one document at a time, and the parse threads and the main thread took
 * turns more than they worked side by side (docs/limits.md, issue 14).
 *
 * The years are still assessed one after the other, in order (a year's cross-year rules read the year before it):
 * only the reading starts early. A document read ahead is handed out once, to the first caller that asks for it with
 * the same bytes (sha256), name, Content-Type and year; any other call reads as before. A call with its own `limits`
 * (a one-off read, as parse-cache.ts's `parseKey` treats it) is never read ahead nor handed a reading made under the
 * defaults: a reading is only good for the limits it was made under.
 */
import type { ReportParser } from '../check.ts';
import { readerInputs } from '../parse-cache.ts';
import type { ParsedReport } from '../report/model.ts';
import type { ParseOptions } from '../report/parse.ts';

/** A parser that hands out documents read ahead (`ahead`) before reading anything itself. */
export interface ReadAhead extends ReportParser {
  /** Starts reading `bytes` now; the next `parse` with the same options takes the result. */
  ahead(bytes: Uint8Array, opts: ParseOptions & { sha256: string }): void;
}

const keyOf = (o: ParseOptions & { sha256: string }) => JSON.stringify([o.sha256, ...readerInputs(o)]);

/** Wraps `parser` (the crawl's own: a pool, a cache) for one body's crawl. */
export function readAhead(parser: ReportParser): ReadAhead {
  const started = new Map<string, Promise<ParsedReport>>();
  return {
    ahead(bytes, opts) {
      if (opts.limits) return;
      const key = keyOf(opts);
      if (started.has(key)) return;
      const reading = parser.parse(bytes, opts);
      // A document read ahead that nobody asks for (its year's crawl stopped early) must not fail the process as an
      // unhandled rejection: whoever takes it sees the failure as it is.
      reading.catch(() => {});
      started.set(key, reading);
    },
    parse(bytes, opts = {}) {
      if (opts.sha256 === undefined || opts.limits) return parser.parse(bytes, opts);
      const key = keyOf({ ...opts, sha256: opts.sha256 });
      const reading = started.get(key);
      if (!reading) return parser.parse(bytes, opts);
      started.delete(key);
      return reading;
    },
  };
}
