/**
 * Stage: what the sources of a report say about it — its error findings (docs/format.md rules), page and attachment
 * disagreeing (SOURCE-MISMATCH), the cross-year rules against last year's report, and two different reports
 * published for one year (DUPLICATE-REPORT).
 */
import { catalogue } from '../alerts/catalogue.ts';
import { findingCandidates, type AlertCandidate } from '../alerts/decide.ts';
import type { ReportParser } from '../check.ts';
import type { ParsedReport } from '../report/model.ts';
import { runBodyRules, runCrossYearRules } from '../rules/index.ts';
import type { Level } from '../crawl/registry.ts';
import { currentSource } from '../archive/report-rows.ts';
import { isCorrection, reportName } from '../crawl/versions.ts';
import type { ArchiveStore, ReportStore, StateStore } from '../store/ports.ts';
import { readBytes, type Source } from './sources.ts';

type Figures = Map<string, number>;

/** The non-blank figures of tables 三 and 四. */
export function figuresOf(p: ParsedReport): Figures {
  const out: Figures = new Map();
  for (const [row, values] of Object.entries(p.table3?.rows ?? {}))
    values?.forEach((v, i) => v !== null && out.set(`table3.${row}.${p.table3!.columns[i]}`, v));
  for (const [k, v] of Object.entries(p.table4 ?? {})) if (v !== null) out.set(`table4.${k}`, v as number);
  return out;
}

/** Figures both sources state and state differently (a figure one of them could not read is no disagreement). */
export function disagreements(a: ParsedReport, b: ParsedReport): { cell: string; old: number; new: number }[] {
  const fa = figuresOf(a);
  const out: { cell: string; old: number; new: number }[] = [];
  for (const [cell, v] of figuresOf(b)) {
    const old = fa.get(cell);
    if (old !== undefined && old !== v) out.push({ cell, old, new: v });
  }
  return out;
}

/**
 * Findings of the main source, page–attachment disagreements, the cross-year rules and the rules that need the
 * publisher (its level: rules/body.ts), as alert candidates. The crawl's own findings are added to the main source's.
 */
export async function reportCandidates(
  body: { id: string; name: string; level?: Level | undefined },
  year: number,
  main: Source,
  sources: Source[],
  deps: { archive: ArchiveStore; reports: ReportStore; state: Pick<StateStore, 'getState'>; parser?: ReportParser | undefined },
  /** Reports already read in this crawl, by sha256 (last year's is usually among them). */
  known?: Map<string, ParsedReport>,
): Promise<AlertCandidate[]> {
  const candidates: AlertCandidate[] = [];
  for (const other of sources.filter((s) => s !== main && (s.parsed.table3 || s.parsed.table4))) {
    const figures = disagreements(other.parsed, main.parsed);
    if (figures.length) candidates.push(catalogue.sourceMismatch(body, year, other.capture.sha256!, { figures, url: other.url }));
  }
  const previous = await lastYearsReport(body.id, year, deps, known);
  if (previous) main.parsed.findings.push(...runCrossYearRules(main.parsed, previous));
  if (body.level) main.parsed.findings.push(...runBodyRules(main.parsed, { level: body.level }));
  const source = { sha256: main.capture.sha256!, time: main.capture.time, url: main.url };
  candidates.push(...findingCandidates(body, year, main.parsed, source));
  if (main.parsed.unread.length) candidates.push(catalogue.unread(body, year, main.parsed.unread, source));
  return candidates;
}

/**
 * Last year's report as stored — the source that stands for it (`currentSource`: the page its state names, not
 * whichever of a page and its attachment, parsed at the same moment, sorts last) — read again with the current parser.
 */
async function lastYearsReport(
  bodyId: string,
  year: number,
  deps: { archive: ArchiveStore; reports: ReportStore; state: Pick<StateStore, 'getState'>; parser?: ReportParser | undefined },
  known?: Map<string, ParsedReport>,
): Promise<ParsedReport | null> {
  const [sources, state] = await Promise.all([deps.reports.reports(bodyId, year - 1), deps.state.getState(bodyId, year - 1)]);
  const last = currentSource(sources, state);
  // Read in this crawl already (a crawl of several years assesses last year first): not parsed twice.
  const read = last ? known?.get(last.sha256) : undefined;
  if (read) return read;
  const bytes = last ? await deps.archive.get(last.sha256) : null;
  return bytes ? (await readBytes(bytes, last!.url, null, year - 1, deps.parser, last!.sha256)).parsed : null;
}

/**
 * Two or more items of the column for one year whose figures disagree. A page and its PDF (same figures), or a
 * copy that could not be read, are one report, not a duplicate. The first item is the one read for the year: when it
 * is a corrected edition and the others it disagrees with are its originals (same name), the alert says so.
 */
export function duplicateCandidates(
  body: { name: string },
  year: number,
  items: { url: string; title?: string; parsed: ParsedReport | null }[],
): AlertCandidate[] {
  type Read = { url: string; title?: string; parsed: ParsedReport };
  const read = items.filter((i): i is Read => !!i.parsed && (i.parsed.table3 !== null || i.parsed.table4 !== null));
  const differing = new Set<Read>();
  for (let i = 0; i < read.length; i++) {
    for (let j = i + 1; j < read.length; j++) {
      if (disagreements(read[i]!.parsed, read[j]!.parsed).length) differing.add(read[i]!).add(read[j]!);
    }
  }
  if (differing.size < 2) return [];
  const chosen = items[0];
  const name = chosen?.title !== undefined && isCorrection(chosen.title) ? reportName(chosen.title) : null;
  const corrected = name !== null && [...differing].every((d) => d.url === chosen!.url || (d.title !== undefined && reportName(d.title) === name));
  return [
    catalogue.duplicate(
      body,
      year,
      [...differing].map((d) => d.url),
      { corrected },
    ),
  ];
}
