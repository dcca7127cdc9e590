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
import type { Finding, ParsedReport } from '../report/model.ts';
import { CRAWL_RULE_IDS } from '../rules/index.ts';
import type { LocalStore } from '../store/local.ts';
import type { BodyYearState, CaptureRecord, StoredReport, StoredRow } from '../store/ports.ts';
import { stateOrDamaged } from '../store/records.ts';
import { captureSummary } from './captures.ts';
import { DamagedRecords, reportDamaged } from './damaged.ts';
import { globalOptions, printJson } from './context.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';
import { httpUrl, reportYear } from './options.ts';
import type { RemoteApi } from './remote.ts';
import { renderReport } from './render-report.ts';
import { withStore } from './store.ts';

/** What `report` reads of one body-year, from a home or from the deployed API (`--api`). */
interface ReportRecord {
  sources: StoredReport[];
  /** Some of the body-year's sources were left out as damaged (the current one may be among them). */
  sourcesLeftOut: boolean;
  state: BodyYearState | null;
  stateDamaged: boolean;
  captures: CaptureRecord[];
  rows(sha256: string): Promise<StoredRow[]>;
}

/** Where the current source's bytes and a kept reading come from. */
interface ReportReader {
  /** The archived bytes of `sha256`, verified, or why they cannot be had. */
  bytes(sha256: string, capture: CaptureRecord | undefined): Promise<{ bytes: Uint8Array } | { missing: string }>;
  /** A reading the crawl kept (parse-cache.ts), by its key. */
  kept(key: string): Promise<ParsedReport | null>;
}

/** A home's record of the body-year; damaged records are handed to `damaged`. */
async function homeRecord(s: LocalStore, body: string, year: number, damaged: DamagedRecords): Promise<ReportRecord> {
  const sources = await s.store.reports(body, year, damaged);
  const sourcesDamaged = damaged.errors.length;
  const state = await stateOrDamaged(s.state, body, year, damaged);
  return {
    sources,
    sourcesLeftOut: sourcesDamaged > 0,
    state,
    stateDamaged: damaged.errors.length > sourcesDamaged,
    captures: await allPages((cursor) => s.store.byBody(body, year, { cursor, onDamaged: damaged.onDamaged })),
    rows: (sha256) => s.store.rows(body, year, sha256, damaged),
  };
}

const homeReader = (s: LocalStore): ReportReader => ({
  async bytes(sha256) {
    const bytes = await s.archive.get(sha256);
    return bytes ? { bytes } : { missing: `the archive does not hold ${sha256} (nianbao verify)` };
  },
  kept: (key) => s.parsed.get(key),
});

/** The deployment's record of the body-year (`GET /bodies/{id}/reports`, `GET /captures`); its damaged records named. */
async function apiRecord(api: RemoteApi, body: string, year: number, damaged: string[]): Promise<ReportRecord> {
  const answer = (await api.get(`bodies/${encodeURIComponent(body)}/reports`, { year: String(year) })) as unknown as {
    state: BodyYearState | null;
    reports: (StoredReport & { rows: (StoredRow & { unread?: string[] })[] })[];
    damaged: string[];
  };
  damaged.push(...answer.damaged);
  const rows = new Map(answer.reports.map((r) => [r.sha256, r.rows.map(({ unread: _, ...row }) => row)]));
  const captures: CaptureRecord[] = [];
  for await (const page of api.pages('captures', { body, year: String(year) })) {
    captures.push(...(page.items as CaptureRecord[]));
    damaged.push(...((page.damaged as string[] | undefined) ?? []));
  }
  return {
    sources: answer.reports.map(({ rows: _, ...source }) => source),
    // The API names what it left out, not which kind: any damaged record may be a source.
    sourcesLeftOut: answer.damaged.length > 0,
    state: answer.state,
    stateDamaged: answer.state === null && answer.damaged.some((m) => m.includes('state')),
    captures,
    rows: async (sha256) => rows.get(sha256) ?? [],
  };
}

