/**
 * `nianbao export --year Y --format csv|jsonl` — the figures of every body for a year: one line per body ×
 * table row, the public keys (DESIGN.md §3) as columns. CSV is UTF-8 with a BOM so spreadsheets keep the
 * Chinese intact.
 */
import type { Command } from 'commander';
import { TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_KEYS, TABLE2_ROWS_2019, TABLE2_ROWS_2021 } from '../report/format.ts';
import type { StoredRow } from '../store/ports.ts';
import { globalOptions } from './context.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';
import { parseYear } from './parse.ts';
import { allPages as all } from '../archive/export.ts';
import { withStore } from './store.ts';

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

export function registerExport(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('export')
    .description("every body's figures for a year, one line per body × table row / 导出全部数据")
    .requiredOption('--year <year>', 'report year', parseYear)
    .option('--format <format>', 'csv | jsonl', 'csv')
    .action(async (flags: { year: number; format: string }, cmd: Command) => {
      const { home } = globalOptions(cmd);
      if (flags.format !== 'csv' && flags.format !== 'jsonl') throw new CliError(`--format ${flags.format}: must be csv or jsonl`);
      await withStore(home, async ({ store }) => {
        const rows: StoredRow[] = [];
        for (const row of ROWS) rows.push(...(await all((cursor) => store.rowAcrossBodies(flags.year, row, { cursor }))));
        rows.sort((a, b) => a.bodyId.localeCompare(b.bodyId) || ROWS.indexOf(a.row) - ROWS.indexOf(b.row));
        if (flags.format === 'jsonl') {
          for (const r of rows) process.stdout.write(`${JSON.stringify({ body: r.bodyId, year: r.year, source_sha256: r.sha256, row: r.row, ...r.values })}\n`);
        } else {
          const header = ['body', 'year', 'source_sha256', 'row', ...EXPORT_COLUMNS];
          process.stdout.write(`\ufeff${header.join(',')}\n`);
          for (const r of rows) process.stdout.write(`${[r.bodyId, r.year, r.sha256, r.row, ...EXPORT_COLUMNS.map((c) => r.values[c])].map(csvCell).join(',')}\n`);
        }
        run(rows.length === 0 ? EXIT.nothingFound : EXIT.ok);
      });
    });
}
