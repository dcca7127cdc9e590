/**
 * `nianbao export --year Y [--format csv|jsonl] [-o FILE]` — the figures of every body for a year: one line per
 * body × table row, with who (id, name, region, level), which report (URL, published date, source), the row's key
 * and its Chinese label, and the public keys (docs/format.md §11) as columns. CSV is UTF-8 with a BOM so spreadsheets
 * keep the Chinese intact; with --json and no -o, one JSON array.
 */
import { csvCell, csvHead, OutputFile } from './csv.ts';
import { loadRegistry, type Body } from '../crawl/registry.ts';
import { existingFile, httpUrl, oneOf, outputFile, reportYear } from './options.ts';
import type { RemoteApi } from './remote.ts';
import { reportDamaged } from './damaged.ts';
import type { FigureLine } from '../archive/figures.ts';
import type { Command } from 'commander';
import { EXPORT_COLUMNS, EXPORT_HEADER, figureCsvLine, figureRecord, ROW_LABELS, ROW_RANK } from '../archive/figures.ts';

export { EXPORT_COLUMNS, EXPORT_HEADER } from '../archive/figures.ts';
import type { StoredReport, StoredRow } from '../store/ports.ts';
import { stateOrDamaged } from '../store/records.ts';
import { unreadColumns } from '../archive/report-rows.ts';
import { sourceOf } from '../archive/year-sources.ts';
import { globalOptions, printJson } from './context.ts';
import { DamagedRecords } from './damaged.ts';
import { EXIT, type ExitCode } from './exit.ts';
import { homeRegistry, withStore } from './store.ts';

type ExportContext = {
  bodies: Map<string, Body>;
  reports: Map<string, StoredReport | undefined>;
  /**
   * Each body's 发布时间 as its column or page shows it (the state's `pageDate`): the date the deadline was judged by.
   * A document's own date (the one it is signed with) is only the fallback — an attachment dated in January but put
   * up in June must not read as published in January beside a `late` alert.
   */
  published?: Map<string, string | undefined>;
};

/** The report's publication date for the export (`report_published`). */
const publishedOf = (r: StoredRow, ctx: ExportContext, report: StoredReport | undefined) => ctx.published?.get(r.bodyId) ?? report?.published ?? null;

export function exportRecord(r: StoredRow, ctx: ExportContext) {
  const b = ctx.bodies.get(r.bodyId);
  const report = ctx.reports.get(`${r.bodyId}#${r.sha256}`);
  const record = {
    body: r.bodyId,
    name: b?.name ?? null,
    region: b?.region ?? null,
    level: b?.level ?? null,
    year: r.year,
    report_url: report?.url ?? null,
    report_published: publishedOf(r, ctx, report),
    source_sha256: r.sha256,
    row: r.row,
    row_label: ROW_LABELS.get(r.row) ?? null,
  } as Record<(typeof EXPORT_HEADER)[number], string | number | null | string[]>;
  // Assigned in a loop, not spread from Object.fromEntries: a year of 30,000 bodies is a million rows of ~60 columns.
  for (const c of EXPORT_COLUMNS) record[c] = r.values[c] ?? null;
  record.unread = unreadColumns(report, r.row);
  return record;
}

/**
 * The export's CSV lines, the same cells as `exportRecord`'s, written without building a record a row: the cells of a
 * source are quoted once for its rows (they come one source after another) and those of a row key once; the figures
 * are numbers and need no quoting.
 */
export function csvLines(ctx: ExportContext): (r: StoredRow) => string {
  let sourceKey = '';
  let source = '';
  let report: StoredReport | undefined;
  const rowCells = new Map<string, string>();
  return (r) => {
    const key = `${r.bodyId}#${r.sha256}`;
    if (key !== sourceKey) {
      const b = ctx.bodies.get(r.bodyId);
      report = ctx.reports.get(key);
      source = [r.bodyId, b?.name, b?.region, b?.level, r.year, report?.url, publishedOf(r, ctx, report), r.sha256].map(csvCell).join(',');
      sourceKey = key;
    }
    let row = rowCells.get(r.row);
    if (row === undefined) rowCells.set(r.row, (row = `${csvCell(r.row)},${csvCell(ROW_LABELS.get(r.row))}`));
    let values = '';
    for (const c of EXPORT_COLUMNS) {
      const v = r.values[c];
      values += v === null || v === undefined ? ',' : `,${v}`;
    }
    const unread = unreadColumns(report, r.row);
    return `${source},${row}${values},${unread.length ? unread.join(' ') : ''}\n`;
  };
}

