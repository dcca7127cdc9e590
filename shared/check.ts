/**
 * Reading a report and checking it, composed: the readers (shared/report/) return the model with what they could
 * and could not read; the rules (shared/rules/) check the model. Neither depends on the other's internals — the
 * report package no longer runs the rules — and this module is what callers use for both.
 */
import type { ParsedReport } from './report/model.ts';
import { readReport, readReportBytes, readReportText, type ParseOptions } from './report/parse.ts';
import { runRules } from './rules/index.ts';

/** The findings of every single-report rule (docs/format.md §7, §9), set on the report. */
export function checkReport(report: ParsedReport): ParsedReport {
  report.findings = runRules(report);
  return report;
}

/** Reads one report file of any supported kind and checks it. Throws UnreadableInputError for input it cannot read. */
export async function parseReport(bytes: Uint8Array, opts: ParseOptions = {}): Promise<ParsedReport> {
  return checkReport(await readReport(bytes, opts));
}

/**
 * Where the pipeline reads and checks reports: a port, so the local runner can read them in worker threads
 * (parse-pool.ts) while its own thread fetches, archives and stores. Same answers either way: a report, or an
 * `UnreadableInputError` for input that cannot be read; anything else is a bug and propagates.
 */
export interface ReportParser {
  parse(bytes: Uint8Array, opts?: ParseOptions): Promise<ParsedReport>;
}

/** Reports read in the calling thread (Lambda, the CLI's one-off commands, tests). */
export const inThisThread: ReportParser = { parse: parseReport };

/** Reads an HTML or text report from its bytes and checks it (synchronous). */
export function parseReportBytes(bytes: Uint8Array, opts: ParseOptions = {}): ParsedReport {
  return checkReport(readReportBytes(bytes, opts));
}

/** Reads an already decoded report (markup or text) and checks it. */
export function parseReportText(input: string, opts: Parameters<typeof readReportText>[1] = {}): ParsedReport {
  return checkReport(readReportText(input, opts));
}
