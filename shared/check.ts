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

/** Reads an HTML or text report from its bytes and checks it (synchronous). */
export function parseReportBytes(bytes: Uint8Array, opts: ParseOptions = {}): ParsedReport {
  return checkReport(readReportBytes(bytes, opts));
}

/** Reads an already decoded report (markup or text) and checks it. */
export function parseReportText(input: string, opts: Parameters<typeof readReportText>[1] = {}): ParsedReport {
  return checkReport(readReportText(input, opts));
}