export function registerExport(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('export')
    .description("every body's figures for a year, one line per body × table row / 导出全部数据")
    .requiredOption('--year <year>', 'report year', reportYear)
    .option('--format <format>', 'csv | jsonl', oneOf(['csv', 'jsonl'] as const), 'csv')
    .option('-o, --output <file>', 'write to a file (with --json: stdout says what was written)', outputFile)
    .option('--registry <file>', "registry YAML (names, regions and levels; default: the home's registry.yaml, else the shipped one)", existingFile)
    .option('--api <url>', 'read the deployed archive API (its ArchiveApiUrl; signed with the default AWS credentials) instead of the home', httpUrl)
    .action(async (flags: { year: number; format: string; output?: string; registry?: string; api?: string }, cmd: Command) => {
      const { home, json } = globalOptions(cmd);
      if (flags.api) {
        // Loaded only here: the AWS credential chain is not part of a command that reads a home.
        const { RemoteApi } = await import('./remote.ts');
        run(await exportRemote(new RemoteApi(flags.api), flags, json));
        return;
      }
      const bodyMap = new Map(loadRegistry(flags.registry ?? homeRegistry(home)).bodies.map((b) => [b.id, b]));
      await withStore(
        home,
        async ({ store, state }) => {
          // A row that cannot be read is left out, named on stderr, and the export ends with exit 1.
          const damaged = new DamagedRecords();
          // Written body by body, a chunk at a time: a year of 30,000 bodies is a million lines, too many to hold.
          const out = flags.output ? new OutputFile(flags.output) : null;
          let size = 0;
          let chunk = '';
          const put = (text: string, last = false) => {
            chunk += text;
            if (chunk.length < 1 << 20 && !last) return;
            size += Buffer.byteLength(chunk);
            if (out === null) process.stdout.write(chunk);
            else out.write(chunk);
            chunk = '';
          };
          const reports = new Map<string, StoredReport | undefined>();
          const published = new Map<string, string | undefined>();
          const ctx = { bodies: bodyMap, reports, published };
          const mode = json && !flags.output ? 'json' : flags.format;
          const line = csvLines(ctx);
          let count = 0;
          let unread = 0;
          const write = (r: StoredRow) => {
            unread += unreadColumns(reports.get(`${r.bodyId}#${r.sha256}`), r.row).length;
            // --json on stdout is one JSON document: the array JSON.stringify(records, null, 2) would print, an element at a time.
            if (mode === 'json') put(`${count === 0 ? '[\n' : ',\n'}${JSON.stringify(exportRecord(r, ctx), null, 2).replace(/^/gm, '  ')}`);
            else if (mode === 'jsonl') put(`${JSON.stringify(exportRecord(r, ctx))}\n`);
            else put(line(r));
            count++;
          };
          const exported = new Set<string>();
          try {
            if (mode === 'csv') put(csvHead(EXPORT_HEADER));
            // In the order people read: bodies by their ids, then the template's order of rows.
            for (const id of (await store.bodiesWithRows(flags.year)).sort((a, b) => a.localeCompare(b))) {
              const rows = (await store.currentRows(id, flags.year, damaged)).filter((r) => ROW_RANK.has(r.row));
              if (rows.length === 0) continue;
              exported.add(id);
              rows.sort((a, b) => ROW_RANK.get(a.row)! - ROW_RANK.get(b.row)!);
              reports.clear();
              for (const rep of await store.reports(id, flags.year, damaged)) reports.set(`${id}#${rep.sha256}`, rep);
              published.clear();
              published.set(id, (await stateOrDamaged(state, id, flags.year, damaged))?.pageDate);
              for (const r of rows) write(r);
            }
            if (mode === 'json') put(count === 0 ? '[]\n' : '\n]\n');
            put('', true);
          } catch (e) {
            out?.abort();
            throw e;
          }
          if (out !== null) {
            out.done();
            const info = { file: flags.output, format: flags.format, rows: count, size, unread };
            if (json) printJson(info);
            else process.stderr.write(`${flags.output}: ${count} rows\n`);
          }
          sayUnread(unread);
          // A report found that gave no line is said, never left out quietly: never read, or read without figures.
          const notRead: string[] = [];
          const noFigures: string[] = [];
          for (const s of await state.states(flags.year, damaged)) {
            if (exported.has(s.bodyId) || (s.reportUrl === undefined && s.unreadable === undefined)) continue;
            const { outcome } = sourceOf(s, await store.reports(s.bodyId, flags.year, damaged), false);
            (outcome === 'read' ? noFigures : notRead).push(s.bodyId);
          }
          sayWithoutFigures(notRead.sort(), noFigures.sort());
          if (damaged.report()) run(EXIT.failed);
          else run(count === 0 ? EXIT.nothingFound : EXIT.ok);
        },
        { readonly: true },
      );
    });
}

