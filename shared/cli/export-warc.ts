/**
 * `nianbao export-warc --body ID [--year Y] [--url U] [--from T --to T] -o FILE.warc.gz` and
 * `nianbao export-wacz --body ID --year Y -o FILE.wacz` — the archive for archivists.
 */
import { isoTime, outputFile, reportYear } from './options.ts';
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { systemClock } from '../store/ports.ts';
import { exportWacz, exportWarc, selectCaptures, SelectionError, type CaptureSelection } from '../archive/export.ts';
import type { CaptureRecord } from '../store/ports.ts';
import type { LocalStore } from '../store/local.ts';
import { BlobCorruptError } from '../archive/verify.ts';
import { sha256Hex } from '../store/hash.ts';
import { globalOptions, printJson } from './context.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';
import { withStore } from './store.ts';

async function select(s: LocalStore, sel: CaptureSelection): Promise<CaptureRecord[]> {
  try {
    return await selectCaptures(s.store, sel);
  } catch (e) {
    if (e instanceof SelectionError) throw new CliError(`${e.message} (--body ID [--year Y] or --url U)`);
    throw e;
  }
}

/** An export whose blobs are verified on the way (a damaged blob is an error naming it, exit 1). */
async function verifiedExport(make: () => Promise<Uint8Array>): Promise<Uint8Array> {
  try {
    return await make();
  } catch (e) {
    if (e instanceof BlobCorruptError) throw new CliError(e.message, EXIT.failed);
    throw e;
  }
}

/** Writes the file and says what was written: JSON on stdout with --json, a line on stderr otherwise. */
function written(file: string, bytes: Uint8Array, captures: number, json: boolean): void {
  writeFileSync(file, bytes);
  const info = { file, captures, size: bytes.length, sha256: sha256Hex(bytes) };
  if (json) printJson(info);
  else process.stderr.write(`${file}: ${captures} captures, ${bytes.length} bytes, sha256 ${info.sha256}\n`);
}

export function registerExportWarc(program: Command, run: (code: ExitCode) => void): void {
  program
    .command('export-warc')
    .description('export captures as WARC 1.1 (gzip per record) / 导出 WARC')
    .option('--body <id>', 'captures of a body')
    .option('--year <year>', 'report year', reportYear)
    .option('--url <url>', 'captures of one URL')
    .option('--from <time>', 'from this UTC time (ISO 8601, or its beginning: 2025-06)', isoTime)
    .option('--to <time>', 'up to this UTC time (ISO 8601, or its beginning)', isoTime)
    .requiredOption('-o, --output <file>', 'the .warc.gz file to write', outputFile)
    .action(async (flags: CaptureSelection & { output: string }, cmd: Command) => {
      const { home, json } = globalOptions(cmd);
      await withStore(
        home,
        async (s) => {
          const captures = await select(s, flags);
          if (captures.length === 0) throw new CliError('no captures match / 没有匹配的存档', EXIT.nothingFound);
          written(flags.output, await verifiedExport(() => exportWarc(captures, s.archive, flags.output.split('/').pop()!)), captures.length, json);
          run(EXIT.ok);
        },
        { readonly: true },
      );
    });

  program
    .command('export-wacz')
    .description("export a report's captures as WACZ 1.1.1 (for ReplayWeb.page) / 导出 WACZ")
    .requiredOption('--body <id>', 'the body')
    .requiredOption('--year <year>', 'the report year', reportYear)
    .requiredOption('-o, --output <file>', 'the .wacz file to write', outputFile)
    .action(async (flags: { body: string; year: number; output: string }, cmd: Command) => {
      const { home, json } = globalOptions(cmd);
      await withStore(
        home,
        async (s) => {
          const captures = await select(s, flags);
          if (captures.length === 0) throw new CliError(`no captures of ${flags.body} ${flags.year} / 没有存档`, EXIT.nothingFound);
          written(
            flags.output,
            await verifiedExport(() =>
              exportWacz(captures, { archive: s.archive, reports: s.store, state: s.state }, flags.body, flags.year, new Date(systemClock.now()).toISOString()),
            ),
            captures.length,
            json,
          );
          run(EXIT.ok);
        },
        { readonly: true },
      );
    });
}
