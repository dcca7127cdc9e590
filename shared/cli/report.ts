/**
 * `nianbao report BODY_ID YEAR` — what the store knows of one report: status, sources, the tables (the current source
 * read again with this parser), findings, changes after publication, captures.
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { allPages } from '../archive/export.ts';
import { currentOfListing } from '../archive/report-rows.ts';
import { inThisThread } from '../check.ts';
import { cachedParser } from '../parse-cache.ts';
import type { Finding } from '../report/model.ts';
import { CRAWL_RULE_IDS } from '../rules/index.ts';
import type { LocalStore } from '../store/local.ts';
import type { BodyYearState, CaptureRecord, StoredReport } from '../store/ports.ts';
import { stateOrDamaged } from '../store/records.ts';
import { captureSummary } from './captures.ts';
import { DamagedRecords } from './damaged.ts';
import { globalOptions, printJson } from './context.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';
import { reportYear } from './options.ts';
import { renderReport } from './render-report.ts';
import { withStore } from './store.ts';

/**
 * The current source read again: its tables; if it cannot be read again, the stored findings and why. It is read as
 * the crawl read it — under its URL, its capture's Content-Type (which may be what names a page's charset) and the
 * year — so the report the crawl kept (parse-cache.ts) is taken instead of reading it again when this parser kept one.
 * The home is open read-only here: a report read now is not kept.
 */
async function tablesOf(s: LocalStore, current: StoredReport | undefined, year: number, captures: CaptureRecord[]): Promise<string[]> {
  if (!current) return [];
  const bytes = await s.archive.get(current.sha256);
  if (bytes) {
    const capture = captures.find((c) => c.id === current.captureId) ?? captures.find((c) => c.sha256 === current.sha256 && c.url === current.url);
    const parser = cachedParser(inThisThread, { get: (key) => s.parsed.get(key), put: async () => {} });
    try {
      const report = await parser.parse(bytes, { name: current.url, contentType: capture?.contentType ?? undefined, year, sha256: current.sha256 });
      // The crawl's own rules (against last year's report, and those that need the publisher): their findings as stored.
      report.findings.push(...(current.findings as Finding[]).filter((f) => CRAWL_RULE_IDS.has(f.rule)));
      return ['', renderReport(report, current.url)];
    } catch (e) {
      const out = [pc.red(`could not read ${current.sha256.slice(0, 16)} again: ${(e as Error).message} / 无法重新读取 — the findings stored:`)];
      return out.concat((current.findings as { rule: string; message: string }[]).map((f) => `  ${f.rule}: ${f.message}`));
    }
  }
  return [pc.red(`the archive does not hold ${current.sha256} (nianbao verify) — the findings stored:`)].concat(
    (current.findings as { rule: string; message: string }[]).map((f) => `  ${f.rule}: ${f.message}`),
  );
}

/** The report's changes after publication as `nianbao report` prints them: old → new, and where it moved from. */
export function changesOf(s: BodyYearState | null): string[] {
  const out: string[] = [];
  for (const c of s?.changes ?? []) {
    out.push(pc.yellow(`changed ${c.at.slice(0, 10)} (${c.fromSha256.slice(0, 12)} → ${c.toSha256.slice(0, 12)}) / 发布后被修改`));
    if (c.movedFrom) out.push(`  moved from / 原地址 ${c.movedFrom} → ${c.url}`);
    if (c.published) out.push(`  发布时间 published: ${c.published.old ?? '·'} → ${c.published.new ?? '·'}`);
    for (const f of c.figures) out.push(`  ${f.cell}: ${f.old ?? '·'} → ${f.new ?? '·'}`);
    for (const a of c.added.slice(0, 5)) out.push(pc.green(`  + ${a}`));
    for (const r of c.removed.slice(0, 5)) out.push(pc.red(`  − ${r}`));
  }
  return out;
}

async function printReportText(
  s: LocalStore,
  v: {
    body: string;
    year: number;
    state: BodyYearState | null;
    sources: StoredReport[];
    current: StoredReport | undefined;
    /** The state's current source is one of the damaged records: no other source is shown in its place. */
    currentLost: boolean;
    captures: CaptureRecord[];
    stateDamaged: boolean;
  },
): Promise<void> {
  const { current } = v;
  const st = v.state;
  const status = st?.removedAt
    ? `removed ${st.removedAt.slice(0, 10)} / 已撤下`
    : (st?.status ?? (v.stateDamaged ? pc.red('unknown: its stored record is damaged (below) / 记录已损坏') : '?'));
  const out = [
    `${pc.bold(`${current?.title ?? v.body} (${v.year})`)}  status: ${status}${st?.pageDate ? `  发布 ${st.pageDate}` : ''}${st?.firstSeenAt ? `  first seen ${st.firstSeenAt.slice(0, 10)}` : ''}`,
    ...v.sources.map((src) => `source ${src.sha256.slice(0, 16)}  ${src.url}  parsed ${src.parsedAt}  parser ${src.parserVersion}`),
    ...(v.currentLost && (st?.mainSha256 ?? st?.reportSha256)
      ? [
          pc.red(
            `the current source ${(st.mainSha256 ?? st.reportSha256)!.slice(0, 16)} could not be read (below): its tables are not shown / 当前版本记录已损坏`,
          ),
        ]
      : await tablesOf(s, current, v.year, v.captures)),
    ...changesOf(st),
    `${v.captures.length} captures (nianbao captures ${v.body} --year ${v.year})`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

export function registerReport(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('report')
    .description("a body's report for a year: figures, findings, sources, captures / 查看某单位某年报告")
    .argument('<body>', 'body id')
    .argument('<year>', 'report year', reportYear)
    .action(async (body: string, year: number, _: unknown, cmd: Command) => {
      const { json, home } = globalOptions(cmd);
      await withStore(
        home,
        async (s) => {
          // A damaged record (a source, the state, a row, a capture) is left out and named, never the end of the
          // command: what else is stored of the report is shown, and the exit is 1 (damaged.ts).
          const damaged = new DamagedRecords();
          const sources = await s.store.reports(body, year, damaged);
          const sourcesDamaged = damaged.errors.length;
          const state = await stateOrDamaged(s.state, body, year, damaged);
          const stateDamaged = damaged.errors.length > sourcesDamaged;
          if (!state && sources.length === 0 && damaged.errors.length === 0)
            throw new CliError(`${body} ${year}: nothing stored / 没有记录`, EXIT.nothingFound);
          // The state names the current source; when that one is damaged, another source is not shown in its place.
          const { current, lost: currentLost } = currentOfListing(sources, state, sourcesDamaged > 0);
          const captures = await allPages((cursor) => s.store.byBody(body, year, { cursor, onDamaged: damaged.onDamaged }));
          if (json) {
            const rows = current ? await s.store.rows(body, year, current.sha256, damaged) : [];
            printJson({
              body,
              year,
              status: state?.status ?? null,
              state,
              sources,
              current: current?.sha256 ?? null,
              rows,
              captures: captures.map(captureSummary),
              damaged: damaged.messages,
            });
          } else await printReportText(s, { body, year, state, sources, current, currentLost, captures, stateDamaged });
          run(damaged.report() ? EXIT.failed : EXIT.ok);
        },
        { readonly: true },
      );
    });
}