/**
 * `export --api`: the same lines from the deployed API, page by page (`GET /figures`), and the same words on stderr.
 * What the API could not list is said: reports found but never read, current sources lost, damaged records (exit 1).
 */
async function exportRemote(api: RemoteApi, flags: { year: number; format: string; output?: string }, json: boolean): Promise<ExitCode> {
  const out = flags.output ? new OutputFile(flags.output) : null;
  const mode = json && !flags.output ? 'json' : flags.format;
  let count = 0;
  let unread = 0;
  let size = 0;
  const lost: string[] = [];
  const notRead: string[] = [];
  const noFigures: string[] = [];
  const damaged: string[] = [];
  const put = (text: string) => {
    size += Buffer.byteLength(text);
    if (out === null) process.stdout.write(text);
    else out.write(text);
  };
  if (mode === 'csv') put(csvHead(EXPORT_HEADER));
  try {
    for await (const p of api.pages('figures', { year: String(flags.year) })) {
      const page = p as unknown as { figures: FigureLine[]; lost: string[]; notRead: string[]; noFigures: string[]; damaged: string[] };
      lost.push(...page.lost);
      notRead.push(...page.notRead);
      noFigures.push(...page.noFigures);
      damaged.push(...page.damaged);
      let text = '';
      for (const l of page.figures) {
        const r = figureRecord(l);
        unread += l.unread.length;
        if (mode === 'json') text += `${count === 0 ? '[\n' : ',\n'}${JSON.stringify(r, null, 2).replace(/^/gm, '  ')}`;
        else if (mode === 'jsonl') text += `${JSON.stringify(r)}\n`;
        else text += figureCsvLine(l);
        count++;
      }
      put(text);
    }
    if (mode === 'json') put(count === 0 ? '[]\n' : '\n]\n');
  } catch (e) {
    out?.abort();
    throw e;
  }
  out?.done();
  if (out !== null) {
    if (json) printJson({ file: flags.output, format: flags.format, rows: count, size, unread });
    else process.stderr.write(`${flags.output}: ${count} rows\n`);
  }
  sayUnread(unread);
  sayWithoutFigures(notRead, noFigures);
  if (lost.length) process.stderr.write(`${lost.length} body-years' current source could not be read: their figures are not listed: ${lost.join(', ')}\n`);
  if (reportDamaged(damaged) || lost.length) return EXIT.failed;
  return count === 0 ? EXIT.nothingFound : EXIT.ok;
}

/** Said whatever the format: an empty cell of the export is a blank only where `unread` does not name it. */
function sayUnread(unread: number): void {
  if (unread)
    process.stderr.write(
      `${unread} figures could not be read from their reports: empty, and named in the column \`unread\` (not blank, not 0) / ${unread}个数字未能读取\n`,
    );
}

const some = (ids: readonly string[]) => `${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ' …' : ''}`;

/** Reports found that gave the export no line, named on stderr: never read (over a limit, corrupt), or read without figures. */
function sayWithoutFigures(notRead: readonly string[], noFigures: readonly string[]): void {
  if (notRead.length) process.stderr.write(`${notRead.length} reports found were not read, so have no figures (nianbao status says why): ${some(notRead)}\n`);
  if (noFigures.length)
    process.stderr.write(
      `${noFigures.length} reports were read but gave no figures (no tables found, or only a scan: nianbao report says why): ${some(noFigures)}\n`,
    );
}
