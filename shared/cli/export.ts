/**
 * `nianbao export --year Y [--format csv|jsonl] [-o FILE]` — the figures of every body for a year: one line per
 * body × table row, with who (id, name, region, level), which report (URL, published date, source), the row's key
 * and its Chinese label, and the public keys (docs/format.md §11) as columns. CSV is UTF-8 with a BOM so spreadsheets
 * keep the Chinese intact; with --json and no -o, one JSON array.
 */
import { writeFileSync } from 'node:fs';
import { loadRegistry, type Body } from '../crawl/registry.ts';
import { existingFile, oneOf, outputFile, reportYear } from './options.ts';
import type { Command } from 'commander';
import { TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_KEYS, TABLE2_ROWS_2019, TABLE2_ROWS_2021 } from '../report/format.ts';
import type { StoredReport, StoredRow } from '../store/ports.ts';
import { globalOptions, printJson } from './context.ts';
import { DamagedRecords } from './damaged.ts';
import { EXIT, type ExitCode } from './exit.ts';
import { allPages as all } from '../archive/export.ts';
import { homeRegistry, withStore } from './store.ts';

const TABLE2_COLUMNS = [...new Set([...TABLE2_ROWS_2021, ...TABLE2_ROWS_2019].flatMap((r) => r.columns.map((c) => c.key)))];
/** Every value column, in a stable order: table 三's, then table 四's, then table 二's. */
export const EXPORT_COLUMNS = [...TABLE3_COLUMNS, ...TABLE4_KEYS, ...TABLE2_COLUMNS];
const ROWS = [
  ...TABLE3_ROWS.map((r) => `table3.${r.key}`),
  'table4',
  ...[...new Set([...TABLE2_ROWS_2021, ...TABLE2_ROWS_2019].map((r) => r.key))].map((k) => `table2.${k}`),
];

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The Chinese label of a row key (the template's wording), beside the key so a spreadsheet reads either. */
const ROW_LABELS = new Map<string, string>([
  ...TABLE3_ROWS.map((r) => [`table3.${r.key}`, `表三 ${r.group ? `${r.group} ` : ''}${r.label}`] as [string, string]),
  ['table4', '表四 行政复议、行政诉讼'],
  ...[...TABLE2_ROWS_2021, ...TABLE2_ROWS_2019].map((r) => [`table2.${r.key}`, `表二 ${r.label}`] as [string, string]),
]);

/**
 * What a row of the export carries: who, which report, which row (key and label), and the figures. The report's own
 * fields are named `report_…`: a figure column may have the same key (table 二's 2019 `published`, 本年新公开数量),
 * and one name for two things lost one of them.
 */
export const EXPORT_HEADER = [
  'body',
  'name',
  'region',
  'level',
  'year',
  'report_url',
  'report_published',
  'source_sha256',
  'row',
  'row_label',
  ...EXPORT_COLUMNS,
] as const;

export function exportRecord(r: StoredRow, ctx: { bodies: Map<string, Body>; reports: Map<string, StoredReport | undefined> }) {
  const b = ctx.bodies.get(r.bodyId);
  const report = ctx.reports.get(`${r.bodyId}#${r.sha256}`);
  return {
    body: r.bodyId,
    name: b?.name ?? null,
    region: b?.region ?? null,
    level: b?.level ?? null,
    year: r.year,
    report_url: report?.url ?? null,
    report_published: report?.published ?? null,
    source_sha256: r.sha256,
    row: r.row,
    row_label: ROW_LABELS.get(r.row) ?? null,
    ...Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, r.values[c] ?? null])),
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
    .action(async (flags: { year: number; format: string; output?: string; registry?: string }, cmd: Command) => {
      const { home, json } = globalOptions(cmd);
      const bodyMap = new Map(loadRegistry(flags.registry ?? homeRegistry(home)).bodies.map((b) => [b.id, b]));
      await withStore(
        home,
        async ({ store }) => {
          // A row that cannot be read is left out, named on stderr, and the export ends with exit 1.
          const damaged = new DamagedRecords();
          const rows: StoredRow[] = [];
          for (const row of ROWS) rows.push(...(await all((cursor) => store.rowAcrossBodies(flags.year, row, { cursor, onDamaged: damaged.onDamaged }))));
          rows.sort((a, b) => a.bodyId.localeCompare(b.bodyId) || ROWS.indexOf(a.row) - ROWS.indexOf(b.row));
          const reports = new Map<string, StoredReport | undefined>();
          for (const id of new Set(rows.map((r) => r.bodyId)))
            for (const rep of await store.reports(id, flags.year, damaged)) reports.set(`${id}#${rep.sha256}`, rep);
          const records = rows.map((r) => exportRecord(r, { bodies: bodyMap, reports }));
          let text: string;
          if (json && !flags.output)
            text = `${JSON.stringify(records, null, 2)}\n`; // one JSON document on stdout
          else if (flags.format === 'jsonl') text = records.map((r) => `${JSON.stringify(r)}\n`).join('');
          else
            text = `\ufeff${EXPORT_HEADER.join(',')}\n${records.map((r) => `${EXPORT_HEADER.map((h) => csvCell(r[h as keyof typeof r])).join(',')}\n`).join('')}`;
          if (flags.output) {
            writeFileSync(flags.output, text);
            const info = { file: flags.output, format: flags.format, rows: records.length, size: Buffer.byteLength(text) };
            if (json) printJson(info);
            else process.stderr.write(`${flags.output}: ${records.length} rows\n`);
          } else process.stdout.write(text);
          if (damaged.report()) run(EXIT.failed);
          else run(rows.length === 0 ? EXIT.nothingFound : EXIT.ok);
        },
        { readonly: true },
      );
    });
}
