/**
 * `nianbao export-warc --body ID [--year Y] [--url U] [--from T --to T] -o FILE.warc.gz` and
 * `nianbao export-wacz --body ID --year Y -o FILE.wacz` — the archive for archivists.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { exportWacz, exportWarc, selectCaptures, SelectionError, type CaptureSelection } from '../archive/export.ts';
import type { CaptureRecord } from '../store/ports.ts';
import type { LocalStore } from '../store/local.ts';
import { globalOptions } from './context.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';
import { parseYear } from './parse.ts';
import { withStore } from './store.ts';

async function select(s: LocalStore, sel: CaptureSelection): Promise<CaptureRecord[]> {
  try {
    return await selectCaptures(s.store, sel);
  } catch (e) {
    if (e instanceof SelectionError) throw new CliError(`${e.message} (--body ID [--year Y] or --url U)`);
    throw e;
  }
}

export function registerExportWarc(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('export-warc')
    .description('export captures as WARC 1.1 (gzip per record) / 导出 WARC')
    .option('--body <id>', 'captures of a body')
    .option('--year <year>', 'report year', parseYear)
    .option('--url <url>', 'captures of one URL')
    .option('--from <time>', 'from this UTC time (ISO 8601)')
    .option('--to <time>', 'up to this UTC time')
    .requiredOption('-o, --output <file>', 'the .warc.gz file to write')
    .action(async (flags: CaptureSelection & { output: string }, cmd: Command) => {
      const { home } = globalOptions(cmd);
      await withStore(home, async (s) => {
        const captures = await select(s, flags);
        if (captures.length === 0) throw new CliError('no captures match / 没有匹配的存档', EXIT.nothingFound);
        writeFileSync(flags.output, await exportWarc(captures, s.archive, flags.output.split('/').pop()!));
        process.stderr.write(`${flags.output}: ${captures.length} captures\n`);
        run(EXIT.ok);
      });
    });

  program
    .command('export-wacz')
    .description("export a report's captures as WACZ 1.1.1 (for ReplayWeb.page) / 导出 WACZ")
    .requiredOption('--body <id>', 'the body')
    .requiredOption('--year <year>', 'the report year', parseYear)
    .requiredOption('-o, --output <file>', 'the .wacz file to write')
    .action(async (flags: { body: string; year: number; output: string }, cmd: Command) => {
      const { home } = globalOptions(cmd);
      await withStore(home, async (s) => {
        const captures = await select(s, flags);
        if (captures.length === 0) throw new CliError(`no captures of ${flags.body} ${flags.year} / 没有存档`, EXIT.nothingFound);
        const wacz = await exportWacz(captures, { archive: s.archive, reports: s.store }, flags.body, flags.year);
        writeFileSync(flags.output, wacz);
        process.stderr.write(`${flags.output}: ${captures.length} captures\n`);
        run(EXIT.ok);
      });
    });
}