const apiReader = (api: RemoteApi): ReportReader => ({
  // Through the capture that archived them (`GET /captures/{id}/download`), verified against their sha256.
  async bytes(sha256, capture) {
    if (!capture?.sha256) return { missing: `no capture of ${sha256.slice(0, 16)} to fetch its bytes by` };
    const got = await api.captureBytes(capture.id);
    if (!got.sha256) return { missing: `the capture ${capture.id} archived no bytes` };
    return got.actual === sha256 ? { bytes: got.bytes } : { missing: `the bytes received for ${sha256.slice(0, 16)} hash to ${got.actual.slice(0, 16)}` };
  },
  // The readings the crawl kept are in the deployment's bucket, not here: read again.
  kept: async () => null,
});

/**
 * The current source read again: its tables; if it cannot be read again, the stored findings and why. It is read as
 * the crawl read it — under its URL, its capture's Content-Type (which may be what names a page's charset) and the
 * year — so the report the crawl kept (parse-cache.ts) is taken instead of reading it again when this parser kept one.
 * The home is open read-only here: a report read now is not kept.
 */
async function tablesOf(s: ReportReader, current: StoredReport | undefined, year: number, captures: CaptureRecord[]): Promise<string[]> {
  if (!current) return [];
  const capture = captures.find((c) => c.id === current.captureId) ?? captures.find((c) => c.sha256 === current.sha256 && c.url === current.url);
  const got = await s.bytes(current.sha256, capture);
  if ('bytes' in got) {
    const bytes = got.bytes;
    const parser = cachedParser(inThisThread, { get: (key) => s.kept(key), put: async () => {} });
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
  return [pc.red(`${got.missing} — the findings stored:`)].concat(
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
  s: ReportReader,
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
    .option('--api <url>', 'the deployed archive API (signed with the default AWS credentials) instead of the home', httpUrl)
    .action(async (body: string, year: number, flags: { api?: string }, cmd: Command) => {
      const { json, home } = globalOptions(cmd);
      /** What is shown of the record, from either source; the exit said by `damagedSaid`. */
      const show = async (r: ReportRecord, reader: ReportReader, damagedMessages: () => string[], damagedSaid: () => boolean) => {
        if (!r.state && r.sources.length === 0 && damagedMessages().length === 0)
          throw new CliError(`${body} ${year}: nothing stored / 没有记录`, EXIT.nothingFound);
        // The state names the current source; when that one is damaged, another source is not shown in its place.
        const { current, lost: currentLost } = currentOfListing(r.sources, r.state, r.sourcesLeftOut);
        if (json) {
          const rows = current ? await r.rows(current.sha256) : [];
          printJson({
            body,
            year,
            status: r.state?.status ?? null,
            state: r.state,
            sources: r.sources,
            current: current?.sha256 ?? null,
            rows,
            captures: r.captures.map(captureSummary),
            damaged: damagedMessages(),
          });
        } else
          await printReportText(reader, {
            body,
            year,
            state: r.state,
            sources: r.sources,
            current,
            currentLost,
            captures: r.captures,
            stateDamaged: r.stateDamaged,
          });
        run(damagedSaid() ? EXIT.failed : EXIT.ok);
      };
      if (flags.api) {
        // Loaded only here: the AWS credential chain is not part of a command that reads a home.
        const { RemoteApi } = await import('./remote.ts');
        const api = new RemoteApi(flags.api);
        const damaged: string[] = [];
        await show(
          await apiRecord(api, body, year, damaged),
          apiReader(api),
          () => damaged,
          () => reportDamaged(damaged),
        );
        return;
      }
      await withStore(
        home,
        async (s) => {
          // A damaged record (a source, the state, a row, a capture) is left out and named, never the end of the
          // command: what else is stored of the report is shown, and the exit is 1 (damaged.ts).
          const damaged = new DamagedRecords();
          await show(
            await homeRecord(s, body, year, damaged),
            homeReader(s),
            () => damaged.messages,
            () => damaged.report(),
          );
        },
        { readonly: true },
      );
    });
}
